"""Finding one's HS code on a phone: the header search bar, the answer page, correcting the product
with the HS picker (htmx under the site's CSP), and the code page; in Spanish and Portuguese."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.e2e.conftest import BrowserProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def tr(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


def test_search_answer_correct_and_open_the_code(
    live_server: Any, hs_loaded: Any, page: Page, browser_problems: BrowserProblems
) -> None:
    from ivcs.products.adapters import search_index

    search_index()  # built once per process, as IVCS_WARM_HS does at server start
    page.goto(live_server.url + "/?lang=es")
    search = page.locator("form.site-search input[name=q]")
    expect(search).to_have_attribute("placeholder", tr("es", "What does your company make?"))
    search.fill("Producimos camisetas de algodón en Lima y queremos vender en Chile")
    search.press("Enter")
    expect(page.locator("main h1")).to_have_text(tr("es", "What does your company make?"))
    expect(page.locator("ul.products .hs-code code").first).to_contain_text("6109.")
    expect(page.locator("dl.understood")).to_contain_text("Perú")

    # Not right? Use the picker: typing asks /hs/suggest/ through htmx and shows codes to choose from.
    page.locator("details summary").click()
    page.locator("#hs-query-code").fill("sudadera con capucha de algodón")
    choices = page.locator("#hs-options-code input[type=radio][name=code]")
    expect(choices.first).to_be_visible(timeout=15000)
    chosen = choices.first.get_attribute("value")
    choices.first.check()
    page.get_by_role("button", name=tr("es", "Use this code")).click()
    expect(page.locator("ul.products .badge").first).to_have_text(tr("es", "your choice"))
    expect(page.locator("ul.products .hs-code code").first).to_contain_text(f"{chosen[:4]}.{chosen[4:]}")

    # The code page, in Portuguese.
    page.locator("ul.products .hs-code a").first.click()
    page.goto(page.url + "?lang=pt")
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.locator("main h1 code")).to_have_text(chosen)
    expect(page.locator("main")).to_contain_text("HS 2022")
    assert browser_problems.items == []
