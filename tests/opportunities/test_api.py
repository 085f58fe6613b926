"""The opportunities API: listings and details with visibility, writes with permissions, the
lifecycle, engagement, the interested suppliers, error envelopes and tenant isolation."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from ivcs.accounts import services as accounts
from ivcs.accounts.models import Organisation
from ivcs.core.models import OutboxEvent
from ivcs.opportunities import services
from ivcs.opportunities.models import Engagement, Opportunity

pytestmark = pytest.mark.django_db


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def _fields(error: dict[str, Any]) -> set[str]:
    return {d["field"] for d in error["details"]}


def _bearer(secret: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client: Client, path: str, body: Any = None, **headers: Any) -> Any:
    return client.post(path, json.dumps(body or {}), content_type="application/json", **headers)


def _patch(client: Client, path: str, body: Any, **headers: Any) -> Any:
    return client.patch(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def buyer_key(buyer: Organisation) -> str:
    return accounts.create_api_key(None, buyer, name="erp", scopes=["org:read", "org:write"]).secret


@pytest.fixture
def other_key(other_buyer: Organisation) -> str:
    return accounts.create_api_key(None, other_buyer, name="erp", scopes=["org:write"]).secret


@pytest.fixture
def body(coffee: dict[str, Any]) -> dict[str, Any]:
    return {**coffee, "buyer": "big-buyer", "deadline": coffee["deadline"].isoformat()}


def test_a_buyer_creates_publishes_edits_closes_and_awards_through_the_api(
    client: Client, catalogue: Any, hs_loaded: Any, buyer_key: str, body: dict[str, Any], soon: dt.date
) -> None:
    response = _post(client, "/api/v1/opportunities", body, **_bearer(buyer_key))
    assert response.status_code == 201, response.content
    created = response.json()
    oid = created["id"]
    assert created["status"] == "draft" and created["open"] is False and created["buyer"]["slug"] == "big-buyer"
    assert created["quantity"] == "2.5" and created["quantity_per_year"] == 30.0
    assert created["products"][0]["hs"] == "090111" and created["products"][0]["hs_description"]
    assert [s["id"] for s in created["requirements"][0]["schemes"]] == ["brcgs_food", "fssc_22000"]
    assert created["revisions"] == [] and created["engagements"] is None

    published = _post(client, f"/api/v1/opportunities/{oid}/publish", **_bearer(buyer_key)).json()
    assert published["status"] == "published" and published["open"] is True and published["published_at"]
    _error(_post(client, f"/api/v1/opportunities/{oid}/publish", **_bearer(buyer_key)), 409, "invalid_transition")

    later = (soon + dt.timedelta(days=7)).isoformat()
    edited = _patch(client, f"/api/v1/opportunities/{oid}", {"deadline": later, "title": "Café"}, **_bearer(buyer_key))
    assert edited.status_code == 200, edited.content
    assert edited.json()["revisions"][0]["changes"]["deadline"] == [soon.isoformat(), later]

    assert _post(client, f"/api/v1/opportunities/{oid}/close", **_bearer(buyer_key)).json()["status"] == "closed"
    assert _post(client, f"/api/v1/opportunities/{oid}/award", **_bearer(buyer_key)).json()["status"] == "awarded"
    _error(_patch(client, f"/api/v1/opportunities/{oid}", {"title": "x"}, **_bearer(buyer_key)), 409, "not_editable")
    assert set(OutboxEvent.objects.values_list("topic", flat=True)) == {"opportunity.published", "opportunity.changed"}


def test_publishing_an_incomplete_draft_names_what_is_missing(
    client: Client, catalogue: Any, hs_loaded: Any, buyer_key: str
) -> None:
    oid = _post(client, "/api/v1/opportunities", {"buyer": "big-buyer"}, **_bearer(buyer_key)).json()["id"]
    error = _error(_post(client, f"/api/v1/opportunities/{oid}/publish", **_bearer(buyer_key)), 422, "validation_error")
    assert _fields(error) == {"title", "products", "deadline"}


def test_bad_input_is_named_field_by_field(
    client: Client, catalogue: Any, hs_loaded: Any, buyer_key: str, body: dict[str, Any]
) -> None:
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"products": [{"hs": "999999"}]}, "products.0.hs", "unknown_hs_code"),
        ({"requirements": [{"schemes": ["nope"]}]}, "requirements.0.schemes", "unknown_scheme"),
        ({"eligible_countries": ["XX"]}, "eligible_countries.0", "unknown_country"),
        ({"delivery_country": "QQ"}, "delivery_country", "unknown_country"),
        ({"deadline": "2001-01-01"}, "deadline", "deadline_past"),
    ]
    for change, field, kind in cases:
        error = _error(_post(client, "/api/v1/opportunities", {**body, **change}, **_bearer(buyer_key)), 422,
                       "validation_error")  # fmt: skip
        assert error["details"][0]["field"] == field and error["details"][0]["type"] == kind, error
    # The schema refuses what is not even the right shape.
    shapes: list[tuple[dict[str, Any], str]] = [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -3}, "quantity"),
        ({"unit": "barrels"}, "unit"),
        ({"incoterm": "FOO"}, "incoterm"),
        ({"title": "t" * 201}, "title"),
        ({"description": "d" * 8001}, "description"),
        ({"deadline": "soon"}, "deadline"),
        ({"colour": "red"}, "colour"),
    ]
    for change, field in shapes:
        error = _error(_post(client, "/api/v1/opportunities", {**body, **change}, **_bearer(buyer_key)), 422,
                       "validation_error")  # fmt: skip
        assert field in _fields(error), error
    error = _error(_post(client, "/api/v1/opportunities", {**body, "buyer": "nobody"}, **_bearer(buyer_key)), 422,
                   "unknown_value")  # fmt: skip
    assert error["details"][0]["field"] == "buyer"
    _error(client.post("/api/v1/opportunities", "{", content_type="application/json", **_bearer(buyer_key)), 400,
           "malformed_json")  # fmt: skip
    assert Opportunity.objects.count() == 0


def test_visibility_of_drafts_and_published_opportunities(
    client: Client,
    draft: Opportunity,
    buyer_owner: Any,
    buyer_key: str,
    other_key: str,
    sme_owner: Any,
    sme: Organisation,
) -> None:
    listing = client.get("/api/v1/opportunities").json()
    assert listing == {"items": [], "count": 0}
    _error(client.get(f"/api/v1/opportunities/{draft.pk}"), 404, "not_found")
    _error(client.get(f"/api/v1/opportunities/{draft.pk}", **_bearer(other_key)), 404, "not_found")
    # Editing someone else's draft: it does not exist for you.
    _error(_patch(client, f"/api/v1/opportunities/{draft.pk}", {"title": "x"}, **_bearer(other_key)), 404, "not_found")
    _error(_post(client, f"/api/v1/opportunities/{draft.pk}/publish", **_bearer(other_key)), 404, "not_found")
    assert client.get(f"/api/v1/opportunities/{draft.pk}", **_bearer(buyer_key)).status_code == 200
    assert client.get("/api/v1/opportunities", **_bearer(buyer_key)).json()["count"] == 1

    services.publish_opportunity(buyer_owner, draft)
    client.force_login(sme_owner)
    items = client.get("/api/v1/opportunities?country=PE&hs=0901&q=cafe&sector=food_beverage").json()["items"]
    assert [i["id"] for i in items] == [draft.pk]
    assert client.get("/api/v1/opportunities?country=BR").json()["count"] == 0
    assert client.get(f"/api/v1/opportunities/{draft.pk}").json()["engagements"] == []
    client.logout()
    # Someone else's published opportunity: visible, but not theirs to change.
    _error(_patch(client, f"/api/v1/opportunities/{draft.pk}", {"title": "x"}, **_bearer(other_key)), 403, "forbidden")
    _error(_post(client, f"/api/v1/opportunities/{draft.pk}/close", **_bearer(other_key)), 403, "forbidden")
    assert Opportunity.objects.get().title != "x"


def test_list_parameters_are_checked(client: Client, published: Opportunity) -> None:
    assert _fields(_error(client.get("/api/v1/opportunities?hs=09x1"), 422, "validation_error")) == {"hs"}
    assert _error(client.get("/api/v1/opportunities?hs=0"), 422, "unknown_value")["details"][0]["field"] == "hs"
    assert _error(client.get("/api/v1/opportunities?country=ZZ"), 422, "unknown_value")["details"][0]["value"] == "ZZ"
    assert (
        _error(client.get("/api/v1/opportunities?sector=space"), 422, "unknown_value")["details"][0]["field"]
        == "sector"
    )
    _error(client.get("/api/v1/opportunities?status=lost"), 422, "validation_error")
    _error(client.get("/api/v1/opportunities?limit=1000"), 422, "validation_error")
    _error(client.get("/api/v1/opportunities/0"), 422, "validation_error")
    _error(client.get("/api/v1/opportunities/99999999999999999999999"), 422, "validation_error")
    _error(client.get("/api/v1/opportunities/12345"), 404, "not_found")
    _error(client.get("/api/v1/opportunities", **_bearer("ivcs_00000000_nope")), 401, "unauthenticated")
    assert client.get("/api/v1/opportunities?status=published&limit=1").json()["count"] == 1


def test_writes_need_the_right_actor(
    client: Client, catalogue: Any, hs_loaded: Any, buyer: Organisation, buyer_viewer: Any, body: dict[str, Any]
) -> None:
    _error(_post(client, "/api/v1/opportunities", body), 401, "unauthenticated")
    reader = accounts.create_api_key(None, buyer, name="bi", scopes=["org:read"]).secret
    _error(_post(client, "/api/v1/opportunities", body, **_bearer(reader)), 403, "forbidden")
    client.force_login(buyer_viewer)
    _error(_post(client, "/api/v1/opportunities", body), 403, "forbidden")
    assert Opportunity.objects.count() == 0


def test_smes_engage_and_the_buyer_sees_contact_details_of_the_interested(
    client: Client,
    published: Opportunity,
    sme: Organisation,
    sme_owner: Any,
    sme_viewer: Any,
    buyer_key: str,
    other_key: str,
    make_org: Any,
    make_user: Any,
) -> None:
    url = f"/api/v1/opportunities/{published.pk}"
    saver_owner = make_user()
    make_org(owner=saver_owner, kind="sme", slug="solo-guarda", country="CO")
    client.force_login(saver_owner)
    assert (
        _post(client, f"{url}/engagement", {"organisation": "solo-guarda", "state": "saved"}).json()["state"] == "saved"
    )

    client.force_login(sme_viewer)
    _error(_post(client, f"{url}/engagement", {"organisation": "cafe-andino", "state": "saved"}), 403, "forbidden")
    client.force_login(sme_owner)
    error = _error(
        _post(client, f"{url}/engagement", {"organisation": "nobody", "state": "saved"}), 422, "unknown_value"
    )
    assert error["details"][0]["field"] == "organisation"
    _error(
        _post(client, f"{url}/engagement", {"organisation": "cafe-andino", "state": "maybe"}), 422, "validation_error"
    )
    response = _post(
        client, f"{url}/engagement", {"organisation": "cafe-andino", "state": "interested", "message": "¡Hola!"}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {**response.json(), "state": "interested", "message": "¡Hola!", "buyer_status": "none"}
    assert client.get(url).json()["engagements"][0]["state"] == "interested"
    # An SME does not see who else is interested, nor contact details.
    _error(client.get(f"{url}/interested"), 403, "forbidden")
    client.logout()
    _error(client.get(f"{url}/interested"), 401, "unauthenticated")
    _error(client.get(f"{url}/interested", **_bearer(other_key)), 403, "forbidden")

    [interested] = client.get(f"{url}/interested", **_bearer(buyer_key)).json()
    assert interested["organisation"] == "cafe-andino" and interested["website"] == "https://cafe-andino.example"
    assert interested["contacts"] == [{"name": "Rosa Quispe", "email": "gerente@cafe-andino.example"}]
    assert interested["message"] == "¡Hola!" and interested["buyer_status"] == "none"
    # The opportunity's public JSON never carries SME contact details.
    assert "gerente@cafe-andino.example" not in client.get(url).content.decode()

    answer = _post(client, f"{url}/interested/cafe-andino", {"status": "awarded"}, **_bearer(buyer_key))
    assert answer.status_code == 200 and answer.json()["buyer_status"] == "awarded"
    _error(
        _post(client, f"{url}/interested/cafe-andino", {"status": "awarded"}, **_bearer(other_key)), 403, "forbidden"
    )
    _error(_post(client, f"{url}/interested/solo-guarda", {"status": "awarded"}, **_bearer(buyer_key)), 409,
           "not_interested")  # fmt: skip
    _error(_post(client, f"{url}/interested/nobody", {"status": "awarded"}, **_bearer(buyer_key)), 404, "not_found")
    _error(_post(client, f"{url}/interested/cafe-andino", {"status": "hired"}, **_bearer(buyer_key)), 422,
           "validation_error")  # fmt: skip
    assert Engagement.objects.get(organisation=sme).buyer_status == "awarded"


def test_engaging_with_drafts_and_closed_opportunities(
    client: Client, draft: Opportunity, sme_owner: Any, buyer_owner: Any, sme: Organisation
) -> None:
    client.force_login(sme_owner)
    payload = {"organisation": "cafe-andino", "state": "saved"}
    _error(_post(client, f"/api/v1/opportunities/{draft.pk}/engagement", payload), 404, "not_found")
    services.publish_opportunity(buyer_owner, draft)
    services.close_opportunity(buyer_owner, draft)
    _error(_post(client, f"/api/v1/opportunities/{draft.pk}/engagement", payload), 409, "not_open")
    assert Engagement.objects.count() == 0


def test_other_tenants_see_nothing(
    client: Client, published: Opportunity, other_tenant: Any, buyer_key: str, sme_owner: Any
) -> None:
    host: dict[str, Any] = {"HTTP_HOST": "otro.example.org"}
    assert client.get("/api/v1/opportunities", **host).json()["count"] == 0
    _error(client.get(f"/api/v1/opportunities/{published.pk}", **host), 404, "not_found")
    # The buyer's key belongs to the other site: refused there.
    _error(client.get(f"/api/v1/opportunities/{published.pk}", **host, **_bearer(buyer_key)), 401, "unauthenticated")
    client.force_login(sme_owner)
    _error(_post(client, f"/api/v1/opportunities/{published.pk}/engagement",
                 {"organisation": "cafe-andino", "state": "saved"}, **host), 404, "not_found")  # fmt: skip
    assert client.get("/api/v1/opportunities").json()["count"] == 1  # on its own site it is there


def test_openapi_lists_the_operations(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/opportunities", "/api/v1/opportunities/{opportunity_id}",
                 "/api/v1/opportunities/{opportunity_id}/publish", "/api/v1/opportunities/{opportunity_id}/engagement",
                 "/api/v1/opportunities/{opportunity_id}/interested",
                 "/api/v1/opportunities/{opportunity_id}/interested/{org_slug}"]:  # fmt: skip
        assert path in paths, path
