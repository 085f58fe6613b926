"""The library's pages: search with facets and snippets, a study's page and its download, a publisher's page,
and the editors' pages (their studies, upload, review with progress and suggestions, publish/withdraw/delete)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ivcs.engines.documents import write_pdf
from ivcs.library.models import Document
from tests.library.conftest import Tpo, study

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    return response.content.decode()


# --- search ----------------------------------------------------------------------------------------


def test_search_page_shows_snippets_with_marks_page_numbers_and_facets(client: Client, studies: Tpo) -> None:
    response = client.get("/library/", {"q": "Kyoto", "lang": "en"})
    assert response.status_code == 200
    html = _html(response)
    assert "Specialty coffee in Japan" in html and "<mark>Kyoto</mark>" in html and "page 3" in html
    assert f'href="/library/{studies.docs["coffee"].pk}/?q=Kyoto"' in html
    assert "Food and beverage" in html and "Japan" in html  # facet labels


def test_search_page_escapes_the_text_of_studies(client: Client, studies: Tpo) -> None:
    html = _html(client.get("/library/", {"q": "copie"}))
    assert "<mark>copie</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_facet_links_toggle_a_filter_on_and_off(client: Client, studies: Tpo) -> None:
    response = client.get("/library/", {"lang": "en"})
    facets = {f["name"]: f for f in response.context["facets"]}
    textiles = next(i for i in facets["sector"]["items"] if i["label"] == "Textiles")
    assert textiles["url"] == "?lang=en&sector=textiles" and not textiles["selected"]
    on = client.get("/library/" + textiles["url"])
    assert [h["d"].title for h in on.context["hits"]] == ["Algodão orgânico na Alemanha"]
    chosen = next(i for i in {f["name"]: f for f in on.context["facets"]}["sector"]["items"] if i["selected"])
    assert chosen["url"] == "?lang=en" and 'aria-current="true"' in _html(on)
    off = client.get("/library/" + chosen["url"])
    assert off.context["found"].total == 4
    # The language facet keeps counting the other languages while one is chosen (disjunctive).
    chosen_language = client.get("/library/", {"language": "pt"})
    counts = {i["label"]: i["count"] for i in {f["name"]: f for f in chosen_language.context["facets"]}["language"][
        "items"]}
    assert counts == {"Spanish": 2, "English": 1, "Portuguese": 1}
    assert chosen_language.context["found"].total == 1


def test_an_unknown_filter_value_is_400_with_a_message_and_the_rest_of_the_search(
    client: Client, studies: Tpo
) -> None:
    response = client.get("/library/", {"q": "Kyoto", "market": "XX", "lang": "en"})
    assert response.status_code == 400
    html = _html(response)
    assert "Unknown country code: XX." in html and "This filter was left out." in html
    assert "Specialty coffee in Japan" in html
    response = client.get("/library/", {"language": "klingon", "sector": "ict"})
    assert response.status_code == 400 and "Unknown language: klingon." in _html(response)
    assert [h["d"].title for h in response.context["hits"]] == ["Servicios de software en Estados Unidos"]


def test_a_huge_query_is_400_and_bad_page_numbers_are_harmless(client: Client, studies: Tpo) -> None:
    response = client.get("/library/", {"q": "x" * 301, "lang": "en"})
    assert response.status_code == 400 and "Write at most 300 characters." in _html(response)
    for page in ("abc", "-3", "999"):
        assert client.get("/library/", {"page": page}).status_code == 200


def test_too_many_searches_are_429(client: Client, studies: Tpo, settings: Any) -> None:
    settings.IVCS_SEARCH_RATE = "2/m"
    assert client.get("/library/", {"q": "café"}).status_code == 200
    assert client.get("/library/", {"q": "café"}).status_code == 200
    response = client.get("/library/", {"q": "café", "lang": "en"})
    assert response.status_code == 429 and "Too many searches" in _html(response)
    assert client.get("/library/").status_code == 200  # browsing is not counted


def test_pages_render_in_portuguese(client: Client, studies: Tpo) -> None:
    response = client.get("/library/", {"lang": "pt"})
    assert response.status_code == 200 and '<html lang="pt-br"' in _html(response)
    assert client.get(f"/library/{studies.docs['coffee'].pk}/", {"lang": "pt"}).status_code == 200


# --- a study ---------------------------------------------------------------------------------------


def test_the_study_page_shows_the_passages_that_answer_the_query(client: Client, studies: Tpo) -> None:
    coffee = studies.docs["coffee"]
    response = client.get(f"/library/{coffee.pk}/", {"q": "Kyoto", "lang": "en"})
    assert response.status_code == 200
    html = _html(response)
    assert "Page 3" in html and "<mark>Kyoto</mark>" in html
    assert response.context["passages"][0]["p"].page == 3
    assert f'href="/library/{coffee.pk}/download/"' in html and "Promo Test" in html
    assert response.context["related"] and coffee not in response.context["related"]
    plain = client.get(f"/library/{coffee.pk}/", {"lang": "en"})
    assert "How it begins" in _html(plain) and "Edit this study" not in _html(plain)


def test_drafts_are_404_to_others_and_open_to_their_editors(client: Client, studies: Tpo, other_tpo: Tpo) -> None:
    draft = studies.docs["draft"]
    assert client.get(f"/library/{draft.pk}/").status_code == 404
    assert client.get(f"/library/{draft.pk}/download/").status_code == 404
    client.force_login(other_tpo.editor)
    assert client.get(f"/library/{draft.pk}/").status_code == 404
    client.force_login(studies.editor)
    assert client.get(f"/library/{draft.pk}/").status_code == 200
    assert client.get("/library/999999/").status_code == 404


def test_download_is_an_attachment_with_a_safe_name_and_the_sniffed_type(client: Client, studies: Tpo) -> None:
    coffee = studies.docs["coffee"]
    response = client.get(f"/library/{coffee.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="coffee.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    html = client.get(f"/library/{studies.docs['software'].pk}/download/")
    assert html["Content-Type"].startswith("text/html")
    assert html["Content-Disposition"].startswith("attachment;") and "sandbox" in html["Content-Security-Policy"]


def test_an_uploaded_html_file_with_a_hostile_name_is_served_as_an_attachment(
    client: Client, tpo: Tpo, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(tpo.editor)
    page = b"<!doctype html><html><body><h1>Hola</h1><script>alert(document.cookie)</script>" + b"<p>texto</p>" * 20
    upload = SimpleUploadedFile('../../etc/"evil"\r\nname.pdf', page, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/library/manage/new/",
            {"publisher": "promo-test", "title": "Página", "language": "es", "doc_type": "report",
             "visibility": "all", "file": upload},
        )
    assert response.status_code == 302, _html(response)[:3000]
    document = Document.objects.get()
    name = document.file_name
    assert document.file_kind == "html" and name.endswith(".html") and "evil" in name
    assert not set(name) & set('/\\"\r\n ')
    download = client.get(f"/library/{document.pk}/download/")
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    assert download["Content-Type"] == "text/html; charset=utf-8" and download["X-Content-Type-Options"] == "nosniff"


def test_the_publisher_page_lists_its_published_studies(client: Client, studies: Tpo) -> None:
    response = client.get("/library/publishers/promo-test/", {"lang": "en"})
    assert response.status_code == 200
    html = _html(response)
    assert response.context["total"] == 4 and "Specialty coffee in Japan" in html
    assert "Borrador vainilla" not in html and "Retirado vainilla" not in html
    assert "?publisher=promo-test&amp;sector=textiles" in html
    assert client.get("/library/publishers/nobody/").status_code == 404


# --- editors ---------------------------------------------------------------------------------------


def test_manage_needs_a_sign_in_and_lists_the_editors_studies(client: Client, studies: Tpo, other_tpo: Tpo) -> None:
    response = client.get("/library/manage/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(studies.editor)
    html = _html(client.get("/library/manage/", {"lang": "en"}))
    assert "Borrador vainilla" in html and "Retirado vainilla" in html and "Specialty coffee in Japan" in html
    drafts = client.get("/library/manage/", {"status": "draft"})
    assert [d.title for d in drafts.context["page"]] == ["Borrador vainilla"]
    client.force_login(other_tpo.editor)
    assert "Borrador vainilla" not in _html(client.get("/library/manage/"))


def _pdf(tmp_path: Path) -> SimpleUploadedFile:
    s = study("quinua", "Quinua orgánica para Francia", "es", [
        ("Mercado", "Francia importa quinua orgánica de Bolivia y Perú para tiendas especializadas en Francia."),
        ("Precios", "El precio de la quinua en Francia sube en invierno en los supermercados de París."),
    ], hs=("1008",), markets=("FR",))
    return SimpleUploadedFile("quinua.pdf", write_pdf(tmp_path / "q.pdf", s).read_bytes(), "application/pdf")


def _upload_form(**changes: Any) -> dict[str, Any]:
    form = {"publisher": "promo-test", "title": "", "language": "es", "doc_type": "market_study",
            "visibility": "all", "year": "2024"}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_upload_review_accept_publish_withdraw_delete(
    client: Client, tpo: Tpo, tmp_path: Path, library_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(tpo.editor)
    form = client.get("/library/manage/new/", {"lang": "en"})
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in _html(form)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/library/manage/new/", _upload_form(file=_pdf(tmp_path)))
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/library/manage/{document.pk}/"
    assert document.title == "Quinua" and document.extraction == "done"  # the file's name gives the title
    review = client.get(f"/library/manage/{document.pk}/", {"lang": "en"})
    assert review.status_code == 200
    html = _html(review)
    assert "Text extracted" in html and "Found in the text" in html
    assert ("FR", "France") in [(code, name) for code, name, _n in review.context["suggested_markets"]]
    progress = client.get(f"/library/manage/{document.pk}/progress/", {"lang": "en"})
    assert progress.status_code == 200 and 'id="lib-progress"' in _html(progress)
    assert "hx-get" not in _html(progress) and "3 pages read" in _html(progress)

    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(f"/library/manage/{document.pk}/", {"action": "accept", "suggestion": ["markets"]})
    assert accepted.status_code == 302
    document.refresh_from_db()
    assert "FR" in document.markets

    data = {"action": "save", "title": "Quinua en Francia", "language": "es", "doc_type": "market_study",
            "visibility": "all", "hs_codes": "10 08 9", "markets": "FR"}
    bad = client.post(f"/library/manage/{document.pk}/?lang=en", data)
    assert bad.status_code == 400 and "HS codes have 2, 4 or 6 digits" in _html(bad)
    document.refresh_from_db()
    assert document.title == "Quinua"
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(f"/library/manage/{document.pk}/", {**data, "hs_codes": "1008"})
    assert saved.status_code == 302
    document.refresh_from_db()
    assert document.title == "Quinua en Francia" and document.hs_codes == ["1008"]

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/library/manage/{document.pk}/", {"action": "publish"}).status_code == 302
    assert Client().get("/library/", {"q": "quinua"}).context["found"].total == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/library/manage/{document.pk}/", {"action": "withdraw"}).status_code == 302
    document.refresh_from_db()
    assert document.status == "withdrawn"
    assert Client().get("/library/", {"q": "quinua"}).context["found"].total == 0
    path = library_dir / document.file_path
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        gone = client.post(f"/library/manage/{document.pk}/", {"action": "delete"})
    assert gone.status_code == 302 and gone["Location"] == "/library/manage/"
    assert not Document.objects.exists() and not path.exists()


def test_upload_with_publish_checked_is_published_once_read(
    client: Client, tpo: Tpo, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(tpo.editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/library/manage/new/", _upload_form(file=_pdf(tmp_path), publish="on", title="Quinua FR"))
    document = Document.objects.get()
    assert document.status == "published" and document.extraction == "done"
    assert Client().get("/library/", {"q": "quinua París"}).context["hits"][0]["page"] == 3


def test_invalid_uploads_come_back_as_400_with_messages(client: Client, tpo: Tpo, library_dir: Path) -> None:
    client.force_login(tpo.editor)
    empty = client.post("/library/manage/new/?lang=en", _upload_form(title="Sin archivo"))
    assert empty.status_code == 400
    assert "Upload a file or give the link where the study is published." in _html(empty)
    png = SimpleUploadedFile("foto.pdf", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "application/pdf")
    wrong = client.post("/library/manage/new/?lang=en", _upload_form(file=png))
    assert wrong.status_code == 400 and "is not a PDF, Word (DOCX), HTML or plain text document" in _html(wrong)
    bad_meta = client.post("/library/manage/new/?lang=en",
                           _upload_form(title="x", source_url="https://promo.example.org/a", markets="ZZ"))
    assert bad_meta.status_code == 400 and "Unknown country code: ZZ." in _html(bad_meta)
    assert not Document.objects.exists()
    assert not [p for p in library_dir.rglob("*") if p.is_file()]


def test_a_link_only_record_from_the_form(client: Client, tpo: Tpo) -> None:
    client.force_login(tpo.editor)
    response = client.post("/library/manage/new/", _upload_form(title="Guía en línea", publish="on",
                                                                source_url="https://promo.example.org/guia"))
    document = Document.objects.get()
    assert response.status_code == 302 and document.status == "published" and document.extraction == "none"
    review = client.get(f"/library/manage/{document.pk}/")
    assert review.status_code == 200 and 'id="lib-progress"' not in _html(review)


def test_non_editors_cannot_reach_the_editor_pages(
    client: Client, studies: Tpo, other_tpo: Tpo, make_user: Any
) -> None:
    coffee, draft = studies.docs["coffee"], studies.docs["draft"]
    assert client.get(f"/library/manage/{coffee.pk}/").status_code == 302  # to sign in
    assert client.get("/library/manage/new/").status_code == 302
    assert client.get(f"/library/manage/{coffee.pk}/progress/").status_code == 404
    for user in (studies.viewer, other_tpo.editor):
        client.force_login(user)
        assert client.get(f"/library/manage/{coffee.pk}/").status_code == 403
        assert client.post(f"/library/manage/{coffee.pk}/", {"action": "delete"}).status_code == 403
        assert client.get(f"/library/manage/{draft.pk}/").status_code == 404
        assert client.post(f"/library/manage/{draft.pk}/", {"action": "publish"}).status_code == 404
        assert client.get(f"/library/manage/{draft.pk}/progress/").status_code == 404
    client.force_login(studies.viewer)
    assert client.get("/library/manage/new/").status_code == 403
    client.force_login(make_user())
    assert client.get("/library/manage/new/").status_code == 403
    assert Document.objects.filter(pk=coffee.pk, status="published").exists()
    draft.refresh_from_db()
    assert draft.status == "draft"
