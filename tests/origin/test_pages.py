"""The rules-of-origin pages: the wizard, its results and questions, the printable summary, the agreements
and the glossary; bad input comes back on the form, never as a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.origin.conftest import T_SHIRT_SEWN

pytestmark = pytest.mark.django_db

URL = "/origin/"


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "product": "6109.10",
        "exporter": "CO",
        "ex_works_price": "10,00",
        "currency": "USD",
        "inputs-TOTAL_FORMS": "2",
        "inputs-INITIAL_FORMS": "0",
        "inputs-MIN_NUM_FORMS": "0",
        "inputs-MAX_NUM_FORMS": "200",
        "inputs-0-hs": "5205.12",
        "inputs-0-name": "hilado de algodón",
        "inputs-0-origin": "CN",
        "inputs-0-value": "3",
        "inputs-0-originating": "unknown",
        "inputs-1-hs": "",
        "step": "assess",
        "answer__andean:rule_set": T_SHIRT_SEWN,
        "answer__insufficient_processing": "false",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_wizard_answers_in_spanish_and_lists_the_agreements_steps(origin: Any, client: Client) -> None:
    page = client.get(URL, {"hs": "610910"}, HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="610910"' in text and "inputs-TOTAL_FORMS" in text


def test_a_t_shirt_from_imported_yarn_qualifies_for_the_uk(origin: Any, client: Client) -> None:
    page = client.post(URL + "?lang=en", _form())
    assert page.status_code == 200, page.content.decode()[:2000]
    results = page.context["results"]
    assert [(r["agreement"]["id"], r["destination"], r["status"]) for r in results] == [("andean", "GB", "qualifies")]
    text = page.content.decode()
    assert "Qualifies" in text and "United Kingdom" in text
    assert results[0]["inputs"][0]["passes"] is True


def test_fabric_from_china_fails_and_the_page_says_what_would_pass(origin: Any, client: Client) -> None:
    page = client.post(URL + "?lang=en", _form(**{"inputs-0-hs": "520812", "inputs-0-name": "cotton fabric"}))
    [result] = page.context["results"]
    assert result["status"] == "does_not_qualify" and result["suggestions"]
    assert "What would make it qualify" in page.content.decode()


def test_a_question_is_asked_and_its_answer_is_kept_for_the_next_round(origin: Any, client: Client) -> None:
    page = client.post(URL + "?lang=en", _form(**{"answer__andean:rule_set": None}))
    [question] = [q for q in page.context["questions"] if q["kind"] == "rule_set"]
    assert question["field"] == "answer__andean:rule_set" and question["choices"]
    answered = client.post(URL + "?lang=en", _form(**{question["field"]: T_SHIRT_SEWN}))
    assert answered.context["results"][0]["status"] == "qualifies"
    # The answered question is gone from the questions and posted again as a hidden field.
    assert ("andean:rule_set", T_SHIRT_SEWN) in answered.context["kept_answers"]
    assert f'name="answer__andean:rule_set" value="{T_SHIRT_SEWN}"' in answered.content.decode()


def test_bad_input_comes_back_on_the_fields(origin: Any, client: Client) -> None:
    page = client.post(URL + "?lang=en", _form(**{"inputs-0-value": "20", "inputs-0-hs": "999999"}))
    assert page.status_code == 400
    row = page.context["rows"].forms[0]
    assert "hs" in row.errors
    page = client.post(URL + "?lang=en", _form(**{"inputs-0-value": "20"}))
    assert page.status_code == 400 and page.context["form"].non_field_errors()
    page = client.post(URL + "?lang=en", _form(ex_works_price="diez", exporter="ZZ"))
    assert page.status_code == 400
    assert {"ex_works_price", "exporter"} <= set(page.context["form"].errors)
    page = client.post(URL + "?lang=en", _form(**{"inputs-0-value": "-3"}))
    assert page.status_code == 400 and "value" in page.context["rows"].forms[0].errors


def test_more_rows_adds_rows_without_assessing(origin: Any, client: Client) -> None:
    page = client.post(URL, _form(step="more"))
    assert page.status_code == 200 and "results" not in page.context
    assert len(page.context["rows"].forms) == 5


def test_the_printable_summary_has_the_inputs_and_the_verdict(origin: Any, client: Client) -> None:
    page = client.post(URL + "?lang=en", _form(step="print"))
    assert page.status_code == 200
    assert page.templates[0].name == "origin/summary.html"
    text = page.content.decode()
    assert "hilado de algodón" in text and "Qualifies" in text and "guidance, not a binding ruling" in text


def test_a_bill_of_materials_prefills_the_inputs(origin: Any, client: Client, make_user: Any, make_org: Any) -> None:
    from ivcs.chains import services as chains

    user = make_user()
    org = make_org(owner=user, country="CO")
    bom = chains.create_bom(
        user,
        org,
        {"product": "610910", "name": "Camiseta", "inputs": [{"hs": "5205", "origin": "PE", "value_share": 30}]},
    )
    client.force_login(user)
    page = client.get(URL, {"bom": bom.pk})
    rows = page.context["rows"]
    assert rows.forms[0].initial["hs"] == "5205" and rows.forms[0].initial["value"] == "30.00"
    assert page.context["form"].initial["ex_works_price"] == "100.00"
    assert page.context["form"].initial["exporter"] == "CO"
    other = make_user()
    client.force_login(other)
    assert client.get(URL, {"bom": bom.pk}).context["rows"].forms[0].initial == {}


def test_agreements_and_glossary_pages(origin: Any, client: Client) -> None:
    page = client.get("/origin/agreements/?lang=en")
    assert page.status_code == 200 and "UK-Andean" in page.content.decode()
    page = client.get("/origin/glossary/?lang=pt-br")
    assert page.status_code == 200 and 'id="cth"' in page.content.decode()


def test_the_module_can_be_switched_off(origin: Any, client: Client, default_tenant: Any) -> None:
    default_tenant.enabled_modules = [m for m in default_tenant.enabled_modules if m != "origin"]
    default_tenant.save()
    assert client.get(URL).status_code == 404
