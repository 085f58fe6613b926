"""The recommendation driver wired to the database: both directions, incremental sync, privacy,
permissions and tenant isolation (the engine's own behaviour is tested in tests/engines/matching)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ivcs.accounts import services as accounts
from ivcs.accounts.models import Organisation
from ivcs.opportunities import recommend, services
from ivcs.profiles.services import save_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lexical_index(settings: Any) -> Iterator[None]:
    """No sentence encoder in these tests (the engine's tests cover it); a fresh index per test."""
    settings.IVCS_MATCHING_SEMANTIC = False
    recommend.forget()
    yield
    recommend.forget()


def _profile(actor: Any, org: Organisation, hs: str, *, public: bool = True, certs: list[Any] | None = None) -> Any:
    return save_profile(
        actor,
        org,
        {
            "country": org.country,
            "sectors": ["food_beverage.coffee_cocoa"],
            "products": [{"hs": hs, "description": "café"}],
            "description": "Exportamos café de altura.",
            "description_language": "es",
            "capacity_volume": "100",
            "capacity_unit": "t",
            "years_exporting": 4,
            "languages": ["es", "en"],
            "public": public,
            "certifications": certs or [],
        },
    )


@pytest.fixture
def sme_profile(sme: Organisation, sme_owner: Any, catalogue: Any, hs_loaded: Any) -> Any:
    return _profile(sme_owner, sme, "090111", certs=[{"standard": "fssc_22000", "expires": "2030-01-01"}])


def test_an_sme_gets_the_opportunity_with_reasons_and_gaps(published: Any, sme: Organisation, sme_profile: Any) -> None:
    results = recommend.recommendations_for(sme)
    assert [r.opportunity.pk for r in results] == [published.pk]
    top = results[0]
    assert top.reachable and top.score > 0.5
    assert any("090111" in reason for reason in top.reasons)
    # Organic is preferred and not held: a gap, not a block.
    assert any(g.code == "missing_certification" and not g.mandatory for g in top.gaps)
    assert top.missing == [{"standards": ["organic_eu"], "recognised_by": None, "mandatory": False}]


def test_a_missing_mandatory_certification_keeps_it_reachable_with(
    published: Any, sme: Organisation, sme_owner: Any, catalogue: Any, hs_loaded: Any
) -> None:
    _profile(sme_owner, sme, "090111", certs=[])
    top = recommend.recommendations_for(sme)[0]
    assert not top.reachable
    assert any(g.mandatory and "FSSC 22000" in g.text for g in top.gaps)


def test_changes_reach_the_index_without_a_rebuild(
    published: Any, sme: Organisation, sme_owner: Any, sme_profile: Any, buyer: Organisation, buyer_owner: Any,
    coffee: dict[str, Any],
) -> None:  # fmt: skip
    assert len(recommend.recommendations_for(sme)) == 1
    index = recommend.index_for(sme.tenant)
    second = services.publish_opportunity(
        buyer_owner, services.create_opportunity(buyer_owner, buyer, {**coffee, "title": "Café verde, segundo lote"})
    )
    assert {r.opportunity.pk for r in recommend.recommendations_for(sme)} == {published.pk, second.pk}
    assert recommend.index_for(sme.tenant) is index, "the same index, updated in place"
    services.dismiss_opportunity(sme_owner, sme, second)
    assert [r.opportunity.pk for r in recommend.recommendations_for(sme)] == [published.pk]
    services.close_opportunity(buyer_owner, published)
    assert recommend.recommendations_for(sme) == []
    # A new product in the profile changes what matches.
    _profile(sme_owner, sme, "180100")
    assert recommend.recommendations_for(sme) == []


def test_suppliers_are_ranked_for_the_buyer_without_contact_details(
    published: Any, sme: Organisation, sme_profile: Any, make_org: Any, make_user: Any
) -> None:
    hidden_owner = make_user()
    hidden = make_org(owner=hidden_owner, kind=Organisation.Kind.SME, country="CO", slug="cafe-privado")
    _profile(hidden_owner, hidden, "090111", public=False)
    near_owner = make_user()
    near = make_org(owner=near_owner, kind=Organisation.Kind.SME, country="CO", slug="tostaduria-cercana")
    _profile(near_owner, near, "090121")  # same heading, roasted

    suggested = recommend.suggested_suppliers(published)
    names = [s.organisation.slug for s in suggested]
    assert names == ["cafe-andino", "tostaduria-cercana"], "same subheading first; private profiles left out"
    # Once the private SME expresses interest, the buyer sees it among the suggestions too.
    services.express_interest(hidden_owner, hidden, published, message="Podemos enviar muestras.")
    assert "cafe-privado" in [s.organisation.slug for s in recommend.suggested_suppliers(published)]


def test_api_recommendations_and_suppliers(
    client: Client, published: Any, sme: Organisation, sme_owner: Any, sme_profile: Any, buyer: Organisation,
    buyer_owner: Any, other_buyer: Organisation,
) -> None:  # fmt: skip
    key = accounts.create_api_key(None, sme, name="t", scopes=["org:read"]).secret
    body = client.get(f"/api/v1/profiles/{sme.slug}/recommendations?limit=5", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert body.status_code == 200, body.content
    first = body.json()["results"][0]
    assert first["opportunity"]["id"] == published.pk and first["reasons"] and first["reachable"] is True
    assert first["missing_certifications"] == [{"standards": ["organic_eu"], "recognised_by": None, "mandatory": False}]

    # Another organisation's key: the SME is not visible to it.
    other_key = accounts.create_api_key(None, other_buyer, name="t", scopes=["org:read"]).secret
    response = client.get(f"/api/v1/profiles/{sme.slug}/recommendations", HTTP_AUTHORIZATION=f"Bearer {other_key}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"

    buyer_key = accounts.create_api_key(None, buyer, name="t", scopes=["org:read"]).secret
    response = client.get(f"/api/v1/opportunities/{published.pk}/suppliers", HTTP_AUTHORIZATION=f"Bearer {buyer_key}")
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["organisation"] == {"slug": "cafe-andino", "name": "Café Andino SAC", "country": "PE"}
    assert "contacts" not in json.dumps(result) and "@" not in json.dumps(result)
    # The SME may not see who else could supply.
    response = client.get(f"/api/v1/opportunities/{published.pk}/suppliers", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403
    assert (
        client.get(
            f"/api/v1/opportunities/{published.pk}/suppliers?limit=0", HTTP_AUTHORIZATION=f"Bearer {buyer_key}"
        ).status_code
        == 422
    )


def test_each_partner_site_matches_its_own_smes(
    published: Any, sme: Organisation, sme_profile: Any, other_tenant: Any, make_org: Any, make_user: Any
) -> None:
    owner = make_user()
    there = make_org(owner=owner, tenant=other_tenant, kind=Organisation.Kind.SME, country="PE", slug="cafe-de-alla")
    from django_scopes import scope

    with scope(tenant=other_tenant.pk):
        _profile(owner, there, "090111")
    assert [s.organisation.slug for s in recommend.suggested_suppliers(published)] == ["cafe-andino"]
    assert recommend.recommendations_for(there) == []


def test_a_past_deadline_leaves_the_recommendations(
    published: Any, sme: Organisation, sme_profile: Any, monkeypatch: Any
) -> None:
    assert recommend.recommendations_for(sme)
    later = published.deadline + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    assert recommend.recommendations_for(sme) == []
    assert isinstance(later, date)


def test_rows_the_index_never_saw_are_picked_up(
    published: Any, buyer: Organisation, other_tenant: Any, make_org: Any, make_user: Any
) -> None:
    """A buyer moved to another partner site brings its opportunities along, though none changed."""
    from django_scopes import scope

    owner = make_user()
    there = make_org(owner=owner, tenant=other_tenant, kind=Organisation.Kind.SME, country="PE", slug="cafe-de-alla")
    with scope(tenant=other_tenant.pk):
        _profile(owner, there, "090111")
    assert recommend.recommendations_for(there) == []  # builds that site's index, still empty
    buyer.tenant = other_tenant
    buyer.save()
    assert [r.opportunity.pk for r in recommend.recommendations_for(there)] == [published.pk]
