"""The profile pages: the guided builder (a sentence, a prefilled form, saving it), the profile as
its members and as others see it, and its editor; in es/pt/en, with 400 on bad input and 403/404
for the wrong actor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from ivcs.accounts.models import Organisation
from ivcs.opportunities import recommend
from ivcs.profiles.models import Profile
from ivcs.profiles.services import save_profile
from ivcs.standards.models import HeldCertification
from tests.profiles.conftest import Sme, good_profile

pytestmark = pytest.mark.django_db

LANGS = ["es", "pt", "en"]


def tr(language: str, msgid: str) -> str:
    with translation.override("pt-br" if language == "pt" else language):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _light(settings: Any) -> Iterator[None]:
    """No sentence encoder: HS search and matching use their lexical parts."""
    settings.IVCS_MATCHING_SEMANTIC = False
    settings.IVCS_HS_SEMANTIC = False
    recommend.forget()
    yield
    recommend.forget()


def html(response: Any, status: int = 200) -> str:
    assert response.status_code == status, (response.status_code, response.content[:300])
    return response.content.decode()


def form_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "step": "save",
        "organisation": "cafe-huila",
        "country": "CO",
        "region": "Huila",
        "sectors": ["food_beverage.coffee_cocoa"],
        "description": "Tostamos café especial de altura.",
        "description_language": "es",
        "capacity_volume": "120",
        "capacity_unit": "t",
        "employees": "25",
        "revenue_band": "small",
        "years_exporting": "4",
        "markets_served": ["US"],
        "languages": ["es", "en"],
        "interest_countries": ["EU", "JP"],
        "interest_buyer_types": ["retail"],
        "public": "on",
        "contact_email": "ana@cafehuila.example",
        "hs_0": "0901.21",
        "product_0": "Café tostado en grano",
        "cert_0": "fssc_22000",
        "expires_0": "2030-01-31",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("lang", LANGS)
def test_the_builder_starts_with_one_sentence(client: Client, sme: Sme, lang: str) -> None:
    client.force_login(sme.owner)
    page = html(client.get(f"/profile/start/?lang={lang}"))
    assert tr(lang, "What does your company make?") in page and 'name="step" value="sentence"' in page
    blank = html(client.get(f"/profile/start/?blank=1&lang={lang}"))
    assert 'name="step" value="save"' in blank and 'id="hs-query-hs_pick_0"' in blank


def test_a_sentence_prefills_the_form_and_saving_it_creates_the_profile(
    client: Client, sme: Sme, hs_loaded: Any
) -> None:
    client.force_login(sme.owner)
    page = html(
        client.post(
            "/profile/start/?lang=es",
            {"step": "sentence", "text": "Somos una pyme del Huila, Colombia, que exporta café tostado a Europa"},
        )
    )
    assert 'name="step" value="save"' in page
    assert 'value="Huila"' in page and 'value="0901' in page
    assert '<option value="CO" selected>' in page
    assert not Profile.objects.exists(), "the draft is not saved"

    response = client.post("/profile/start/", form_post())
    assert response.status_code == 302 and response["Location"] == "/profile/cafe-huila/"
    profile = Profile.objects.get(organisation=sme.org)
    assert profile.region == "Huila" and profile.public and profile.capacity_unit == "t"
    assert [p.hs_code_id for p in profile.products.all()] == ["090121"]
    assert list(HeldCertification.objects.filter(organisation=sme.org).values_list("scheme_id", flat=True)) == [
        "fssc_22000"
    ]


def test_the_hs_picker_choice_is_saved(client: Client, sme: Sme, hs_loaded: Any) -> None:
    client.force_login(sme.editor)
    response = client.post("/profile/start/", form_post(hs_0="", hs_pick_0="090111", product_0="Café verde"))
    assert response.status_code == 302
    assert [p.hs_code_id for p in Profile.objects.get().products.all()] == ["090111"]


def test_bad_input_is_400_with_the_field_named_and_nothing_saved(client: Client, sme: Sme, hs_loaded: Any) -> None:
    client.force_login(sme.owner)
    page = html(client.post("/profile/start/", form_post(hs_0="0000")), 400)
    assert tr("es", "Unknown HS code: %(code)s.") % {"code": "0000"} in page  # the user's language
    page = html(client.post("/profile/start/", form_post(capacity_unit="")), 400)
    assert tr("es", "Choose the unit of the capacity.") in page
    html(client.post("/profile/start/", form_post(employees="-1")), 400)
    html(client.post("/profile/start/", form_post(expires_0="31/01/2030")), 400)
    html(client.post("/profile/start/", {"step": "sentence", "text": ""}), 400)
    assert not Profile.objects.exists()


def test_without_an_sme_the_builder_explains_and_links_to_registering_one(client: Client, make_user: Any) -> None:
    client.force_login(make_user())
    page = html(client.get("/profile/start/?lang=en"))
    assert 'href="/account/organisations/new/"' in page
    assert client.get("/profile/start/").status_code == 200
    client.logout()
    assert client.get("/profile/start/").status_code == 302


def test_a_user_with_several_smes_chooses_which(client: Client, sme: Sme, make_org: Any, hs_loaded: Any) -> None:
    make_org(owner=sme.owner, slug="cacao-tumbes", name="Cacao Tumbes", country="PE")
    client.force_login(sme.owner)
    page = html(client.get("/profile/start/?lang=en"))
    assert 'name="organisation"' in page and "Cacao Tumbes" in page and "Café Huila" in page
    response = client.post("/profile/start/", form_post(organisation="cacao-tumbes", country="PE", region="Tumbes"))
    assert response.status_code == 302 and response["Location"] == "/profile/cacao-tumbes/"
    assert Profile.objects.get().organisation.slug == "cacao-tumbes"


@pytest.mark.parametrize("lang", LANGS)
def test_owners_see_everything_others_the_public_part(
    client: Client, sme: Sme, other_sme: Sme, hs_loaded: Any, lang: str
) -> None:
    save_profile(sme.owner, sme.org, good_profile())
    client.force_login(sme.owner)
    own = html(client.get(f"/profile/cafe-huila/?lang={lang}"))
    assert "ana@cafehuila.example" in own and tr(lang, "Edit the profile") in own
    assert 'href="/hs/090121/"' in own and 'href="/standards/fssc_22000/"' in own
    client.force_login(other_sme.owner)
    public = html(client.get(f"/profile/cafe-huila/?lang={lang}"))
    assert "Café Huila" in public and 'href="/hs/090121/"' in public
    assert "ana@cafehuila.example" not in public and "+57 300" not in public
    assert tr(lang, "Edit the profile") not in public


def test_private_unknown_and_non_sme_profiles_are_404(client: Client, sme: Sme, other_sme: Sme, make_org: Any) -> None:
    save_profile(sme.owner, sme.org, good_profile(public=False))
    buyer = make_org(owner=other_sme.owner, slug="big-buyer", kind=Organisation.Kind.BUYER, country="US")
    client.force_login(other_sme.owner)
    assert client.get("/profile/cafe-huila/").status_code == 404
    assert client.get("/profile/nobody/").status_code == 404
    assert client.get(f"/profile/{buyer.slug}/").status_code == 404
    assert client.get(f"/profile/{buyer.slug}/edit/").status_code == 404
    assert client.get("/profile/cafe-huila/edit/").status_code == 404
    client.logout()
    assert client.get("/profile/cafe-huila/").status_code == 302, "anonymous: sign in first"


def test_the_editor_saves_viewers_get_403(client: Client, sme: Sme, hs_loaded: Any) -> None:
    save_profile(sme.owner, sme.org, good_profile())
    client.force_login(sme.viewer)
    assert client.get("/profile/cafe-huila/").status_code == 200
    assert client.get("/profile/cafe-huila/edit/").status_code == 403
    assert client.post("/profile/cafe-huila/edit/", form_post(region="Cauca")).status_code == 403
    client.force_login(sme.editor)
    page = html(client.get("/profile/cafe-huila/edit/?lang=en"))
    assert 'value="Huila"' in page and 'value="090121"' in page and 'value="2030-01-31"' in page
    assert client.post("/profile/cafe-huila/edit/", form_post(region="Cauca")).status_code == 302
    assert Profile.objects.get().region == "Cauca"
    assert html(client.post("/profile/cafe-huila/edit/", form_post(country="")), 400)
    assert Profile.objects.get().country == "CO"


def test_the_sentence_keeps_the_certificates_held(client: Client, sme: Sme, hs_loaded: Any) -> None:
    save_profile(sme.owner, sme.org, good_profile())
    client.force_login(sme.owner)
    page = html(client.post("/profile/start/?lang=en", {"step": "sentence", "text": "Tostamos café en el Huila"}))
    assert '<option value="fssc_22000" selected>' in page and 'value="2030-01-31"' in page


def test_saving_for_an_sme_the_user_does_not_edit_is_403(client: Client, sme: Sme, other_sme: Sme) -> None:
    client.force_login(sme.owner)
    assert client.post("/profile/start/", form_post(organisation=other_sme.org.slug)).status_code == 403
    client.force_login(sme.viewer)
    page = html(client.get("/profile/start/?lang=en"))
    assert 'href="/account/organisations/new/"' in page, "a viewer has no SME to edit"
    assert not Profile.objects.exists()
