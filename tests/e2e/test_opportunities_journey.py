"""A buyer and an SME on phones, in Spanish: the buyer publishes an opportunity through the form (with the
HS picker); the SME, whose profile fits, finds it in "Opportunities for you" with a reason and says it
is interested; the buyer then sees it among the interested suppliers, with its contact."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from ivcs.accounts.models import Organisation
from ivcs.opportunities import recommend
from ivcs.opportunities.models import Opportunity
from ivcs.profiles.services import save_profile
from tests.conftest import PASSWORD
from tests.e2e.conftest import BrowserProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Café verde para tostaduría en Lima"


def tr(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


@pytest.fixture
def catalogue(transactional_db: None) -> Any:
    from ivcs.standards.services import import_catalogue

    report = import_catalogue(Path(__file__).resolve().parents[1] / "standards" / "catalogue")
    assert report.written, [str(r) for r in report.refused]
    return report


@pytest.fixture(autouse=True)
def _light(settings: Any) -> Iterator[None]:
    """Lexical HS search and matching (no sentence encoder in the live server)."""
    settings.IVCS_HS_SEMANTIC = False
    settings.IVCS_MATCHING_SEMANTIC = False
    recommend.forget()
    yield
    recommend.forget()


@pytest.fixture
def people(catalogue: Any, hs_loaded: Any, make_user: Any, make_org: Any) -> dict[str, Any]:
    buyer_user = make_user(email="compras@tostaduria.example", full_name="Lucía Compras")
    buyer = make_org(owner=buyer_user, slug="tostaduria-lima", name="Tostaduría Lima", kind="buyer", country="PE")
    sme_user = make_user(email="rosa@cafe-junin.example", full_name="Rosa Quispe")
    sme = make_org(owner=sme_user, slug="cafe-junin", name="Café Junín", kind=Organisation.Kind.SME, country="PE")
    save_profile(
        sme_user,
        sme,
        {
            "country": "PE",
            "region": "Junín",
            "sectors": ["food_beverage.coffee_cocoa"],
            "products": [{"hs": "0901", "description": "Café verde de altura"}],
            "description": "Cultivamos y exportamos café verde de altura.",
            "description_language": "es",
            "capacity_volume": "200",
            "capacity_unit": "t",
            "languages": ["es"],
            "public": True,
            "certifications": [{"standard": "fssc_22000", "expires": "2031-01-31"}],
        },
    )
    return {"buyer": buyer, "buyer_user": buyer_user, "sme": sme, "sme_user": sme_user}


def sign_in(page: Page, base: str, email: str, then: str) -> None:
    page.goto(f"{base}/account/login/?next={then}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(then)))


def sign_out(page: Page) -> None:
    page.locator("header.site-header").get_by_role("button", name=tr("es", "Sign out")).click()
    page.wait_for_load_state()


def test_a_buyer_publishes_an_sme_says_it_is_interested_the_buyer_sees_its_contact(
    live_server: Any,
    people: dict[str, Any],
    page: Page,
    snap: Callable[[str], None],
    browser_problems: BrowserProblems,
) -> None:
    base = live_server.url

    # The buyer publishes through the form, finding the HS code with the picker.
    sign_in(page, base, "compras@tostaduria.example", "/opportunities/new/")
    expect(page.locator("main h1")).to_have_text(tr("es", "Publish an opportunity"))
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "Café verde lavado de altura, cosecha nueva, para tostar en Lima.")
    page.fill("#id_text_0", "Café verde sin tostar")
    page.locator(".opp-picker summary").first.click()
    page.fill("#hs-query-hs_pick_0", "café sin tostar")
    choice = page.locator('input[name="hs_pick_0"][value^="0901"]').first
    expect(choice).to_be_visible(timeout=30_000)  # the first search builds the lexical index
    choice.check()
    page.fill("#id_quantity", "2")
    page.select_option("#id_unit", "t")
    page.select_option("#id_frequency", "monthly")
    page.select_option("#id_delivery_country", "PE")
    page.fill("#id_delivery_place", "Callao")
    page.select_option("#id_schemes_0", "fssc_22000")
    page.fill("#id_deadline", (timezone.localdate() + timedelta(days=45)).isoformat())
    page.fill("#id_contact_method", "compras@tostaduria.example")
    snap("01-form")
    page.get_by_role("button", name=tr("es", "Publish"), exact=True).click()
    expect(page.locator("main h1")).to_have_text(TITLE)
    opportunity = Opportunity.objects.get(title=TITLE)
    assert opportunity.status == "published"
    assert str(next(p.hs_code_id for p in opportunity.products.all())).startswith("0901")
    snap("02-published")
    sign_out(page)

    # The SME finds it among its recommendations, with a reason, and says it is interested.
    sign_in(page, base, "rosa@cafe-junin.example", "/opportunities/")
    expect(page.locator("main h1")).to_have_text(tr("es", "Opportunities for you"))
    card = page.locator("li.opp-card", has_text=TITLE)
    expect(card).to_be_visible()
    expect(card.locator(".opp-reasons li").first).to_be_visible()
    with translation.override("es"):
        held = translation.gettext("You hold what is asked: %(schemes)s") % {"schemes": "FSSC 22000"}
    expect(card.locator(".opp-reasons")).to_contain_text(held)
    snap("03-for-you")
    card.get_by_role("link", name=tr("es", "I'm interested")).click()
    expect(page.locator("#interest")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("compras@tostaduria.example")
    page.fill("#interest textarea[name=message]", "Podemos enviar 2 t al mes desde Junín.")
    page.locator('#interest button[name="action"][value="interest"]').click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#contact")).to_be_visible()
    expect(page.locator("main")).to_contain_text("compras@tostaduria.example")
    snap("04-interested")
    sign_out(page)

    # The buyer sees the SME among the interested suppliers, with its contact.
    sign_in(page, base, "compras@tostaduria.example", "/opportunities/mine/")
    page.locator(f'a[href="/opportunities/{opportunity.pk}/suppliers/"]').click()
    interested = page.locator("li.opp-supplier", has_text="Café Junín")
    expect(interested).to_be_visible()
    expect(interested).to_contain_text("rosa@cafe-junin.example")
    expect(interested).to_contain_text("Podemos enviar 2 t al mes desde Junín.")
    snap("05-suppliers")
    assert browser_problems.items == []
