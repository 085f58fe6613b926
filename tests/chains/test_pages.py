"""Pages of the chains module: explore a product, build and edit a bill of materials, export it."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from ivcs.chains import services
from ivcs.chains.models import BillOfMaterials, BomInput
from tests.chains.conftest import Sme, good_bom

pytestmark = pytest.mark.django_db


def _rows(rows: list[dict[str, str]], **header: str) -> dict[str, str]:
    data = {"inputs-TOTAL_FORMS": str(len(rows)), "inputs-INITIAL_FORMS": "0", "inputs-MIN_NUM_FORMS": "0"}
    data["inputs-MAX_NUM_FORMS"] = "200"
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"inputs-{i}-{key}"] = value
    data.update(header)
    return data


def test_product_page_shows_inputs_uses_and_sources(client: Client, links: Any) -> None:
    page = client.get("/chains/1806/?lang=es").content.decode()
    assert "Hecho con" in page or "Elaborado con" in page or "1803" in page
    assert "1803" in page and "1905" in page
    assert "Test: industry 311350 buys sugar" in page  # the derived link's source detail
    assert "Test fixture." in page  # the curated link's note of how it was checked


def test_product_page_filters_by_source(client: Client, links: Any) -> None:
    page = client.get("/chains/1806/?source=rules_of_origin").content.decode()
    assert "Test: industry 311350" not in page


def test_unknown_code_page_is_404(client: Client, links: Any) -> None:
    assert client.get("/chains/0000/").status_code == 404
    assert client.get("/chains/1806.90/").status_code in (301, 302)


def test_explore_redirects_a_code_and_searches_words(client: Client, links: Any) -> None:
    response = client.get("/chains/?hs=1806")
    assert response.status_code == 302 and response["Location"].endswith("/chains/1806/")
    assert client.get("/chains/").status_code == 200


def test_the_nav_links_the_module(client: Client, links: Any) -> None:
    assert 'href="/chains/"' in client.get("/").content.decode()


def test_new_bill_is_prefilled_with_suggested_inputs(client: Client, links: Any, sme: Sme) -> None:
    client.force_login(sme.owner)
    page = client.get("/chains/mine/new/?hs=1806").content.decode()
    assert 'value="1803"' in page and 'value="1804"' in page  # curated main inputs prefilled
    assert not BillOfMaterials.objects.exists()  # nothing saved until the user saves


def test_save_a_new_bill_then_edit_it(client: Client, links: Any, sme: Sme) -> None:
    client.force_login(sme.editor)
    data = _rows(
        [
            {"hs": "1803", "origin": "PE", "value_share": "40", "originating": "yes"},
            {"hs": "", "originating": "unknown"},
        ],
        product="1806.90",
        name="Tableta",
        organisation=sme.org.slug,
        step="save",
    )
    response = client.post("/chains/mine/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    bom = BillOfMaterials.objects.get()
    assert bom.product_id == "180690" and list(BomInput.objects.values_list("hs_code_id", flat=True)) == ["1803"]
    # Edit: remove the first input, add sugar, from version 1.
    data = _rows(
        [
            {"hs": "1803", "DELETE": "on", "originating": "unknown"},
            {"hs": "1701", "value_share": "12,5", "originating": "no"},
        ],
        product="180690",
        version="1",
        step="save",
    )
    response = client.post(f"/chains/mine/{bom.pk}/", data)
    assert response.status_code == 302
    bom.refresh_from_db()
    assert bom.version == 2 and list(BomInput.objects.values_list("hs_code_id", "value_share")) == [("1701", 12.5)]
    page = client.get(f"/chains/mine/{bom.pk}/").content.decode()
    assert ("1701" in page and "version 2" in page.lower()) or "versión 2" in page.lower()


def test_errors_come_back_on_the_form_and_nothing_is_saved(client: Client, links: Any, sme: Sme) -> None:
    client.force_login(sme.owner)
    data = _rows(
        [
            {"hs": "1803", "value_share": "70", "originating": "unknown"},
            {"hs": "1804", "value_share": "40", "originating": "unknown"},
        ],
        product="1806",
        organisation=sme.org.slug,
        step="save",
        lang="en",
    )
    response = client.post("/chains/mine/new/?lang=en", data)
    assert response.status_code == 400
    assert "110" in response.content.decode()
    data = _rows([{"hs": "1806", "originating": "unknown"}], product="1806", organisation=sme.org.slug, step="save")
    response = client.post("/chains/mine/new/?lang=en", data)
    assert response.status_code == 400 and "cannot be an input of itself" in response.content.decode()
    assert not BillOfMaterials.objects.exists()


def test_add_button_adds_a_row_without_saving(client: Client, links: Any, sme: Sme) -> None:
    client.force_login(sme.owner)
    data = _rows([{"hs": "1803", "originating": "unknown"}], product="1806", organisation=sme.org.slug, add="1701")
    response = client.post("/chains/mine/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="inputs-1-hs"' in page and 'value="1701"' in page
    assert not BillOfMaterials.objects.exists()


def test_stale_edit_is_refused_on_the_page(client: Client, links: Any, sme: Sme) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    services.update_bom(sme.owner, bom, good_bom(name="second"))
    client.force_login(sme.editor)
    data = _rows([{"hs": "1801", "originating": "unknown"}], product="1806", version="1", step="save")
    response = client.post(f"/chains/mine/{bom.pk}/?lang=en", data)
    assert response.status_code == 400 and "changed" in response.content.decode()
    bom.refresh_from_db()
    assert bom.name == "second"


def test_export_csv_and_json_of_current_and_old_versions(client: Client, sme: Sme) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom(inputs=[{"hs": "1803", "supplier": "=HYPERLINK(1)"}]))
    services.update_bom(sme.owner, bom, good_bom(inputs=[{"hs": "1801", "origin": "EC", "value_share": 30}]))
    client.force_login(sme.viewer)
    response = client.get(f"/chains/mine/{bom.pk}/export.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["hs"], r["origin"], r["value_share"], r["version"]) for r in rows] == [("1801", "EC", "30.0", "2")]
    old = client.get(f"/chains/mine/{bom.pk}/export.csv?version=1").content.decode()
    assert "'=HYPERLINK(1)" in old  # a formula is neutralised
    body = json.loads(client.get(f"/chains/mine/{bom.pk}/export.json?version=1").content)
    assert body["version"] == 1 and body["inputs"][0]["hs"] == "1803"
    assert client.get(f"/chains/mine/{bom.pk}/export.xml").status_code == 404
    assert client.get(f"/chains/mine/{bom.pk}/export.csv?version=9").status_code == 404


def test_viewer_sees_no_editor_and_cannot_post(client: Client, sme: Sme) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    client.force_login(sme.viewer)
    page = client.get(f"/chains/mine/{bom.pk}/?edit=1").content.decode()
    assert "inputs-TOTAL_FORMS" not in page
    assert client.post(f"/chains/mine/{bom.pk}/", _rows([], product="1806", step="save")).status_code == 403
    assert client.post(f"/chains/mine/{bom.pk}/delete/").status_code == 403


def test_strangers_get_404_and_anonymous_a_login(client: Client, sme: Sme, make_user: Any) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    assert client.get(f"/chains/mine/{bom.pk}/").status_code == 302
    client.force_login(make_user())
    assert client.get(f"/chains/mine/{bom.pk}/").status_code == 404
    assert client.get(f"/chains/mine/{bom.pk}/export.json").status_code == 404
    assert client.post(f"/chains/mine/{bom.pk}/delete/").status_code == 404
    assert BillOfMaterials.objects.filter(pk=bom.pk).exists()


def test_owner_deletes(client: Client, sme: Sme) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    client.force_login(sme.owner)
    assert client.post(f"/chains/mine/{bom.pk}/delete/").status_code == 302
    assert not BillOfMaterials.objects.exists()


def test_mine_lists_the_users_bills(client: Client, sme: Sme) -> None:
    services.create_bom(sme.owner, sme.org, good_bom(name="Tableta especial"))
    client.force_login(sme.viewer)
    assert "Tableta especial" in client.get("/chains/mine/").content.decode()


def test_module_switched_off_is_404(client: Client, links: Any, default_tenant: Any) -> None:
    default_tenant.enabled_modules = ["standards"]
    default_tenant.save()
    assert client.get("/chains/1806/").status_code == 404
