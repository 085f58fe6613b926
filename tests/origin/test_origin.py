"""The origin import, the operators' hand-written forms, and the origin API."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ivcs.core.models import AuditLog
from ivcs.origin import selectors, services
from ivcs.origin.models import RuleSet, Scheme
from tests.origin.conftest import T_SHIRT_SEWN

pytestmark = pytest.mark.django_db

ASSESS = "/api/v1/origin/assess"


def _assess(client: Client, language: str = "en", **changes: Any) -> Any:
    body: dict[str, Any] = {
        "product": "610910",
        "exporter": "CO",
        "ex_works_price": "10.00",
        "currency": "USD",
        "inputs": [{"hs": "520512", "origin": "CN", "value": "3.00", "weight": None, "originating_declared": None}],
        "processes": [],
        "answers": {"rule_set": T_SHIRT_SEWN, "insufficient_processing": False},
    }
    body.update(changes)
    return client.post(ASSESS, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)


def _fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    return {d["field"] for d in response.json()["error"]["details"]}


# --- Import ---------------------------------------------------------------------------------------


def test_import_reports_the_parse_figures(origin: Any) -> None:
    [andean] = origin.schemes
    assert (andean.rule_sets, andean.rules, andean.structured_rule_sets) == (828, 1120, 782)
    assert andean.unparsed_rules > 0 and "textile_weight_tolerance" in andean.missing
    scheme = Scheme.objects.get(pk="andean")
    assert scheme.rule_sets == 828 and scheme.structured_share == pytest.approx(0.9444, abs=1e-3)
    assert "CO" in scheme.parties and scheme.vintage and scheme.hs_version == "HS 2022"
    assert RuleSet.objects.filter(scheme=scheme).count() == 828
    assert AuditLog.objects.filter(action="origin.imported").exists()


def test_a_bad_file_refuses_the_whole_import(origin: Any, andean_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(andean_folder, folder)
    (folder / "rule_sets" / "chile.json").write_text("{not json", encoding="utf-8")
    report = services.import_origin(folder)
    assert not report.written and any("chile.json" in r for r in report.refused)
    assert list(Scheme.objects.values_list("pk", flat=True)) == ["andean"]
    assert services.import_origin(andean_folder, dry_run=True).written is False


def test_hand_written_form_survives_reimport_and_is_used(origin: Any, andean_folder: Path, client: Client) -> None:
    row = RuleSet.objects.get(scheme_id="andean", key=T_SHIRT_SEWN)
    services.set_hand_written(row, {"kind": "unparsed", "text": "checked by hand"})
    report = services.import_origin(andean_folder)
    assert report.hand_written_kept == 1 and report.hand_written_dropped == []
    row = RuleSet.objects.get(scheme_id="andean", key=T_SHIRT_SEWN)
    assert row.hand_written == {"kind": "unparsed", "text": "checked by hand"}
    selectors.rules_changed()
    rules = client.get("/api/v1/origin/rules?hs=610910&agreement=andean").json()
    mine = next(r for r in rules if r["key"] == T_SHIRT_SEWN)
    assert mine["hand_written"] and mine["structured"]["kind"] == "unparsed"
    # An undecidable rule is never reported as qualifying.
    result = _assess(client).json()["results"][0]
    assert result["status"] == "needs_information" and result["rule"]["hand_written"]


def test_admin_refuses_a_bad_hand_written_form(origin: Any, client: Client, make_user: Any) -> None:
    admin = make_user()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    row = RuleSet.objects.get(scheme_id="andean", key=T_SHIRT_SEWN)
    url = f"/operator/origin/ruleset/{row.pk}/change/"
    response = client.post(url + "?lang=en", {"hand_written": json.dumps({"kind": "no_such_rule"})})
    assert response.status_code == 200 and b"not a rule the engine understands" in response.content
    assert RuleSet.objects.get(pk=row.pk).hand_written is None
    good = {"kind": "manufacture_from", "materials": ["50-55"], "description": "yarn"}
    response = client.post(url, {"hand_written": json.dumps(good)})
    assert response.status_code == 302
    assert RuleSet.objects.get(pk=row.pk).hand_written == good
    assert client.get("/operator/origin/ruleset/?hand_written=yes&q=sewing").status_code == 200


# --- API ------------------------------------------------------------------------------------------


def test_agreements_list_their_coverage(origin: Any, client: Client) -> None:
    [andean] = client.get("/api/v1/origin/agreements").json()
    assert andean["id"] == "andean" and "CO" in andean["parties"]
    assert andean["coverage"] == {"rule_sets": 828, "rules": 1120, "structured_share": pytest.approx(0.9444, abs=1e-3)}


def test_rules_covering_a_code(origin: Any, client: Client) -> None:
    rules = client.get("/api/v1/origin/rules?hs=6109").json()
    assert {r["key"] for r in rules} >= {T_SHIRT_SEWN}
    sewn = next(r for r in rules if r["key"] == T_SHIRT_SEWN)
    assert sewn["agreement"] == "andean" and sewn["texts"] == ["Manufacture from yarn."]
    assert sewn["structured"]["kind"] == "manufacture_from" and not sewn["hand_written"] and sewn["citation"]
    assert _fields(client.get("/api/v1/origin/rules?hs=6109&agreement=nowhere")) == {"agreement"}
    assert _fields(client.get("/api/v1/origin/rules?hs=61091")) == {"hs"}
    assert _fields(client.get("/api/v1/origin/rules")) == {"hs"}


def test_t_shirt_from_yarn_qualifies_from_fabric_does_not(origin: Any, client: Client) -> None:
    body = _assess(client).json()
    [result] = body["results"]
    assert result["agreement"]["id"] == "andean" and result["destination"] == "GB"
    assert result["status"] == "qualifies"
    # The UK's MFN rate for T-shirts is loaded (UKGT 2021); its preferential rate is not, and it says so.
    tariff = result["tariff"]
    assert tariff["market"] == "GB" and tariff["mfn"] == "12%" and tariff["preferential"] is None
    assert tariff["saving_per_1000"] is None and tariff["date"] == "2021-01-01"
    assert any("no preferential rates" in n for n in tariff["notes"])
    fabric = [{"hs": "520812", "origin": "CN", "value": "3.00"}]
    result = _assess(client, inputs=fabric).json()["results"][0]
    assert result["status"] == "does_not_qualify" and result["suggestions"]


def test_several_rule_sets_ask_which_applies(origin: Any, client: Client) -> None:
    result = _assess(client, answers={}).json()["results"][0]
    question = result["missing"][0]
    assert result["status"] == "needs_information" and question["key"] == "andean:rule_set"
    # The answer goes back under the question's key and decides that scheme's rule set only.
    choice = question["choices"][0]["value"]
    again = _assess(client, answers={"andean:rule_set": choice}).json()["results"][0]
    assert again["rule"] is not None and again["rule"]["key"] == choice
    assert not any(q["kind"] == "rule_set" for q in again["missing"])


def test_chocolate_with_too_much_foreign_sugar_fails_and_says_what_would_pass(origin: Any, client: Client) -> None:
    inputs = [{"hs": "170199", "origin": "BR", "value": "3.50"}, {"hs": "180100", "origin": "CO", "value": "3.00"}]
    answers = {language: _assess(client, language, product="180632", inputs=inputs, answers={}) for language in LANGS}
    english, spanish = (answers[lang].json()["results"][0] for lang in LANGS)
    assert english["status"] == spanish["status"] == "does_not_qualify"
    assert any("Lower the value" in s for s in english["suggestions"])
    # The engine's texts follow the request's language; the rule's legal text stays as published.
    assert any("Reduzca el valor" in s for s in spanish["suggestions"]), spanish["suggestions"]
    assert spanish["rule"]["text"] == english["rule"]["text"]


LANGS = ("en", "es")


def test_destinations_without_rules_are_named(origin: Any, client: Client) -> None:
    body = _assess(client, destinations=["US"]).json()
    assert body["results"] == [] and any("US" in note for note in body["notes"])
    # The US-Colombia TPA's rates are loaded but its rules are not: the rates are shown, with that said.
    [other] = body["other_markets"]
    assert other["programme"]["id"] == "us-colombia" and other["tariff"]["mfn"] == "16.5%"
    assert other["tariff"]["preferential"] == "0%" and other["tariff"]["saving_per_1000"] == "165.00"
    assert other["note"] and other["tariff"]["date"] == "2026-06"


def test_bad_assessments_answer_422(origin: Any, client: Client) -> None:
    assert _fields(_assess(client, exporter="ZZ")) == {"exporter"}
    assert _fields(_assess(client, product="999999")) == {"product"}
    assert _fields(_assess(client, inputs=[{"hs": "520512", "origin": "CN", "value": "-1"}])) == {"inputs.0.value"}
    assert _fields(_assess(client, inputs=[{"hs": "520512", "origin": "CN", "value": "30"}])) == {"inputs"}
    assert _fields(_assess(client, inputs=[{"hs": "520512", "value": "1", "colour": "red"}])) == {"inputs.0.colour"}
    assert _fields(_assess(client, ex_works_price="0")) == {"ex_works_price"}
    assert _fields(_assess(client, answers={"rule_set": "nope"})) == {"answers.rule_set"}


def test_an_exporter_without_agreements_sees_what_it_pays(origin: Any, client: Client) -> None:
    body = _assess(client, exporter="BR", product="080122", inputs=[], answers={}).json()
    assert body["results"] == [] and any("Brazil" in n for n in body["notes"])
    markets = {m["market"]: m for m in body["other_markets"]}
    assert set(markets) == {"GB", "EU", "JP", "US"}
    assert all(m["programme"] is None and m["tariff"]["mfn"] for m in markets.values())
    assert markets["US"]["tariff"]["preferential"] is None
