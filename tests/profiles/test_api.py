"""The profiles API: who sees which fields, who may replace a profile, field errors, tenants, the draft."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ivcs.accounts import services as accounts
from ivcs.core.models import OutboxEvent
from ivcs.profiles import services
from ivcs.profiles.models import Profile
from ivcs.profiles.selectors import CONTACT_FIELDS
from ivcs.standards.models import HeldCertification
from tests.profiles.conftest import Sme, good_profile

pytestmark = pytest.mark.django_db

URL = "/api/v1/profiles/cafe-huila"


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _put(client: Client, body: Any, url: str = URL, **headers: Any) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.fixture
def saved(sme: Sme) -> Sme:
    services.save_profile(sme.owner, sme.org, good_profile())
    return sme


def test_members_see_every_field(client: Client, saved: Sme) -> None:
    client.force_login(saved.viewer)
    body = client.get(URL + "?lang=es").json()
    assert body["full"] is True and body["exists"] is True
    assert body["contact_email"] == "ana@cafehuila.example" and body["revenue_band"] == "small"
    assert body["interest_countries"] == ["EU", "JP"] and body["public"] is True
    assert body["products"][0] == {**body["products"][0], "hs": "090121", "description": "Café tostado en grano"}
    assert body["products"][0]["hs_description"]
    assert body["certifications"] == [{"standard": "fssc_22000", "name": "FSSC 22000", "expires": "2030-01-31"}]
    assert body["capacity_volume"] == "120.50" and body["country_name"] == "Colombia"


def test_another_sme_sees_only_the_public_fields_of_a_public_profile(
    client: Client, saved: Sme, other_sme: Sme
) -> None:
    client.force_login(other_sme.owner)
    body = client.get(URL).json()
    assert body["full"] is False and body["description"].startswith("Tostamos")
    for private in (*CONTACT_FIELDS, "revenue_band", "interest_countries", "interest_buyer_types", "public"):
        assert body.get(private) is None, private
    assert "ana@cafehuila.example" not in json.dumps(body)

    Profile.objects.filter(organisation=saved.org).update(public=False)
    _error(client.get(URL), 404, "not_found")


def test_a_private_profile_is_404_for_an_api_key_of_another_organisation(
    client: Client, saved: Sme, other_sme: Sme
) -> None:
    Profile.objects.filter(organisation=saved.org).update(public=False)
    other_key = accounts.create_api_key(None, other_sme.org, name="k", scopes=["org:read", "org:write"]).secret
    _error(client.get(URL, **_bearer(other_key)), 404, "not_found")
    _error(_put(client, good_profile(), **_bearer(other_key)), 404, "not_found")


def test_an_api_key_of_another_organisation_cannot_replace_a_public_profile(
    client: Client, saved: Sme, other_sme: Sme
) -> None:
    other_key = accounts.create_api_key(None, other_sme.org, name="k", scopes=["org:write"]).secret
    assert client.get(URL, **_bearer(other_key)).json()["full"] is False
    _error(_put(client, good_profile(region="Cauca"), **_bearer(other_key)), 403, "forbidden")
    assert Profile.objects.get(organisation=saved.org).region == "Huila"


def test_anonymous_requests_get_401(client: Client, saved: Sme) -> None:
    _error(client.get(URL), 401, "unauthenticated")
    _error(_put(client, good_profile()), 401, "unauthenticated")


def test_a_viewer_cannot_edit_an_editor_can(client: Client, sme: Sme) -> None:
    client.force_login(sme.viewer)
    _error(_put(client, good_profile()), 403, "forbidden")
    assert not Profile.objects.exists()
    client.force_login(sme.editor)
    response = _put(client, good_profile())
    assert response.status_code == 200, response.content
    assert response.json()["region"] == "Huila" and response.json()["full"] is True
    assert OutboxEvent.objects.filter(topic="profile.changed").count() == 1


def test_an_api_key_with_org_write_replaces_the_profile_and_its_certifications(client: Client, saved: Sme) -> None:
    writer = accounts.create_api_key(None, saved.org, name="w", scopes=["org:write"]).secret
    body = {
        "country": "CO",
        "products": [{"hs": "1801"}],
        "certifications": [{"standard": "organic_eu", "expires": None}],
    }
    response = _put(client, body, **_bearer(writer))
    assert response.status_code == 200, response.content
    assert [c["standard"] for c in response.json()["certifications"]] == ["organic_eu"]
    assert list(HeldCertification.objects.values_list("scheme_id", flat=True)) == ["organic_eu"]
    reader = accounts.create_api_key(None, saved.org, name="r", scopes=["org:read"]).secret
    _error(_put(client, body, **_bearer(reader)), 403, "forbidden")


def test_bad_input_is_422_with_field_names_and_nothing_is_written(client: Client, saved: Sme) -> None:
    client.force_login(saved.owner)
    bad = good_profile(
        region="Cauca",
        sectors=["nope"],
        products=[{"hs": "999999"}],
        certifications=[{"standard": "iso_99999"}],
        markets_served=["ZZ"],
        capacity_volume="-4",
    )
    error = _error(_put(client, bad), 422, "validation_error")
    fields = {d["field"] for d in error["details"]}
    assert fields == {"sectors", "products.0.hs", "certifications.0.standard", "markets_served", "capacity_volume"}
    assert Profile.objects.get(organisation=saved.org).region == "Huila"
    assert OutboxEvent.objects.filter(topic="profile.changed").count() == 1  # the fixture's only

    error = _error(_put(client, good_profile(capacity_unit="barrels", shoe_size=42)), 422, "validation_error")
    assert {d["field"] for d in error["details"]} >= {"capacity_unit", "shoe_size"}


def test_members_of_an_sme_without_a_profile_get_an_empty_one(client: Client, sme: Sme, other_sme: Sme) -> None:
    client.force_login(sme.owner)
    body = client.get(URL).json()
    assert body["exists"] is False and body["country"] == "CO" and body["products"] == []
    client.force_login(other_sme.owner)
    _error(client.get(URL), 404, "not_found")


def test_unknown_organisations_and_non_smes_are_404(client: Client, sme: Sme, make_org: Any) -> None:
    client.force_login(sme.owner)
    _error(client.get("/api/v1/profiles/nobody"), 404, "not_found")
    _error(_put(client, good_profile(), url="/api/v1/profiles/nobody"), 404, "not_found")
    make_org(owner=sme.owner, slug="big-buyer", kind="buyer")
    _error(client.get("/api/v1/profiles/big-buyer"), 404, "not_found")
    _error(_put(client, good_profile(), url="/api/v1/profiles/big-buyer"), 409, "not_sme")


def test_profiles_are_invisible_from_another_tenant(client: Client, saved: Sme, other_tenant: Any) -> None:
    client.force_login(saved.owner)
    _error(client.get(URL, HTTP_HOST="otro.example.org"), 404, "not_found")
    _error(_put(client, good_profile(region="X"), HTTP_HOST="otro.example.org"), 404, "not_found")
    key = accounts.create_api_key(None, saved.org, name="k", scopes=["org:read", "org:write"]).secret
    _error(client.get(URL, HTTP_HOST="otro.example.org", **_bearer(key)), 401, "unauthenticated")
    assert Profile.objects.get(organisation=saved.org).region == "Huila"


def test_the_draft_needs_no_sign_in_and_is_rate_limited(client: Client, settings: Any, catalogue: Any) -> None:
    settings.IVCS_SEARCH_RATE = "2/m"
    for _ in range(2):
        response = client.post("/api/v1/profiles/draft", {"text": "Tejemos camisetas de algodón"}, "application/json")
        assert response.status_code == 200, response.content
    _error(client.post("/api/v1/profiles/draft", {"text": "x"}, "application/json"), 429, "rate_limited")


def test_a_blank_draft_sentence_is_422(client: Client) -> None:
    error = _error(client.post("/api/v1/profiles/draft", {"text": "   "}, "application/json"), 422, "validation_error")
    assert error["details"][0]["field"] == "text"
    error = _error(client.post("/api/v1/profiles/draft", {"txt": "café"}, "application/json"), 422, "validation_error")
