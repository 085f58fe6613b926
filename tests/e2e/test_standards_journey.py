"""An SME on a phone, in Spanish: from the standards explorer to a sector, a buyer and the gap
analysis with one certificate held, up to a printable plan; then a scheme's page in Portuguese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.e2e.conftest import BrowserProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def tr(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


@pytest.fixture
def catalogue(transactional_db: None) -> Any:
    """The small test catalogue (made-up facts, real shapes) of tests/standards/catalogue."""
    from ivcs.standards.services import import_catalogue

    report = import_catalogue(Path(__file__).resolve().parents[1] / "standards" / "catalogue")
    assert report.written, [str(r) for r in report.refused]
    return report


def test_explorer_to_a_printable_plan_then_a_scheme_in_portuguese(
    live_server: Any, catalogue: Any, page: Page, snap: Callable[[str], None], browser_problems: BrowserProblems
) -> None:
    page.goto(live_server.url + "/standards/?lang=es")
    expect(page.locator("main h1")).to_have_text(tr("es", "Standards and certifications"))
    expect(page.locator("ul.std-schemes > li")).to_have_count(5)
    snap("explorer")

    page.locator("#sectors ~ ul a", has_text="Alimentos y bebidas").first.click()
    expect(page.locator("main h1")).to_have_text("Alimentos y bebidas")
    expect(page.locator(".std-buyer .badge.demo")).to_have_count(1)
    snap("sector")

    page.get_by_role("link", name="Café Importers (Demo)").click()
    expect(page.locator("main h1")).to_contain_text("Café Importers (Demo)")
    expect(page.locator("main h1 .badge.demo")).to_be_visible()
    snap("buyer")

    page.get_by_role("link", name=tr("es", "Check what I am missing for this buyer")).click()
    expect(page.locator("#id_buyer")).to_have_value("cafe_demo")
    page.locator("#id_country").select_option("PE")
    page.locator("#id_held_0").select_option("fssc_22000")
    page.locator("#id_expires_0").fill((date.today() + timedelta(days=400)).isoformat())
    page.get_by_role("button", name=tr("es", "Analyse")).click()

    expect(page.locator(".std-verdict")).to_have_text(
        tr("es", "Not ready yet: some mandatory requirements are missing.")
    )
    plan = page.locator("ol.std-plan > li")
    expect(plan.first).to_be_visible()
    expect(plan.first).to_contain_text("EU organic")
    expect(plan.first).to_contain_text("Certificadora Dos")
    expect(page.locator("#print-plan")).to_be_visible()
    snap("plan")
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("#print-plan")).to_be_hidden()
    expect(plan.first).to_be_visible()
    page.emulate_media(media="screen")

    plan.first.get_by_role("link", name="EU organic").click()
    page.goto(page.url.split("?")[0] + "?lang=pt&country=PE")
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.locator("main h1")).to_have_text("EU organic")
    expect(page.locator("#in-country")).to_contain_text("Peru")
    expect(page.locator("main")).to_contain_text("1.500\u20133.000 USD")
    snap("scheme-pt")
    assert browser_problems.items == []
