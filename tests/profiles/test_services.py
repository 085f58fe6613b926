"""Writers of the profiles domain: saving a profile whole or not at all, audited, with an outbox event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from ivcs.accounts import services as accounts
from ivcs.accounts.models import Organisation
from ivcs.core.models import AuditLog, OutboxEvent
from ivcs.profiles import services
from ivcs.profiles.models import Profile, ProfileProduct
from ivcs.profiles.services import ProfileError
from ivcs.standards.models import HeldCertification
from tests.profiles.conftest import Sme, good_profile

pytestmark = pytest.mark.django_db


def test_an_owner_saves_a_profile_with_products_sectors_and_certificates(sme: Sme) -> None:
    profile = services.save_profile(sme.owner, sme.org, good_profile())

    assert profile.country == "CO" and profile.region == "Huila"
    assert profile.capacity_volume == Decimal("120.50") and profile.capacity_unit == "t"
    assert profile.markets_served == ["US", "CL"] and profile.interest_countries == ["EU", "JP"]
    assert [s.id for s in profile.sectors.all()] == ["food_beverage.coffee_cocoa"]
    products = list(ProfileProduct.objects.filter(profile=profile))
    assert [(p.hs_code_id, p.position) for p in products] == [("090121", 0), ("0901", 1)]
    assert products[0].description == "Café tostado en grano"
    held = HeldCertification.objects.get(organisation=sme.org)
    assert held.scheme_id == "fssc_22000" and held.expires == date(2030, 1, 31)
    assert AuditLog.objects.filter(action="profile.created", object_id=str(profile.pk)).exists()
    event = OutboxEvent.objects.get(topic="profile.changed")
    assert event.payload == {"profile_id": profile.pk, "organisation_id": sme.org.pk, "action": "profile.created"}
    assert event.tenant_id == sme.org.tenant_id


def test_saving_again_replaces_the_profile_and_its_certificates(sme: Sme) -> None:
    services.save_profile(sme.owner, sme.org, good_profile())
    services.save_profile(
        sme.editor,
        sme.org,
        {"country": "CO", "products": [{"hs": "1801"}], "certifications": [{"standard": "organic_eu"}]},
    )
    profile = Profile.objects.get(organisation=sme.org)
    assert profile.region == "" and profile.capacity_volume is None and profile.sectors.count() == 0
    assert list(ProfileProduct.objects.filter(profile=profile).values_list("hs_code_id", flat=True)) == ["1801"]
    assert list(HeldCertification.objects.filter(organisation=sme.org).values_list("scheme_id", "expires")) == [
        ("organic_eu", None)
    ]
    assert AuditLog.objects.filter(action="profile.updated").count() == 1
    assert OutboxEvent.objects.filter(topic="profile.changed").count() == 2


def test_certifications_left_out_are_left_alone(sme: Sme) -> None:
    services.save_profile(sme.owner, sme.org, good_profile())
    services.save_profile(sme.owner, sme.org, {"country": "CO"})
    assert HeldCertification.objects.filter(organisation=sme.org, scheme_id="fssc_22000").exists()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"country": "XX"}, "country", "invalid_country"),
        ({"sectors": ["nope"]}, "sectors", "unknown_sector"),
        ({"products": [{"hs": "9999.99"}]}, "products.0.hs", "unknown_hs"),
        ({"products": [{"hs": "09"}]}, "products.0.hs", "invalid_hs"),
        ({"products": [{"hs": "0901", "description": "x" * 1001}]}, "products.0.description", "too_long"),
        ({"products": [{"hs": "0901"}, {"hs": "09.01"}]}, "products.1.hs", "duplicate"),
        ({"certifications": [{"standard": "iso_99999"}]}, "certifications.0.standard", "unknown_standard"),
        (
            {"certifications": [{"standard": "gots", "expires": "31/01/2030"}]},
            "certifications.0.expires",
            "invalid_date",
        ),
        ({"capacity_volume": "-1"}, "capacity_volume", "negative"),
        ({"capacity_volume": "mucho"}, "capacity_volume", "invalid"),
        ({"capacity_volume": "10", "capacity_unit": ""}, "capacity_unit", "required"),
        ({"capacity_unit": "barrels"}, "capacity_unit", "invalid_choice"),
        ({"employees": -3}, "employees", "negative"),
        ({"revenue_band": "huge"}, "revenue_band", "invalid_choice"),
        ({"years_exporting": 101}, "years_exporting", "too_large"),
        ({"markets_served": ["US", "ZZ"]}, "markets_served", "invalid_country"),
        ({"languages": ["fr"]}, "languages", "invalid_choice"),
        ({"interest_countries": ["EUROPA"]}, "interest_countries", "invalid_country"),
        ({"interest_buyer_types": ["army"]}, "interest_buyer_types", "invalid_choice"),
        ({"description": "palabra " * 600}, "description", "too_long"),
        ({"region": "r" * 121}, "region", "too_long"),
        ({"contact_email": "not-an-address"}, "contact_email", "invalid_email"),
        ({"public": "maybe"}, "public", "invalid"),
        ({"favourite_colour": "red"}, "favourite_colour", "unknown_field"),
    ],
)
def test_every_bad_input_is_named_and_nothing_is_written(
    sme: Sme, changes: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        services.save_profile(sme.owner, sme.org, good_profile(**changes))
    assert (field, code) in [(e.field, e.code) for e in caught.value.errors]
    assert all(e.message for e in caught.value.errors)
    assert not Profile.objects.exists()
    assert not HeldCertification.objects.exists()
    assert not OutboxEvent.objects.filter(topic="profile.changed").exists()
    assert not AuditLog.objects.filter(action__startswith="profile.").exists()


def test_several_bad_fields_are_all_reported(sme: Sme) -> None:
    with pytest.raises(ProfileError) as caught:
        services.save_profile(sme.owner, sme.org, good_profile(country="XX", employees=-1, sectors=["nope"]))
    assert {e.field for e in caught.value.errors} == {"country", "employees", "sectors"}


def test_a_bad_update_leaves_the_saved_profile_untouched(sme: Sme) -> None:
    services.save_profile(sme.owner, sme.org, good_profile())
    with pytest.raises(ProfileError):
        services.save_profile(sme.owner, sme.org, good_profile(region="Cauca", products=[{"hs": "999999"}]))
    profile = Profile.objects.get(organisation=sme.org)
    assert profile.region == "Huila" and ProfileProduct.objects.filter(profile=profile).count() == 2


def test_the_description_language_is_detected_when_not_given(sme: Sme) -> None:
    profile = services.save_profile(
        sme.owner, sme.org, {"country": "BR", "description": "Produzimos café torrado e exportação de grãos."}
    )
    assert profile.description_language == "pt"


def test_viewers_strangers_and_other_organisations_keys_cannot_save(sme: Sme, other_sme: Sme, make_user: Any) -> None:
    other_key = accounts.create_api_key(None, other_sme.org, name="k", scopes=["org:write"]).key
    reader = accounts.create_api_key(None, sme.org, name="r", scopes=["org:read"]).key
    for actor in (sme.viewer, make_user(), other_sme.owner, other_key, reader, None):
        with pytest.raises(PermissionDenied):
            services.save_profile(actor, sme.org, good_profile())
    assert not Profile.objects.exists()
    writer = accounts.create_api_key(None, sme.org, name="w", scopes=["org:write"]).key
    assert services.save_profile(writer, sme.org, good_profile()).pk


def test_only_smes_have_a_profile(make_org: Any, make_user: Any, catalogue: Any) -> None:
    owner = make_user()
    buyer = make_org(owner=owner, kind=Organisation.Kind.BUYER)
    with pytest.raises(ProfileError) as caught:
        services.save_profile(owner, buyer, good_profile())
    assert caught.value.code == "not_sme"


def test_the_country_defaults_to_the_organisations_and_is_required_without_one(sme: Sme) -> None:
    from ivcs.profiles.validation import clean_profile

    assert services.save_profile(sme.owner, sme.org, {"region": "Huila"}).country == "CO"
    with pytest.raises(ProfileError) as caught:
        clean_profile({"region": "Huila"})
    assert (caught.value.field, caught.value.code) == ("country", "required")


def test_nul_characters_are_dropped_from_texts(sme: Sme) -> None:
    profile = services.save_profile(sme.owner, sme.org, good_profile(description="caf\x00é", region="\x00Huila"))
    assert (profile.description, profile.region) == ("café", "Huila")
