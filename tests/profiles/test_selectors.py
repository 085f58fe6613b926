"""Reads: the rows the matching index is built from, and profiles per tenant."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from ivcs.engines.matching.data import ProfileRow
from ivcs.profiles import selectors, services
from ivcs.profiles.models import Profile
from tests.profiles.conftest import Sme, good_profile

pytestmark = pytest.mark.django_db

ON = date(2027, 1, 1)


def _row(sme: Sme, **changes: Any) -> ProfileRow:
    services.save_profile(sme.owner, sme.org, good_profile(**changes))
    rows = selectors.profile_rows(tenant=sme.org.tenant_id, on=ON)
    assert len(rows) == 1
    return rows[0]


def test_fssc_22000_held_satisfies_iso_22000_and_carries_gfsi_recognition(sme: Sme) -> None:
    row = _row(sme, certifications=[{"standard": "fssc_22000", "expires": "2030-01-31"}])
    assert row.certificates == {"fssc_22000", "iso_22000"}
    assert row.recognitions == {"gfsi"}
    assert row.expiring == frozenset()


def test_an_expired_certificate_counts_for_nothing(sme: Sme) -> None:
    row = _row(sme, certifications=[{"standard": "fssc_22000", "expires": str(ON - timedelta(days=1))}])
    assert row.certificates == frozenset() and row.recognitions == frozenset() and row.expiring == frozenset()


def test_certificates_expiring_within_180_days_are_flagged_and_still_count(sme: Sme) -> None:
    soon, later = ON + timedelta(days=180), ON + timedelta(days=181)
    row = _row(
        sme,
        certifications=[
            {"standard": "organic_eu", "expires": str(soon)},
            {"standard": "brcgs_food", "expires": str(later)},
            {"standard": "gots", "expires": None},
        ],
    )
    assert row.certificates == {"organic_eu", "brcgs_food", "gots"}
    assert row.expiring == {"organic_eu"} and row.recognitions == {"gfsi"}


def test_the_row_carries_the_profile_in_plain_data(sme: Sme) -> None:
    row = _row(sme)
    profile = Profile.objects.get(organisation=sme.org)
    assert (row.id, row.organisation_id, row.country) == (profile.pk, sme.org.pk, "CO")
    assert row.sectors == {"food_beverage", "food_beverage.coffee_cocoa"}  # the parent sector is added
    assert row.hs == ("090121", "0901")
    assert row.capacity == 120.5 and row.unit == "t" and row.employees == 25 and row.years_exporting == 4
    assert row.markets == {"US", "CL"} and row.languages == {"es", "en"}
    assert {"EU", "JP", "DE", "ES", "FR"} <= row.interests  # blocs bring their member countries
    assert "Tostamos café especial" in row.text and "Café tostado en grano" in row.text
    assert "Café" in row.text.split("\n")[-1]  # the HS description, in the profile's language (Spanish)


def test_rows_can_be_limited_to_public_profiles_or_ids(sme: Sme, other_sme: Sme) -> None:
    services.save_profile(sme.owner, sme.org, good_profile(public=False))
    services.save_profile(other_sme.owner, other_sme.org, {"country": "PE", "public": True})
    tenant = sme.org.tenant_id
    assert len(selectors.profile_rows(tenant=tenant)) == 2
    assert [r.organisation_id for r in selectors.profile_rows(tenant=tenant, public_only=True)] == [other_sme.org.pk]
    mine = Profile.objects.get(organisation=sme.org).pk
    assert [r.id for r in selectors.profile_rows(tenant=tenant, ids=[mine])] == [mine]
    theirs = Profile.objects.get(organisation=other_sme.org).pk
    assert selectors.profile_ids_by_organisation(tenant=tenant) == {sme.org.pk: mine, other_sme.org.pk: theirs}


def test_rows_and_profiles_stay_on_their_tenant(sme: Sme, make_org: Any, make_user: Any, other_tenant: Any) -> None:
    services.save_profile(sme.owner, sme.org, good_profile())
    owner = make_user()
    far = make_org(owner=owner, slug="lejos", tenant=other_tenant, country="BR")
    services.save_profile(owner, far, {"country": "BR", "public": True})
    assert [r.organisation_id for r in selectors.profile_rows(tenant=other_tenant)] == [far.pk]
    assert [r.organisation_id for r in selectors.profile_rows(tenant=sme.org.tenant_id)] == [sme.org.pk]
    with scope(tenant=other_tenant.pk):
        assert selectors.profile_for(owner, "cafe-huila") is None  # public, but on another site
        assert selectors.profile_for(sme.owner, "lejos") is not None  # visible to anyone signed in there
        assert list(selectors.public_profiles()) == [Profile.objects.get(organisation=far)]


def test_reads_outside_a_scope_are_refused(sme: Sme) -> None:
    from django_scopes import scopes_disabled

    services.save_profile(sme.owner, sme.org, good_profile())
    with scope(), pytest.raises(ScopeError):
        selectors.profile_rows()
    with scopes_disabled():
        assert len(selectors.profile_rows()) == 1
