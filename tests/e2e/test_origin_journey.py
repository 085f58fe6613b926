"""An SME on a phone, in Spanish: starts a rules-of-origin assessment from its bill of materials for T-shirts,
reads the results table for every agreement and market, answers the question about which rule applies and the
one about insufficient operations, sees the result change to "qualifies" with the tariff, and opens the printable
summary."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from ivcs.origin import selectors
from tests.e2e.conftest import BrowserProblems
from tests.e2e.test_opportunities_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def tr(msgid: str) -> str:
    with translation.override("es"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _light(settings: Any) -> Iterator[None]:
    settings.IVCS_HS_SEMANTIC = False
    selectors.forget()
    yield
    selectors.forget()


@pytest.fixture
def rules(db: None, tmp_path: Path) -> Any:
    """The UK-Andean scheme only (quick to import)."""
    from ivcs.origin.services import default_folder, import_origin

    uk = default_folder() / "uk_trade_tariff_backend"
    shutil.copy(uk / "roo_schemes_uk.json", tmp_path)
    (tmp_path / "rule_sets").mkdir()
    shutil.copy(uk / "rule_sets" / "andean.json", tmp_path / "rule_sets")
    report = import_origin(tmp_path)
    assert report.written, report.refused
    selectors.rules_changed()
    return report


@pytest.fixture
def bom(hs_loaded: Any, rules: Any, make_user: Any, make_org: Any) -> Any:
    from ivcs.chains import services as chains

    user = make_user(email="lucia@confecciones-medellin.example", full_name="Lucía Restrepo")
    org = make_org(owner=user, slug="confecciones-medellin", name="Confecciones Medellín", kind="sme", country="CO")
    return chains.create_bom(
        user,
        org,
        {
            "product": "610910",
            "name": "Camiseta básica",
            "inputs": [
                {"hs": "520512", "origin": "CN", "value_share": 30, "description": "Hilado de algodón"},
                {"hs": "5206", "origin": "PE", "value_share": 10, "description": "Hilado mezcla"},
            ],
        },
    )


def test_an_sme_checks_where_its_t_shirts_enter_at_a_preferential_tariff(
    live_server: Any, bom: Any, page: Page, snap: Callable[[str], None], browser_problems: BrowserProblems
) -> None:
    base = live_server.url
    sign_in(page, base, "lucia@confecciones-medellin.example", "/origin/")
    expect(page.locator("main h1")).to_have_text(tr("Where can my product enter at a preferential tariff?"))
    page.get_by_role("link", name="610910 Camiseta básica").click()
    expect(page.locator("#id_inputs-0-hs")).to_have_value("520512")
    expect(page.locator("#id_exporter")).to_have_value("CO")
    expect(page.locator("#id_ex_works_price")).to_have_value("100.00")
    snap("01-prefilled")

    page.get_by_role("button", name=tr("Assess"), exact=True).last.click()
    table = page.locator(".origin-table")
    expect(table).to_contain_text("UK-Andean")
    andean = table.locator("tr", has_text="UK-Andean")
    expect(andean).to_contain_text(tr("Needs information"))
    snap("02-results")

    # The UK-Andean rules for 6109 depend on how the T-shirt is made: choose, and assess again.
    question = page.locator(".origin-question", has_text="Chapter 61").first
    question.locator("label", has_text="Obtained by sewing").locator("input").check()
    page.get_by_role("button", name=tr("Assess again")).click()
    # The rule is met; before it counts, the tool asks whether the work is more than simple operations.
    page.check('input[name="answer__insufficient_processing"][value="false"]')
    page.get_by_role("button", name=tr("Assess again")).click()
    andean = page.locator(".origin-table tr", has_text="UK-Andean")
    expect(andean.locator(".badge")).to_have_class("badge status-qualifies")
    expect(andean).to_contain_text("12%")
    card = page.locator(".origin-result", has_text="UK-Andean").first
    expect(card.locator(".origin-inputs li").first).to_contain_text("520512")
    snap("03-qualifies")

    page.get_by_role("button", name=tr("Printable summary")).click()
    expect(page.locator("main h1")).to_have_text(tr("Rules of origin: summary"))
    expect(page.locator("main")).to_contain_text("Hilado de algodón")
    snap("04-summary")
    assert browser_problems.items == []
