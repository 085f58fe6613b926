"""A TPO editor on a phone, in Spanish, adds a study: signs in, uploads a PDF, sees on the review page that the
text was read and what the system found in it, and publishes it. Then an anonymous visitor searches in
Portuguese for what the Spanish study says, finds it with a highlighted snippet and its page number, opens the
study and downloads the file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from ivcs.engines.documents import Section, Study, write_pdf
from ivcs.library.models import Document
from tests.e2e.conftest import BrowserProblems
from tests.e2e.test_opportunities_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "marta@promo-andina.example"


def tr(msgid: str) -> str:
    with translation.override("es"):
        return translation.gettext(msgid)


@pytest.fixture
def editor(hs_loaded: Any, make_user: Any, make_org: Any, settings: Any, tmp_path: Path) -> Any:
    from ivcs.library import selectors

    settings.IVCS_LIBRARY_DIR = tmp_path / "library-files"
    selectors._cached.update(stamp=None, index=None)
    user = make_user(email=EMAIL, full_name="Marta Quispe")
    make_org(owner=user, slug="promo-andina", name="Promo Andina", kind="tpo", country="BO")
    return user


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    quinoa = Study(
        slug="quinua-francia",
        title="La quinua boliviana en Francia",
        language="es",
        year=2024,
        type="market_study",
        sectors=("food_beverage",),
        hs=("1008",),
        markets=("FR",),
        origin_country="BO",
        publisher="Promo Andina",
        format="pdf",
        licence="CC BY 4.0",
        summary="Cómo venden los exportadores bolivianos quinua orgánica a Francia.",
        sections=(
            Section("Mercado", "Francia compra quinua orgánica de Bolivia para tiendas naturistas y supermercados."),
            Section(
                "Precios",
                "El precio de la quinua real orgánica en las tiendas de París subió un veinte por ciento en 2023. "
                "Los compradores franceses pagan más por la quinua con certificación de comercio justo.",
            ),
        ),
    )
    return write_pdf(tmp_path / "quinua-francia.pdf", quinoa)


def test_a_tpo_publishes_a_study_and_a_visitor_finds_it_in_portuguese(
    live_server: Any, editor: Any, pdf: Path, page: Page, snap: Callable[[str], None],
    browser_problems: BrowserProblems
) -> None:
    base = live_server.url
    sign_in(page, base, EMAIL, "/library/manage/new/")
    expect(page.locator("main h1")).to_have_text(tr("Add a study"))
    page.set_input_files("#id_file", str(pdf))
    page.fill("#id_title", "La quinua boliviana en Francia")
    page.fill("#id_year", "2024")
    page.uncheck("#id_publish")  # the editor checks what was found first, then publishes
    snap("01-upload")
    # The file is read while the page waits (huey runs in-process here): allow for the encoder loading.
    page.get_by_role("button", name=tr("Add the study")).click(no_wait_after=True)
    page.wait_for_url(re.compile(r"/library/manage/\d+/$"), timeout=120_000)
    document = Document.objects.get()
    progress = page.locator("#lib-progress")
    expect(progress).to_contain_text(tr("Text extracted"))
    suggestions = page.locator("section[aria-labelledby=sugg]")
    expect(suggestions).to_contain_text(tr("Found in the text"))
    expect(suggestions).to_contain_text("Francia")
    snap("02-review")

    page.get_by_role("button", name=tr("Publish"), exact=True).click()
    expect(page.locator("main")).to_contain_text(tr("Published: the study can now be found."))
    document.refresh_from_db()
    assert document.status == "published" and document.extraction == "done" and document.page_count == 3
    snap("03-published")

    page.context.clear_cookies()  # an anonymous visitor now
    page.goto(f"{base}/library/?lang=pt-br")
    page.fill("#lib-q", "preço da quinoa orgânica em Paris")
    page.locator("form.lib-search button[type=submit]").click(no_wait_after=True)
    page.wait_for_url(re.compile(r"/library/\?.*q="), timeout=60_000)
    hit = page.locator(".lib-hit").first
    expect(hit.locator("h3")).to_have_text("La quinua boliviana en Francia")
    expect(hit.locator(".lib-snippet mark").first).to_be_visible()
    expect(hit.locator(".lib-where")).to_contain_text(re.compile(r"(page|página) 3"))
    snap("04-found")

    hit.locator("h3 a").click()
    page.wait_for_url(re.compile(rf"/library/{document.pk}/\?q="))
    expect(page.locator("main h1")).to_have_text("La quinua boliviana en Francia")
    expect(page.locator(".lib-passage").first).to_contain_text(re.compile(r"(Page|Página) 3"))
    snap("05-study")
    with page.expect_download() as download_info:
        page.locator(f'a[href="/library/{document.pk}/download/"]').click()
    download = download_info.value
    assert download.suggested_filename == "quinua-francia.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    assert browser_problems.items == []
