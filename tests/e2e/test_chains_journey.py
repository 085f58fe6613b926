"""An SME on a phone, in Spanish: reads what chocolate is made of (with each link's source), starts its
own bill of materials from the suggested inputs, removes one, adds cocoa beans with the HS picker,
saves, edits a share and sees the second version."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from ivcs.chains import selectors
from ivcs.chains.models import BillOfMaterials, BomInput
from tests.chains.conftest import DATA
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
def sme(hs_loaded: Any, make_user: Any, make_org: Any) -> Any:
    from ivcs.chains.services import import_chains

    report = import_chains(DATA)
    assert not report.refused
    user = make_user(email="ana@chocolates-cusco.example", full_name="Ana Mamani")
    return make_org(owner=user, slug="chocolates-cusco", name="Chocolates Cusco", kind="sme", country="PE")


def test_an_sme_reads_a_chain_and_builds_its_bill_of_materials(
    live_server: Any, sme: Any, page: Page, snap: Callable[[str], None], browser_problems: BrowserProblems
) -> None:
    base = live_server.url

    # The chain of chocolate, with the source of each link.
    page.goto(f"{base}/chains/1806/")
    expect(page.locator("#inputs-h")).to_have_text(tr("Made from"))
    paste = page.locator(".chain-flow .chain-node", has_text="1803").first
    expect(paste).to_be_visible()
    paste.locator("summary").click()
    expect(paste.locator(".chain-sources")).to_contain_text("Test fixture.")
    expect(page.locator("#uses-h")).to_have_text(tr("Goes into"))
    snap("01-chain")

    # Start a bill of materials from it: the curated inputs are prefilled.
    sign_in(page, base, "ana@chocolates-cusco.example", "/chains/mine/new/?hs=1806")
    expect(page.locator("main h1")).to_have_text(tr("A new bill of materials"))
    codes = [page.locator(f"#id_inputs-{i}-hs").input_value() for i in range(4)]
    assert set(codes) == {"1803", "1804", "1701", "0402"}
    milk = codes.index("0402")
    page.check(f"#id_inputs-{milk}-DELETE")
    paste_row = codes.index("1803")
    page.select_option(f"#id_inputs-{paste_row}-origin", "PE")
    page.fill(f"#id_inputs-{paste_row}-value_share", "35")
    page.select_option(f"#id_inputs-{paste_row}-originating", "yes")
    snap("02-prefilled")

    # Add cocoa beans with the picker.
    page.fill("#hs-query-add_hs", "cacao en grano")
    beans = page.locator('input[name="add_hs"][value^="1801"]').first
    expect(beans).to_be_visible(timeout=90_000)  # the first search builds the lexical index
    beans.check()
    page.get_by_role("button", name=tr("Add to the list")).click()
    expect(page.locator('input[name$="-hs"][value^="1801"]')).to_have_count(1)
    page.fill("#id_name", "Tableta 70 % cacao")
    page.get_by_role("button", name=tr("Save"), exact=True).last.click()
    expect(page.locator("main h1")).to_contain_text("Tableta 70 % cacao")
    bom = BillOfMaterials.objects.get()
    assert bom.version == 1
    assert sorted(BomInput.objects.values_list("hs_code_id", flat=True)) == sorted(["1803", "1804", "1701", "180100"])
    snap("03-saved")

    # Edit: a share changes; the second version is listed.
    page.get_by_role("link", name=tr("Edit"), exact=True).click()
    row = next(i for i in range(4) if page.locator(f"#id_inputs-{i}-hs").input_value() == "1701")
    page.fill(f"#id_inputs-{row}-value_share", "12,5")
    page.get_by_role("button", name=tr("Save"), exact=True).last.click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#versions-h + ul li")).to_have_count(2)
    assert BomInput.objects.get(hs_code_id="1701").value_share == 12.5
    assert re.search("12[.,]5", page.locator("main table").inner_text())
    snap("04-version-2")
    assert browser_problems.items == []
