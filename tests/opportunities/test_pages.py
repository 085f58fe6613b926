"""The opportunities pages as people meet them: an SME's "Opportunities for you" with reasons and gap
badges, its save / dismiss / interest actions, the opportunity page with the certification gap; a
buyer's publishing form (with the preview in three languages), its list and its suppliers (contact
details only after interest); in es/pt/en, with 403/404/400 for the wrong actor and bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from ivcs.accounts.models import Organisation
from ivcs.opportunities import recommend, services
from ivcs.opportunities.models import Engagement, Opportunity, OpportunityRevision
from ivcs.profiles.services import save_profile

pytestmark = pytest.mark.django_db

LANGS = ["es", "pt", "en"]


def tr(language: str, msgid: str) -> str:
    with translation.override("pt-br" if language == "pt" else language):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _lexical_index(settings: Any) -> Iterator[None]:
    """No sentence encoder in page tests; a fresh matching index per test."""
    settings.IVCS_MATCHING_SEMANTIC = False
    recommend.forget()
    yield
    recommend.forget()


@pytest.fixture
def sme_profile(sme: Organisation, sme_owner: Any, catalogue: Any, hs_loaded: Any) -> Any:
    """Café Andino (PE) makes green coffee, holds no certificate: it lacks FSSC 22000 / BRCGS Food."""
    return save_profile(
        sme_owner,
        sme,
        {
            "country": "PE",
            "sectors": ["food_beverage.coffee_cocoa"],
            "products": [{"hs": "090111", "description": "Café verde lavado"}],
            "description": "Exportamos café verde de altura.",
            "description_language": "es",
            "capacity_volume": "100",
            "capacity_unit": "t",
            "years_exporting": 4,
            "languages": ["es", "en"],
            "public": True,
            "certifications": [],
        },
    )


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def html(response: Any, status: int = 200) -> str:
    assert response.status_code == status, (response.status_code, response.content[:400])
    return response.content.decode()


def form_data(soon: dt.date, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Cacao fino de aroma",
        "description": "Granos de cacao fermentados y secos para nuestra chocolatería.",
        "language": "es",
        "quantity": "10",
        "unit": "t",
        "frequency": "quarterly",
        "delivery_country": "DE",
        "delivery_place": "Hamburg",
        "incoterm": "FOB",
        "eligible_countries": ["PE", "EC"],
        "deadline": soon.isoformat(),
        "contact_method": "compras@buyer.example, +1 305 000 0000",
        "hs_0": "1801",
        "text_0": "Cacao en grano",
        "schemes_0": ["organic_eu"],
        "level_0": "mandatory",
        "level_1": "mandatory",
    }
    data.update(changes)
    return data


# --- SME side -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_an_sme_sees_opportunities_for_it_with_reasons_and_gap_badges(
    client: Client, published: Opportunity, sme_owner: Any, sme_profile: Any, lang: str
) -> None:
    page = html(login(client, sme_owner).get(f"/opportunities/?lang={lang}"))
    assert tr(lang, "Opportunities for you") in page
    assert published.title in page and "Big Buyer Inc." in page
    with translation.override("pt-br" if lang == "pt" else lang):
        same = translation.gettext("Same product (HS %(code)s)") % {"code": "090111"}
        reachable = translation.gettext("Reachable with %(what)s (required)") % {"what": "BRCGS Food / FSSC 22000"}
    assert same in page
    assert reachable in page, "the missing mandatory certification is a badge"
    assert f'href="/opportunities/{published.pk}/?org=cafe-andino#certifications"' in page
    assert "<meter" in page and tr(lang, "Save") in page and tr(lang, "Dismiss") in page


def test_only_reachable_hides_the_opportunities_lacking_a_mandatory_certificate(
    client: Client, published: Opportunity, sme_owner: Any, sme_profile: Any
) -> None:
    page = html(login(client, sme_owner).get("/opportunities/?lang=en&tab=for_you&reachable=on"))
    assert published.title not in page
    assert "No open opportunity fits your profile with these filters yet." in page


def test_filters_narrow_the_recommendations(
    client: Client, published: Opportunity, sme_owner: Any, sme_profile: Any
) -> None:
    login(client, sme_owner)
    assert published.title in html(client.get("/opportunities/?lang=en&tab=for_you&hs=0901&country=PE"))
    assert published.title not in html(client.get("/opportunities/?lang=en&tab=for_you&hs=5208"))
    assert published.title not in html(client.get("/opportunities/?lang=en&tab=for_you&q=tornillos"))


def test_save_dismiss_and_the_saved_tab(
    client: Client, published: Opportunity, sme: Organisation, sme_owner: Any, sme_profile: Any
) -> None:
    login(client, sme_owner)
    response = client.post(
        f"/opportunities/{published.pk}/engage/",
        {"organisation": sme.slug, "action": "save", "next": "/opportunities/?tab=saved&org=cafe-andino"},
    )
    assert response.status_code == 302 and response["Location"] == "/opportunities/?tab=saved&org=cafe-andino"
    assert Engagement.objects.get(organisation=sme, opportunity=published).state == "saved"
    page = html(client.get("/opportunities/?tab=saved&org=cafe-andino&lang=en"))
    assert published.title in page and "Saved opportunities" in page

    client.post(f"/opportunities/{published.pk}/engage/", {"organisation": sme.slug, "action": "dismiss"})
    assert Engagement.objects.get(organisation=sme, opportunity=published).state == "dismissed"
    assert published.title not in html(client.get("/opportunities/?lang=en"))


def test_interest_sends_the_message_and_then_shows_the_buyers_contact(
    client: Client, published: Opportunity, sme: Organisation, sme_owner: Any, sme_profile: Any
) -> None:
    login(client, sme_owner)
    before = html(client.get(f"/opportunities/{published.pk}/?lang=en"))
    assert "Via IVCS" not in before, "the contact method waits for interest"
    assert "The buyer's contact shows here once you say you are interested." in before
    response = client.post(
        f"/opportunities/{published.pk}/engage/",
        {"organisation": sme.slug, "action": "interest", "message": "3 t al mes, lavado."},
    )
    assert response.status_code == 302
    engagement = Engagement.objects.get(organisation=sme, opportunity=published)
    assert engagement.state == "interested" and engagement.message == "3 t al mes, lavado."
    after = html(client.get(response["Location"] + "&lang=en"))
    assert "Via IVCS" in after and "You said you are interested" in after
    assert published.title in html(client.get("/opportunities/?tab=interested&org=cafe-andino&lang=en"))


def test_a_too_long_message_is_400_and_nothing_is_written(
    client: Client, published: Opportunity, sme: Organisation, sme_owner: Any, sme_profile: Any
) -> None:
    login(client, sme_owner)
    response = client.post(
        f"/opportunities/{published.pk}/engage/",
        {"organisation": sme.slug, "action": "interest", "message": "x" * 2001},
    )
    page = html(response, 400)
    assert tr("es", "Please correct the marked fields.") in page  # the user's language
    assert not Engagement.objects.filter(organisation=sme).exists()


def test_a_viewer_of_the_sme_cannot_act_and_strangers_cannot_act_for_it(
    client: Client, published: Opportunity, sme: Organisation, sme_viewer: Any, make_user: Any, sme_profile: Any
) -> None:
    assert (
        login(client, sme_viewer)
        .post(f"/opportunities/{published.pk}/engage/", {"organisation": sme.slug, "action": "save"})
        .status_code
        == 403
    )
    client.force_login(make_user())
    assert (
        client.post(f"/opportunities/{published.pk}/engage/", {"organisation": sme.slug, "action": "save"}).status_code
        == 403
    )
    assert not Engagement.objects.exists()


@pytest.mark.parametrize("lang", LANGS)
def test_the_opportunity_page_shows_products_certifications_and_the_sme_gap(
    client: Client, published: Opportunity, sme_owner: Any, sme_profile: Any, lang: str
) -> None:
    page = html(login(client, sme_owner).get(f"/opportunities/{published.pk}/?lang={lang}"))
    assert 'href="/hs/090111/"' in page
    assert 'href="/standards/fssc_22000/"' in page and 'href="/standards/organic_eu/"' in page
    assert 'id="certifications"' in page
    assert tr(lang, "Not ready yet: some mandatory requirements are missing.") in page
    assert tr(lang, "Your plan") in page
    assert tr(lang, "Why it fits you") in page


def test_anonymous_visitors_see_the_open_list_and_a_prompt(client: Client, published: Opportunity) -> None:
    page = html(client.get("/opportunities/?lang=en"))
    assert published.title in page and "Create a free profile of your company" in page
    detail = html(client.get(f"/opportunities/{published.pk}/?lang=en"))
    assert published.title in detail and "Via IVCS" not in detail
    assert client.post(f"/opportunities/{published.pk}/engage/", {"action": "save"}).status_code == 302


def test_unknown_ids_drafts_and_bad_filters(
    client: Client, draft: Opportunity, sme_owner: Any, buyer_owner: Any, catalogue: Any
) -> None:
    login(client, sme_owner)
    assert client.get("/opportunities/999999/").status_code == 404
    assert client.get(f"/opportunities/{draft.pk}/").status_code == 404, "another buyer's draft"
    assert client.get(f"/opportunities/{draft.pk}/suppliers/").status_code == 404
    assert client.get("/opportunities/?hs=12x").status_code == 400
    assert client.get("/opportunities/?country=XX").status_code == 400
    assert client.get("/opportunities/?sector=nothing").status_code == 400
    client.force_login(buyer_owner)
    assert client.get(f"/opportunities/{draft.pk}/").status_code == 200


# --- Buyer side -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_publishing_form_and_my_opportunities_render(
    client: Client, published: Opportunity, buyer_owner: Any, lang: str
) -> None:
    login(client, buyer_owner)
    page = html(client.get(f"/opportunities/new/?lang={lang}"))
    assert tr(lang, "Publish an opportunity") in page and 'name="hs_pick_0"' not in page
    assert 'id="hs-query-hs_pick_0"' in page, "each product row has the HS picker"
    mine = html(client.get(f"/opportunities/mine/?lang={lang}"))
    assert published.title in mine and f'href="/opportunities/{published.pk}/suppliers/"' in mine
    assert "SMEs joined a value chain" in mine or tr(lang, "Publish an opportunity") in mine


def test_a_buyer_previews_in_three_languages_then_publishes(
    client: Client, buyer: Organisation, buyer_owner: Any, catalogue: Any, hs_loaded: Any, soon: dt.date
) -> None:
    login(client, buyer_owner)
    preview = html(client.post("/opportunities/new/", {**form_data(soon), "action": "preview"}))
    assert not Opportunity.objects.exists(), "a preview writes nothing"
    for lang in LANGS:
        assert tr(lang, "Certifications asked for") in preview
    assert "Cacao fino de aroma" in preview and 'href="/standards/organic_eu/"' in preview
    response = client.post("/opportunities/new/", {**form_data(soon), "action": "publish"})
    opp = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/opportunities/{opp.pk}/"
    assert opp.status == "published" and opp.buyer == buyer and opp.frequency == "quarterly"
    assert [p.hs_code_id for p in opp.products.all()] == ["1801"]
    assert sorted(opp.eligible_countries) == ["EC", "PE"]
    assert [sorted(s.pk for s in r.schemes.all()) for r in opp.requirements.all()] == [["organic_eu"]]


def test_the_hs_picker_choice_wins_over_the_typed_code(
    client: Client, buyer: Organisation, buyer_owner: Any, catalogue: Any, hs_loaded: Any, soon: dt.date
) -> None:
    login(client, buyer_owner)
    client.post("/opportunities/new/", {**form_data(soon, hs_pick_0="180100"), "action": "draft"})
    opp = Opportunity.objects.get()
    assert opp.status == "draft" and [p.hs_code_id for p in opp.products.all()] == ["180100"]


def test_bad_input_is_400_with_the_fields_named_and_nothing_saved(
    client: Client, buyer: Organisation, buyer_owner: Any, catalogue: Any, hs_loaded: Any, soon: dt.date
) -> None:
    login(client, buyer_owner)
    past = (soon - dt.timedelta(days=400)).isoformat()
    page = html(
        client.post("/opportunities/new/", {**form_data(soon, hs_0="0000", deadline=past), "action": "publish"}), 400
    )
    assert tr("es", "Unknown HS code: %(value)s") % {"value": "0000"} in page  # the user's language
    assert tr("es", "The deadline has already passed.") in page
    assert not Opportunity.objects.exists()
    page = html(client.post("/opportunities/new/", {**form_data(soon, quantity="-3"), "action": "draft"}), 400)
    assert not Opportunity.objects.exists()
    page = html(
        client.post("/opportunities/new/", {**form_data(soon, title="", hs_0="", text_0=""), "action": "publish"}), 400
    )
    assert tr("es", "Give the opportunity a title.") in page and not Opportunity.objects.exists()


def test_editing_a_published_opportunity_keeps_a_revision(
    client: Client, published: Opportunity, buyer_owner: Any, soon: dt.date
) -> None:
    login(client, buyer_owner)
    page = html(client.get(f"/opportunities/{published.pk}/edit/?lang=en"))
    assert 'value="Café verde arábica para tostaduría"' in page and 'value="090111"' in page
    data = {
        "title": "Café verde arábica, lote grande",
        "language": "es",
        "frequency": "monthly",
        "quantity": "5",
        "unit": "t",
        "deadline": soon.isoformat(),
        "hs_0": "0901.11",
        "schemes_0": ["fssc_22000", "brcgs_food"],
        "level_0": "mandatory",
        **{f"level_{i}": "mandatory" for i in range(1, 6)},
        "action": "draft",
    }
    assert client.post(f"/opportunities/{published.pk}/edit/", data).status_code == 302
    revision = OpportunityRevision.objects.get(opportunity=published)
    assert "title" in revision.changes
    suppliers = html(client.get(f"/opportunities/{published.pk}/suppliers/?lang=en"))
    assert "Changes since publication" in suppliers and "title" in suppliers


def test_the_buyer_sees_interested_smes_with_contacts_and_suggested_ones_without(
    client: Client,
    published: Opportunity,
    buyer_owner: Any,
    sme: Organisation,
    sme_owner: Any,
    sme_profile: Any,
    make_org: Any,
    make_user: Any,
) -> None:
    other_owner = make_user(email="dueno@cafe-cusco.example")
    other = make_org(owner=other_owner, slug="cafe-cusco", name="Café Cusco", kind="sme", country="PE")
    save_profile(
        other_owner,
        other,
        {"country": "PE", "products": [{"hs": "090111"}], "public": True, "contact_email": "secreto@cusco.example"},
    )
    login(client, buyer_owner)
    before = html(client.get(f"/opportunities/{published.pk}/suppliers/?lang=en"))
    assert "Café Andino SAC" in before and "Café Cusco" in before, "both are suggested"
    assert "gerente@cafe-andino.example" not in before and "secreto@cusco.example" not in before
    assert "dueno@cafe-cusco.example" not in before

    services.express_interest(sme_owner, sme, published, message="Podemos 3 t al mes.")
    after = html(client.get(f"/opportunities/{published.pk}/suppliers/?lang=en"))
    interested, suggested = after.split('id="suggested"', 1)
    assert "Café Andino SAC" in interested and "gerente@cafe-andino.example" in interested
    assert "Podemos 3 t al mes." in interested and "https://cafe-andino.example" in interested
    assert "Café Cusco" in suggested and "dueno@cafe-cusco.example" not in after

    response = client.post(f"/opportunities/{published.pk}/suppliers/cafe-andino/", {"status": "awarded"})
    assert response.status_code == 302
    assert Engagement.objects.get(organisation=sme).buyer_status == "awarded"
    assert "1 SME joined a value chain" in html(client.get("/opportunities/mine/?lang=en"))


def test_buyer_side_permissions(
    client: Client,
    published: Opportunity,
    buyer_viewer: Any,
    other_buyer_owner: Any,
    other_buyer: Organisation,
    sme: Organisation,
    sme_owner: Any,
    sme_profile: Any,
) -> None:
    services.express_interest(sme_owner, sme, published, message="Hola")
    login(client, buyer_viewer)
    assert client.get(f"/opportunities/{published.pk}/suppliers/").status_code == 200, "viewers may look"
    assert client.get(f"/opportunities/{published.pk}/edit/").status_code == 403
    assert client.post(f"/opportunities/{published.pk}/status/", {"action": "close"}).status_code == 403
    assert (
        client.post(f"/opportunities/{published.pk}/suppliers/cafe-andino/", {"status": "awarded"}).status_code == 403
    )
    client.force_login(other_buyer_owner)
    assert client.get(f"/opportunities/{published.pk}/suppliers/").status_code == 403
    assert client.get(f"/opportunities/{published.pk}/edit/").status_code == 403
    client.force_login(sme_owner)
    assert client.get("/opportunities/new/").status_code == 403
    assert Engagement.objects.get(organisation=sme).buyer_status == "none"
    assert Opportunity.objects.get(pk=published.pk).status == "published"


def test_close_and_award_and_refused_transitions(client: Client, published: Opportunity, buyer_owner: Any) -> None:
    login(client, buyer_owner)
    assert client.post(f"/opportunities/{published.pk}/status/", {"action": "close"}).status_code == 302
    assert Opportunity.objects.get(pk=published.pk).status == "closed"
    page = html(client.post(f"/opportunities/{published.pk}/status/", {"action": "close"}), 400)
    assert tr("es", "Only a published opportunity can be closed.") in page
    assert html(client.post(f"/opportunities/{published.pk}/status/", {"action": "dance"}), 400)
    assert client.post(f"/opportunities/{published.pk}/status/", {"action": "award"}).status_code == 302
    assert Opportunity.objects.get(pk=published.pk).status == "awarded"
    assert client.get(f"/opportunities/{published.pk}/edit/").status_code == 400
    assert client.post("/opportunities/424242/status/", {"action": "close"}).status_code == 404
    assert client.post(f"/opportunities/{published.pk}/suppliers/nobody/", {"status": "awarded"}).status_code == 404


def test_publishing_an_incomplete_draft_from_its_page_is_400(
    client: Client, buyer: Organisation, buyer_owner: Any, catalogue: Any
) -> None:
    draft = services.create_opportunity(buyer_owner, buyer, {"title": ""})
    page = html(login(client, buyer_owner).post(f"/opportunities/{draft.pk}/status/", {"action": "publish"}), 400)
    assert tr("es", "Set a deadline.") in page
    assert Opportunity.objects.get(pk=draft.pk).status == "draft"


def test_operators_see_the_value_chain_indicator(client: Client, published: Opportunity, make_user: Any) -> None:
    operator = make_user(is_staff=True)
    page = html(login(client, operator).get("/opportunities/?lang=en"))
    assert "0 SMEs joined a value chain" in page and published.title in page
    client.force_login(make_user())
    assert "joined a value chain" not in html(client.get("/opportunities/?lang=en"))
