"""The library's writes and reads below the pages: extraction into passages, the database's full-text
index (SQLite FTS5 and PostgreSQL, whichever the suite runs on), the search service, visibility and
permissions, the bulk import, reindexing and the commands."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation

from ivcs.accounts.models import Organisation
from ivcs.core.errors import FieldErrors
from ivcs.engines.documents import Section, Study, write_docx, write_pdf
from ivcs.engines.search import parse_query
from ivcs.library import fulltext, selectors, services
from ivcs.library.models import Document, Passage

pytestmark = pytest.mark.django_db(transaction=False)


def study(slug: str, language: str, sections: list[tuple[str, str]], title: str | None = None) -> Study:
    return Study(
        slug=slug, title=title or slug.replace("-", " ").title(), language=language, year=2024, type="market_study",
        sectors=("food_beverage",), hs=("0901",), markets=("JP",), origin_country="CO", publisher="x",
        format="pdf", licence="CC BY 4.0", summary="", sections=tuple(Section(h, t) for h, t in sections),
    )


COFFEE_EN = study("coffee-japan", "en", [
    ("Market", "Japanese roasters buy specialty coffee from Colombia and Peru in small lots every season. " * 4),
    ("Requirements", "Importers ask for traceability to the farm, cupping scores and organic certification. " * 4),
    ("Logistics", "Green coffee travels in GrainPro bags inside dry containers to the port of Yokohama. " * 4),
])
SOFTWARE_ES = study("software-eeuu", "es", [
    ("Mercado", "Las empresas de Estados Unidos contratan servicios de desarrollo de software en América Latina. " * 4),
    ("Requisitos", "Los clientes piden la certificación ISO 27001 y contratos con cláusulas de confidencialidad. " * 4),
])


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def library_dir(settings: Any, tmp_path: Path) -> Path:
    settings.IVCS_LIBRARY_DIR = tmp_path / "library"
    return settings.IVCS_LIBRARY_DIR


@pytest.fixture
def tpo(make_org: Any, make_user: Any, default_tenant: Any) -> Organisation:
    return make_org(kind="tpo", country="CO", tenant=default_tenant, owner=make_user(email="owner@tpo.example"))


def _file(tmp_path: Path, s: Study, kind: str = "pdf") -> Path:
    path = tmp_path / f"{s.slug}.{kind}"
    (write_pdf if kind == "pdf" else write_docx)(path, s)
    return path


def test_import_reads_pages_into_passages_and_the_full_text_index(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    report = services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Coffee for Japan"})
    assert report.ok and report.status == Document.Extraction.DONE
    d = Document.objects.get(pk=report.document_id)
    assert d.status == Document.Status.PUBLISHED and d.language == "en"  # language found in the text
    assert d.page_count == 4  # the demo renderer's title page + three sections
    pages = set(d.passages.values_list("page", flat=True))
    assert {2, 3, 4} <= pages
    passage = d.passages.get(text__contains="Yokohama")
    assert passage.page == 4 and passage.vector is not None and len(passage.vector) == 512 * 2
    hits = fulltext.search(parse_query("yokohama containers"), "and")
    assert [pid for pid, _ in hits] == [passage.pk]
    # Stems meet: "certifications" finds "certification" (English stemming on the English passage).
    assert fulltext.search(parse_query("certifications"), "and")
    # The stored file is under the library folder, never under static or media.
    assert services.file_path(d) is not None and library_dir in services.file_path(d).parents


def test_docx_pages_come_from_its_page_breaks(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    report = services.import_file(_file(tmp_path, SOFTWARE_ES, "docx"), tpo, {"title": "Software"})
    d = Document.objects.get(pk=report.document_id)
    assert d.file_kind == "docx" and d.language == "es"
    assert d.passages.get(text__contains="ISO 27001").page == 3


def test_search_across_languages_with_facets_and_snippets(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Coffee for Japan", "markets": "JP",
                                                              "sectors": "food_beverage"})
    services.import_file(_file(tmp_path, SOFTWARE_ES), tpo, {"title": "Software para Estados Unidos",
                                                               "markets": "US", "sectors": "ict"})
    found = selectors.search_library("café especial para Japón", selectors.SearchFilters(), tenant_id=tpo.tenant_id)
    assert found.hits and found.hits[0].document.title == "Coffee for Japan"
    assert found.hits[0].semantic  # found by meaning: the study is in English
    words = selectors.search_library("confidencialidad", selectors.SearchFilters(), tenant_id=tpo.tenant_id)
    assert words.mode == "all" and words.total == 1
    hit = words.hits[0]
    assert hit.lexical and hit.page == 3
    assert "<mark>confidencialidad</mark>" in hit.snippet.html()
    facets = {name: {v.value: v.count for v in values} for name, values in words.facets.items()}
    assert facets["market"] == {"US": 1} and facets["sector"] == {"ict": 1}
    browse = selectors.search_library("", selectors.SearchFilters(market={"JP"}), tenant_id=tpo.tenant_id)
    assert browse.mode == "browse" and [h.document.title for h in browse.hits] == ["Coffee for Japan"]
    # Disjunctive facets: with market=JP chosen, the market facet still counts US.
    assert {v.value for v in browse.facets["market"]} == {"JP", "US"}


def test_unknown_filter_values_are_refused_by_name(db: None) -> None:
    with pytest.raises(FieldErrors) as caught:
        selectors.parse_filters({"sector": ["food_beverage", "spaceships"], "market": "ZZ", "hs": "12a",
                                 "year_from": "2025", "year_to": "2020"})
    fields = {e.field for e in caught.value.errors}
    assert fields == {"sector", "market", "hs", "year_from"}


def test_drafts_and_site_only_studies_follow_visibility(library_dir: Path, tmp_path: Path, tpo: Any,
                                                        other_tenant: Any) -> None:
    report = services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Coffee", "visibility": "site"})
    draft = services.import_file(_file(tmp_path, SOFTWARE_ES), tpo, {"title": "Software"}, publish=False)
    here = selectors.search_library("", selectors.SearchFilters(), tenant_id=tpo.tenant_id)
    there = selectors.search_library("", selectors.SearchFilters(), tenant_id=other_tenant.pk)
    assert [h.document.pk for h in here.hits] == [report.document_id]
    assert there.total == 0
    assert selectors.document_for(report.document_id, tenant_id=other_tenant.pk) is None
    assert selectors.document_for(draft.document_id, tenant_id=tpo.tenant_id) is None
    owner = tpo.memberships.get().user
    assert selectors.document_for(draft.document_id, tenant_id=tpo.tenant_id, actor=owner) is not None


def test_only_the_publishers_editors_change_a_study(library_dir: Path, tmp_path: Path, tpo: Any, make_user: Any,
                                                    make_org: Any) -> None:
    report = services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Coffee"})
    d = Document.objects.get(pk=report.document_id)
    viewer = make_user(email="viewer@tpo.example")
    tpo.memberships.create(user=viewer, role="viewer")
    stranger = make_user(email="other@tpo2.example")
    make_org(kind="tpo", country="PE", owner=stranger)
    for actor in (viewer, stranger, None):
        with pytest.raises(PermissionDenied):
            services.update_document(actor, d, {"title": "Mine now"})
        with pytest.raises(PermissionDenied):
            services.set_status(actor, d, "withdrawn")
        with pytest.raises(PermissionDenied):
            services.delete_document(actor, d)
    owner = tpo.memberships.get(role="owner").user
    services.update_document(owner, d, {"title": "Café para Japón", "markets": ["jp", "EU"]})
    d.refresh_from_db()
    assert d.title == "Café para Japón" and d.markets == ["JP", "EU"]


def test_sme_cannot_publish_studies(library_dir: Path, make_org: Any, make_user: Any) -> None:
    owner = make_user(email="sme@x.example")
    sme = make_org(kind="sme", country="CL", owner=owner)
    with pytest.raises(FieldErrors) as caught:
        services.create_document(actor=owner, publisher=sme, metadata={"title": "x", "source_url": "https://a.example"})
    assert caught.value.field == "publisher"


def test_metadata_is_validated_field_by_field(db: None) -> None:
    with pytest.raises(FieldErrors) as caught:
        services.clean_metadata({"title": "", "year": "1800", "language": "fr", "doc_type": "novel",
                                 "sectors": ["mining"], "hs_codes": "09012", "markets": "XX, US",
                                 "origin_country": "QQ", "source_url": "javascript:alert(1)", "visibility": "world"})
    assert {e.field for e in caught.value.errors} == {
        "title", "year", "language", "doc_type", "sectors", "hs_codes", "markets", "origin_country", "source_url",
        "visibility",
    }
    ok = services.clean_metadata({"title": " Café ", "hs_codes": "0901.21, 09", "markets": "us,eu"})
    assert ok["title"] == "Café" and ok["hs_codes"] == ["090121", "09"] and ok["markets"] == ["US", "EU"]


def test_a_file_that_is_not_a_document_is_refused_and_not_kept(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    png = tmp_path / "study.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    with translation.override("en"):
        report = services.import_file(png, tpo, {"title": "Image"})
    assert not report.ok and "not a PDF" in report.message
    assert not Document.objects.exists()
    assert not any(p.is_file() for p in library_dir.rglob("*"))


def test_size_limit(library_dir: Path, tmp_path: Path, tpo: Any, settings: Any) -> None:
    settings.IVCS_LIBRARY_MAX_BYTES = 1000
    with translation.override("en"):
        report = services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Big"})
    assert not report.ok and "larger than 1000" in report.message
    assert not any(p.is_file() for p in library_dir.rglob("*"))


def test_an_encrypted_pdf_is_kept_as_a_record_without_text(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = _file(tmp_path, COFFEE_EN)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as out:
        writer.write(out)
    report = services.import_file(locked, tpo, {"title": "Locked"})
    assert report.ok and report.status == Document.Extraction.ENCRYPTED and report.passages == 0
    d = Document.objects.get(pk=report.document_id)
    assert d.status == Document.Status.DRAFT  # nothing to search in: left for the editor to decide
    assert "password" in services.extraction_message(d)


def test_the_same_file_twice_is_refused(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    path = _file(tmp_path, COFFEE_EN)
    assert services.import_file(path, tpo, {"title": "One"}).ok
    again = services.import_file(path, tpo, {"title": "Two"})
    assert not again.ok and "already in the library" in again.message
    assert Document.objects.count() == 1


def test_extraction_again_replaces_the_passages(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    report = services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Coffee"})
    before = set(Passage.objects.values_list("id", flat=True))
    services.extract_document(report.document_id)
    after = set(Passage.objects.values_list("id", flat=True))
    assert len(after) == len(before) and not before & after
    assert len(fulltext.search(parse_query("yokohama"), "and")) == 1  # no stale rows in the index


def test_delete_removes_passages_index_rows_and_file(library_dir: Path, tmp_path: Path, tpo: Any,
                                                     django_capture_on_commit_callbacks: Any) -> None:
    report = services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Coffee"})
    d = Document.objects.get(pk=report.document_id)
    path = services.file_path(d)
    assert path is not None and path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(tpo.memberships.get().user, d)
    assert not Passage.objects.exists() and not path.exists()
    assert fulltext.search(parse_query("yokohama"), "and") == []


def test_reindex_rebuilds_the_full_text_and_missing_vectors(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Coffee"})
    fulltext.clear()
    Passage.objects.update(vector=None)
    assert fulltext.search(parse_query("yokohama"), "and") == []
    out = StringIO()
    call_command("library_reindex", stdout=out)
    assert "passages indexed" in out.getvalue()
    assert len(fulltext.search(parse_query("yokohama"), "and")) == 1
    assert not Passage.objects.filter(vector__isnull=True).exists()


def test_library_import_command_reports_per_file(library_dir: Path, tmp_path: Path, default_tenant: Any) -> None:
    folder = tmp_path / "studies"
    folder.mkdir()
    _file(folder, COFFEE_EN)
    _file(folder, SOFTWARE_ES, "docx")
    (folder / "notes.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "metadata.yaml").write_text(
        "coffee-japan.pdf:\n  title: Specialty coffee for Japan\n  markets: [JP]\n  year: 2025\n", encoding="utf-8"
    )
    out, err = StringIO(), StringIO()
    call_command("library_import", str(folder), "--publisher", "new-agency", "--create-publisher",
                 "New Export Agency", "--country", "PE", stdout=out, stderr=err)
    assert "Created the trade promotion organisation New Export Agency" in out.getvalue()
    assert out.getvalue().count("  OK ") == 2 and "2 imported, 1 refused" in out.getvalue()
    assert "REFUSED" in err.getvalue() and "notes.txt" in err.getvalue()
    d = Document.objects.get(title="Specialty coffee for Japan")
    assert d.markets == ["JP"] and d.year == 2025 and d.publisher.kind == "tpo" and d.publisher.country == "PE"
    assert Document.objects.get(file_kind="docx").title == "Software eeuu"  # from the file name


def test_library_import_command_errors(library_dir: Path, tmp_path: Path, make_org: Any) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("library_import", str(tmp_path / "nothing"), "--publisher", "x")
    with pytest.raises(CommandError, match="--create-publisher"):
        call_command("library_import", str(tmp_path), "--publisher", "unknown-slug")
    make_org(kind="sme", slug="an-sme", country="CL")
    with pytest.raises(CommandError, match="not a trade promotion organisation"):
        call_command("library_import", str(tmp_path), "--publisher", "an-sme")
    with pytest.raises(CommandError, match="--country"):
        call_command("library_import", str(tmp_path), "--publisher", "fresh", "--create-publisher", "Fresh")


def test_suggestions_from_the_text(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    report = services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Specialty coffee for Japan"},
                                  publish=False)
    d = Document.objects.get(pk=report.document_id)
    assert d.suggestions["language"] == "en"
    assert "0901" in [s["code"] for s in d.suggestions["hs"]]
    assert "JP" in [s["code"] for s in d.suggestions["markets"]]
    owner = tpo.memberships.get().user
    services.accept_suggestions(owner, d, ["hs_codes", "markets"])
    d.refresh_from_db()
    assert "0901" in d.hs_codes and "JP" in d.markets


def test_studies_for_other_modules(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Coffee", "hs_codes": "090121", "markets": "JP"})
    assert [d.title for d in selectors.studies_for(hs="0901", tenant_id=tpo.tenant_id)[0]] == ["Coffee"]
    assert selectors.studies_for(hs="09", tenant_id=tpo.tenant_id)[1] == 1
    assert selectors.studies_for(hs="1801", tenant_id=tpo.tenant_id)[1] == 0
    assert selectors.studies_for(market="JP", tenant_id=tpo.tenant_id)[1] == 1
    assert [d.title for d in selectors.studies_mentioning("GrainPro", tenant_id=tpo.tenant_id)] == ["Coffee"]
    assert selectors.studies_mentioning("GrainPro Fairtrade", tenant_id=tpo.tenant_id) == []


def test_the_sweep_requeues_readings_that_never_finished(library_dir: Path, tmp_path: Path, tpo: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from ivcs.core.models import OutboxEvent

    report = services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Coffee"})
    fresh = services.import_file(_file(tmp_path, SOFTWARE_ES), tpo, {"title": "Software"})
    Document.objects.filter(pk=report.document_id).update(
        extraction=Document.Extraction.RUNNING, updated_at=timezone.now() - timedelta(hours=1)
    )
    Document.objects.filter(pk=fresh.document_id).update(extraction=Document.Extraction.RUNNING)  # still working
    assert services.requeue_stale() == 1
    event = OutboxEvent.objects.get(topic=services.EXTRACT_TOPIC)
    assert event.payload["document_id"] == report.document_id
    from ivcs.core.outbox import Event
    from ivcs.library.handlers import extract_requested

    extract_requested(Event(event.pk, event.topic, event.payload, event.tenant_id, 1))  # huey runs it at once here
    assert Document.objects.get(pk=report.document_id).extraction == Document.Extraction.DONE


def test_review_page_shows_suggested_codes_in_the_pages_language(
    library_dir: Path, tmp_path: Path, tpo: Any, client: Any
) -> None:
    from ivcs.products.models import HsCode

    report = services.import_file(_file(tmp_path, COFFEE_EN), tpo, {"title": "Specialty coffee for Japan"},
                                  publish=False)
    d = Document.objects.get(pk=report.document_id)
    assert "0901" in [s["code"] for s in d.suggestions["hs"]]
    client.force_login(tpo.memberships.get().user)
    page = client.get(f"/library/manage/{d.pk}/?lang=es")
    assert page.status_code == 200
    spanish = HsCode.objects.get(code="0901").description("es")[0]
    assert spanish and spanish[:30] in page.content.decode()  # truncated on the page
