"""The library API: search with facets and snippets, a study's record, uploads and changes by the publisher's
editors; bad input answers a clear 4xx naming the field, never a 500."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ivcs.accounts import services as accounts
from ivcs.engines.documents import write_pdf
from ivcs.library.models import Document
from tests.library.conftest import COFFEE_EN, PAGE3_PHRASE, Tpo, study

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/library/search"
LIBRARY = "/api/v1/library"
FACETS = {"sector", "market", "hs", "year", "language", "publisher", "type"}


def _error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


def _fields(error: dict[str, Any]) -> set[str]:
    return {d["field"] for d in error.get("details") or []}


def _titles(body: dict[str, Any]) -> list[str]:
    return [r["title"] for r in body["results"]]


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _pdf(tmp_path: Path, name: str = "new.pdf", **changes: Any) -> bytes:
    s = study(
        "nuevo",
        changes.pop("title", "Quinua orgánica para Francia"),
        "es",
        changes.pop(
            "sections",
            [
                ("Mercado", "Francia importa quinua orgánica de Bolivia y Perú para tiendas especializadas."),
                ("Precios", "El precio de la quinua real sube en invierno en los supermercados de París."),
            ],
        ),
        hs=("1008",),
        markets=("FR",),
        sectors=("food_beverage",),
        **changes,
    )
    return write_pdf(tmp_path / name, s).read_bytes()


def _upload(data: bytes, name: str = "estudio.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _form(publisher: str = "promo-test", **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"publisher": publisher, "title": "Quinua en Francia", "language": "es", "year": "2024"}
    form.update(changes)
    return form


# --- search --------------------------------------------------------------------------------------


def test_search_answers_the_documented_shape(client: Client, studies: Tpo) -> None:
    body = client.get(SEARCH, {"q": "coffee Japan"}).json()
    assert set(body) == {"total", "total_exact", "page", "pages", "mode", "semantic", "facets", "results"}
    assert body["total_exact"] is True
    assert body["mode"] == "all" and body["semantic"] is True and body["page"] == 1 and body["pages"] == 1
    assert set(body["facets"]) == FACETS
    assert all(set(v) == {"value", "count"} for values in body["facets"].values() for v in values)
    first = body["results"][0]
    assert first["title"] == "Specialty coffee in Japan"
    assert {"id", "title", "publisher", "year", "language", "snippet", "page", "score", "url"} <= set(first)
    assert first["publisher"] == "Promo Test" and first["publisher_slug"] == "promo-test"
    assert first["year"] == 2023 and first["language"] == "en" and first["match"] in ("words", "both")
    assert first["url"] == f"/library/{studies.docs['coffee'].pk}/"
    assert body["total"] == len(body["results"])


def test_a_spanish_query_finds_the_english_and_portuguese_studies_by_meaning(client: Client, studies: Tpo) -> None:
    coffee = client.get(SEARCH, {"q": "café de especialidad"}).json()
    hit = next(r for r in coffee["results"] if r["id"] == studies.docs["coffee"].pk)
    assert hit["language"] == "en" and hit["match"] in ("meaning", "both")
    cotton = client.get(SEARCH, {"q": "algodón ecológico"}).json()
    assert [r["id"] for r in cotton["results"]] == [studies.docs["cotton"].pk]
    assert cotton["mode"] == "meaning" and cotton["results"][0]["match"] == "meaning"


def test_snippet_marks_the_word_and_escapes_the_text(client: Client, studies: Tpo) -> None:
    # Not "script" itself: PostgreSQL's parser drops "<script>" as a tag, FTS5 indexes it.
    body = client.get(SEARCH, {"q": "copie"}).json()
    assert _titles(body) == ["Guía de etiquetado"]
    snippet = body["results"][0]["snippet"]
    assert "<mark>copie</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in snippet
    assert "<script" not in snippet and snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert body["results"][0]["matched"] == ["copie"]


def test_page_number_is_the_page_of_the_matched_passage(client: Client, studies: Tpo) -> None:
    body = client.get(SEARCH, {"q": "Kyoto ceremony"}).json()
    hit = body["results"][0]
    assert hit["id"] == studies.docs["coffee"].pk and hit["page"] == 3
    assert "<mark>Kyoto</mark>" in hit["snippet"] and "<mark>ceremony</mark>" in hit["snippet"]


def test_facets_are_disjunctive_within_a_facet(client: Client, studies: Tpo) -> None:
    body = client.get(SEARCH, {"lang": "es"}).json()
    assert set(_titles(body)) == {"Servicios de software en Estados Unidos", "Guía de etiquetado"}
    languages = {f["value"]: f["count"] for f in body["facets"]["language"]}
    assert languages == {"es": 2, "en": 1, "pt": 1}
    # The other facets count the chosen language only.
    assert {f["value"]: f["count"] for f in body["facets"]["type"]} == {"report": 1, "guide": 1}


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"market": "jp"}, {"Specialty coffee in Japan"}),
        ({"market": "EU"}, {"Guía de etiquetado"}),
        ({"sector": "textiles"}, {"Algodão orgânico na Alemanha"}),
        ({"sector": ["textiles", "ict"]}, {"Algodão orgânico na Alemanha", "Servicios de software en Estados Unidos"}),
        ({"hs": "09"}, {"Specialty coffee in Japan"}),
        ({"hs": "0901"}, {"Specialty coffee in Japan"}),
        ({"hs": "18"}, {"Guía de etiquetado"}),
        ({"year_from": 2023}, {"Specialty coffee in Japan", "Servicios de software en Estados Unidos"}),
        ({"year_to": 2021}, {"Algodão orgânico na Alemanha"}),
        ({"year_from": 2022, "year_to": 2022}, {"Guía de etiquetado"}),
        ({"type": "guide"}, {"Guía de etiquetado"}),
        ({"publisher": "promo-test", "type": "sector_study"}, {"Algodão orgânico na Alemanha"}),
    ],
)
def test_filters_narrow_the_results(client: Client, studies: Tpo, params: dict[str, Any], titles: set[str]) -> None:
    body = client.get(SEARCH, params).json()
    assert set(_titles(body)) == titles and body["total"] == len(titles)


def test_a_publisher_filter_of_another_publisher_finds_nothing(client: Client, studies: Tpo, other_tpo: Tpo) -> None:
    body = client.get(SEARCH, {"publisher": "otra-promo"}).json()
    assert body["total"] == 0 and body["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lang": "fr"}, "lang"),
        ({"sector": "mining"}, "sector"),
        ({"market": "XX"}, "market"),
        ({"hs": "123"}, "hs"),
        ({"type": "novel"}, "type"),
        ({"publisher": "nobody-here"}, "publisher"),
        ({"year_from": 1800}, "year_from"),
        ({"year_from": 2024, "year_to": 2020}, "year_from"),
        ({"page": 0}, "page"),
    ],
)
def test_unknown_filter_values_are_422_naming_the_field(
    client: Client, studies: Tpo, params: dict[str, Any], field: str
) -> None:
    error = _error(client.get(SEARCH, params), 422)
    assert field in _fields(error), error


def test_a_query_over_300_characters_is_422(client: Client, studies: Tpo) -> None:
    error = _error(client.get(SEARCH, {"q": "café " * 61}), 422)
    assert "q" in _fields(error)
    assert client.get(SEARCH, {"q": "c" * 300}).status_code == 200


def test_an_empty_query_browses_every_visible_study(client: Client, studies: Tpo) -> None:
    body = client.get(SEARCH, {"q": "   "}).json()
    assert body["mode"] == "browse" and body["total"] == 4
    assert set(_titles(body)) == {
        "Specialty coffee in Japan",
        "Algodão orgânico na Alemanha",
        "Servicios de software en Estados Unidos",
        "Guía de etiquetado",
    }
    assert all(r["page"] is None for r in body["results"])


def test_a_page_beyond_the_last_is_empty_not_an_error(client: Client, studies: Tpo) -> None:
    response = client.get(SEARCH, {"page": 7})
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == [] and body["total"] == 4 and body["page"] == 7
    assert client.get(SEARCH, {"page": 51}).status_code == 422


def test_drafts_and_withdrawn_studies_are_never_found(client: Client, studies: Tpo) -> None:
    client.force_login(studies.editor)  # not even by their editors
    body = client.get(SEARCH, {"q": "vainilla Madagascar"}).json()
    assert body["results"] == [] and body["total"] == 0
    browse = client.get(SEARCH).json()
    assert {"Borrador vainilla", "Retirado vainilla"}.isdisjoint(_titles(browse))


def test_a_study_kept_to_its_site_is_not_seen_from_another_site(
    client: Client, studies: Tpo, other_tenant: Any
) -> None:
    coffee = studies.docs["coffee"]
    Document.objects.filter(pk=coffee.pk).update(visibility="site")
    from ivcs.library.services import drop_stamp

    drop_stamp()
    here = client.get(SEARCH, {"q": "Kyoto"}).json()
    assert [r["id"] for r in here["results"]] == [coffee.pk]
    there = client.get(SEARCH, {"q": "Kyoto"}, HTTP_HOST="otro.example.org").json()
    assert there["results"] == [] and there["total"] == 0
    assert client.get(SEARCH, HTTP_HOST="otro.example.org").json()["total"] == 3
    _error(client.get(f"{LIBRARY}/{coffee.pk}", HTTP_HOST="otro.example.org"), 404, "not_found")
    assert client.get(f"{LIBRARY}/{coffee.pk}").status_code == 200
    # A study shared with every site shows there too.
    cotton = client.get(f"{LIBRARY}/{studies.docs['cotton'].pk}", HTTP_HOST="otro.example.org")
    assert cotton.status_code == 200 and cotton.json()["title"] == "Algodão orgânico na Alemanha"


# --- records -------------------------------------------------------------------------------------


def test_a_published_record_has_metadata_file_extraction_and_related(client: Client, studies: Tpo) -> None:
    coffee = studies.docs["coffee"]
    body = client.get(f"{LIBRARY}/{coffee.pk}").json()
    assert body["title"] == "Specialty coffee in Japan" and body["publisher"] == {"slug": "promo-test",
                                                                                 "name": "Promo Test"}
    assert body["hs_codes"] == ["0901"] and body["markets"] == ["JP"] and body["sectors"] == ["food_beverage"]
    assert body["file_type"] == "pdf" and body["file_name"] == "coffee.pdf" and body["file_size"] > 1000
    assert body["download_url"] == f"/library/{coffee.pk}/download/"
    assert body["extraction"]["status"] == "done" and body["extraction"]["pages"] == 4
    assert body["extraction"]["message"] == ""
    assert body["suggestions"] == {}  # only the editors see them
    assert body["related"] and all(r["slug"].isdigit() for r in body["related"])


def test_a_draft_is_404_to_anonymous_and_other_editors_and_200_to_its_editor(
    client: Client, studies: Tpo, other_tpo: Tpo
) -> None:
    draft = studies.docs["draft"]
    _error(client.get(f"{LIBRARY}/{draft.pk}"), 404, "not_found")
    client.force_login(other_tpo.editor)
    _error(client.get(f"{LIBRARY}/{draft.pk}"), 404, "not_found")
    client.force_login(studies.viewer)
    _error(client.get(f"{LIBRARY}/{draft.pk}"), 404, "not_found")
    client.force_login(studies.editor)
    body = client.get(f"{LIBRARY}/{draft.pk}").json()
    assert body["status"] == "draft" and body["related"] == []
    assert body["suggestions"]["markets"] == [{"code": "FR", "mentions": 2}]
    assert body["suggestions"]["hs"][0]["code"] == "0905"


def test_unknown_and_out_of_range_ids(client: Client, studies: Tpo) -> None:
    _error(client.get(f"{LIBRARY}/999999"), 404, "not_found")
    _error(client.get(f"{LIBRARY}/0"), 422)
    _error(client.get(f"{LIBRARY}/{2**60}"), 422)


# --- uploads ------------------------------------------------------------------------------------


def test_an_editor_uploads_with_the_session_and_csrf_and_publish_makes_it_searchable(
    tpo: Tpo, tmp_path: Path, library_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(tpo.editor)
    client.get("/library/manage/new/")
    token = client.cookies["csrftoken"].value
    data = _form(publish="true", markets="FR", hs_codes="1008")
    refused = client.post(LIBRARY, {**data, "file": _upload(_pdf(tmp_path))})
    assert refused.status_code == 403  # no CSRF token
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIBRARY, {**data, "file": _upload(_pdf(tmp_path))}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["title"] == "Quinua en Francia" and created["markets"] == ["FR"] and created["hs_codes"] == ["1008"]
    assert created["file_type"] == "pdf" and created["file_name"] == "estudio.pdf"
    document = Document.objects.get(pk=created["id"])
    assert document.extraction == "done" and document.status == "published" and document.page_count == 3
    assert document.created_by == tpo.editor
    stored = library_dir / document.file_path
    assert stored.is_file() and library_dir in stored.resolve().parents
    body = Client().get(SEARCH, {"q": "quinua París"}).json()
    assert [r["id"] for r in body["results"]] == [document.pk] and body["results"][0]["page"] == 3
    record = client.get(f"{LIBRARY}/{document.pk}").json()
    assert record["suggestions"]["markets"][0]["code"] == "FR"


def test_the_org_api_key_with_write_scope_uploads_and_a_read_key_cannot(
    client: Client, tpo: Tpo, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    reader = accounts.create_api_key(None, tpo.org, name="r", scopes=["org:read"]).secret
    writer = accounts.create_api_key(None, tpo.org, name="w", scopes=["org:write"]).secret
    pdf = _pdf(tmp_path)
    _error(client.post(LIBRARY, {**_form(), "file": _upload(pdf)}, **_bearer(reader)), 403, "forbidden")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIBRARY, {**_form(), "file": _upload(pdf)}, **_bearer(writer))
    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()["id"])
    assert document.status == "draft" and document.extraction == "done" and document.created_by is None
    assert client.get(SEARCH, {"q": "quinua"}).json()["total"] == 0  # a draft until published


def test_anonymous_uploads_are_401(client: Client, tpo: Tpo, tmp_path: Path) -> None:
    _error(client.post(LIBRARY, {**_form(), "file": _upload(_pdf(tmp_path))}), 401)
    assert not Document.objects.exists()


def test_non_editors_cannot_upload(
    client: Client, tpo: Tpo, other_tpo: Tpo, make_org: Any, make_user: Any, tmp_path: Path, library_dir: Path
) -> None:
    pdf = _pdf(tmp_path)
    client.force_login(tpo.viewer)
    _error(client.post(LIBRARY, {**_form(), "file": _upload(pdf)}), 403, "forbidden")
    client.force_login(other_tpo.editor)
    _error(client.post(LIBRARY, {**_form(), "file": _upload(pdf)}), 403, "forbidden")
    outsider = make_user()
    make_org(owner=outsider, kind="sme", slug="pyme-sola")
    client.force_login(outsider)
    _error(client.post(LIBRARY, {**_form(), "file": _upload(pdf)}), 403, "forbidden")
    # An SME cannot publish studies at all, even for itself.
    error = _error(client.post(LIBRARY, {**_form("pyme-sola"), "file": _upload(pdf)}), 422, "not_a_publisher")
    assert _fields(error) == {"publisher"}
    _error(client.post(LIBRARY, {**_form("no-such-org"), "file": _upload(pdf)}), 422, "unknown_value")
    assert not Document.objects.exists()
    assert not list((library_dir / "files").rglob("*.pdf")) if (library_dir / "files").exists() else True


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "foto.pdf", "unsupported_type"),
        (b"", "vacio.pdf", None),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(512), "programa.txt", "unsupported_type"),
    ],
)
def test_malformed_files_are_422_on_file(
    client: Client, tpo: Tpo, library_dir: Path, data: bytes, name: str, code: str | None
) -> None:
    client.force_login(tpo.editor)
    error = _error(client.post(LIBRARY, {**_form(), "file": _upload(data, name)}), 422, code)
    assert _fields(error) == {"file"}
    assert not Document.objects.exists()
    assert not [p for p in library_dir.rglob("*") if p.is_file()]


def test_a_file_over_the_size_limit_is_422(client: Client, tpo: Tpo, tmp_path: Path, settings: Any) -> None:
    settings.IVCS_LIBRARY_MAX_BYTES = 1024
    client.force_login(tpo.editor)
    error = _error(client.post(LIBRARY, {**_form(), "file": _upload(_pdf(tmp_path))}), 422, "too_large")
    assert _fields(error) == {"file"}
    assert not Document.objects.exists()


def test_the_same_file_twice_is_409(
    client: Client, tpo: Tpo, tmp_path: Path, library_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(tpo.editor)
    pdf = _pdf(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(LIBRARY, {**_form(), "file": _upload(pdf)}).status_code == 201
    error = _error(client.post(LIBRARY, {**_form(title="Otra vez"), "file": _upload(pdf, "copia.pdf")}), 409,
                   "duplicate")
    assert "Quinua en Francia" in error["message"]
    assert Document.objects.count() == 1
    assert len(list((library_dir / "files").rglob("*.pdf"))) == 1


def test_bad_metadata_is_422_naming_each_field(client: Client, tpo: Tpo, tmp_path: Path) -> None:
    client.force_login(tpo.editor)
    error = _error(
        client.post(
            LIBRARY,
            {**_form(hs_codes="123", markets="ZZ", sectors="mining", title=""), "file": _upload(_pdf(tmp_path))},
        ),
        422,
    )
    assert {"hs_codes", "markets", "sectors", "title"} <= _fields(error)
    error = _error(client.post(LIBRARY, _form()), 422, "required")
    assert _fields(error) == {"file"}
    assert not Document.objects.exists()


def test_a_link_only_record_is_published_at_once(client: Client, tpo: Tpo) -> None:
    client.force_login(tpo.editor)
    response = client.post(LIBRARY, _form(source_url="https://promo.example.org/quinua.pdf", publish="true"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "published" and body["extraction"]["status"] == "none"
    assert body["download_url"] is None and body["source_url"] == "https://promo.example.org/quinua.pdf"
    assert body["id"] in [r["id"] for r in client.get(SEARCH).json()["results"]]
    error = _error(client.post(LIBRARY, _form(source_url="javascript:alert(1)")), 422)
    assert _fields(error) == {"source_url"}


def test_an_encrypted_pdf_is_kept_as_a_record_without_text_and_can_be_published(
    client: Client, tpo: Tpo, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from pypdf import PdfReader, PdfWriter

    source = tmp_path / "open.pdf"
    source.write_bytes(_pdf(tmp_path, title="Quinua protegida"))
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt("secreto")
    locked = io.BytesIO()
    writer.write(locked)
    client.force_login(tpo.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LIBRARY, {**_form(title="Quinua protegida", publish="true"), "file": _upload(locked.getvalue())}
        )
    assert response.status_code == 201, response.content
    url = f"{LIBRARY}/{response.json()['id']}"
    body = client.get(url).json()
    assert body["extraction"]["status"] == "encrypted" and body["extraction"]["characters"] == 0
    assert "password" in body["extraction"]["message"]
    # Asked to publish "once read", a file that cannot be read stays a draft; the editor publishes it.
    assert body["status"] == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        published = client.patch(url, json.dumps({"status": "published"}), content_type="application/json")
    assert published.status_code == 200 and published.json()["status"] == "published"
    # Only the record passage (title and summary).
    assert Document.objects.get(pk=body["id"]).passages.exclude(page=0).count() == 0
    assert body["id"] in [r["id"] for r in Client().get(SEARCH).json()["results"]]  # browsing shows it


def test_a_metadata_only_study_is_found_by_its_title(
    client: Client, tpo: Tpo, django_capture_on_commit_callbacks: Any
) -> None:
    """A link-only (or unreadable) study has no text passages; its record passage (title and summary) makes it
    findable by its words."""
    client.force_login(tpo.editor)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            LIBRARY,
            _form(title="Guía de la quinua real", summary="Exportar quinua real a Francia",
                  source_url="https://promo.example.org/guia.pdf", publish="true"),
        )
    assert created.status_code == 201
    body = Client().get(SEARCH, {"q": "quinua real"}).json()
    assert created.json()["id"] in [r["id"] for r in body["results"]]


# --- changes ------------------------------------------------------------------------------------


def _patch(client: Client, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def test_editors_change_metadata_and_status(
    client: Client, studies: Tpo, django_capture_on_commit_callbacks: Any
) -> None:
    draft = studies.docs["draft"]
    url = f"{LIBRARY}/{draft.pk}"
    client.force_login(studies.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _patch(client, url, {"title": "Vainilla de Madagascar", "markets": ["fr", "EU"],
                                        "hs_codes": ["0905"], "status": "published"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Vainilla de Madagascar" and body["markets"] == ["FR", "EU"]
    assert body["status"] == "published" and body["published_at"]
    found = Client().get(SEARCH, {"q": "vainilla", "hs": "09"}).json()
    assert [r["id"] for r in found["results"]] == [draft.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert _patch(client, url, {"status": "withdrawn"}).json()["status"] == "withdrawn"
    assert Client().get(SEARCH, {"q": "vainilla"}).json()["total"] == 0
    _error(Client().get(url), 404)
    error = _error(_patch(client, url, {"hs_codes": ["12345"]}), 422)
    assert _fields(error) == {"hs_codes"}
    _error(_patch(client, url, {"status": "gone"}), 422)
    _error(_patch(client, url, {"owner": "me"}), 422)


def test_others_cannot_change_or_delete(client: Client, studies: Tpo, other_tpo: Tpo) -> None:
    coffee = studies.docs["coffee"]
    url = f"{LIBRARY}/{coffee.pk}"
    _error(_patch(client, url, {"title": "Hacked"}), 401)
    for user in (studies.viewer, other_tpo.editor):
        client.force_login(user)
        _error(_patch(client, url, {"title": "Hacked"}), 403, "forbidden")
        _error(client.delete(url), 403, "forbidden")
    # A draft of another publisher is not even there for them.
    _error(_patch(client, f"{LIBRARY}/{studies.docs['draft'].pk}", {"title": "x"}), 404)
    other_key = accounts.create_api_key(None, other_tpo.org, name="w", scopes=["org:write"]).secret
    _error(Client().delete(url, **_bearer(other_key)), 403)
    coffee.refresh_from_db()
    assert coffee.title == "Specialty coffee in Japan"


def test_delete_removes_the_record_its_passages_and_its_file(
    client: Client, studies: Tpo, library_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    coffee = studies.docs["coffee"]
    path = library_dir / coffee.file_path
    assert path.is_file()
    client.force_login(studies.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"{LIBRARY}/{coffee.pk}")
    assert response.status_code == 204
    assert not path.exists()
    assert not Document.objects.filter(pk=coffee.pk).exists()
    assert client.get(SEARCH, {"q": "Kyoto"}).json()["total"] == 0
    _error(client.get(f"{LIBRARY}/{coffee.pk}"), 404)


def test_the_page3_phrase_constant_is_on_page_three_of_the_pdf(tmp_path: Path) -> None:
    from ivcs.engines.documents import extract

    result = extract(write_pdf(tmp_path / "c.pdf", COFFEE_EN), "pdf")
    assert [p.number for p in result.pages if "Kyoto" in p.text] == [3]
    assert PAGE3_PHRASE.split()[1] in result.pages[2].text
