"""The JSON API: OpenAPI, health, authentication, the error envelope, permissions, tenant isolation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate

from ivcs.accounts import services
from ivcs.accounts.models import ApiKey, Organisation

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


@pytest.fixture
def owner(make_user: Any) -> Any:
    return make_user(email="owner@example.com")


@pytest.fixture
def org(make_org: Any, owner: Any) -> Organisation:
    return make_org(owner=owner, name="Andes Coffee", slug="andes-coffee")


@pytest.fixture
def key(org: Organisation) -> str:
    return services.create_api_key(None, org, name="test", scopes=["org:read", "org:write"]).secret


def test_openapi_document_is_valid_openapi_3(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/health" in document["paths"] and "/api/v1/organisations/{slug}" in document["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_health_reports_database_queue_and_outbox(client: Client) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["queue"]["ok"]
    assert body["outbox"] == {"ok": True, "pending": 0, "failed": 0}


def test_requests_without_credentials_get_401_in_the_envelope(client: Client) -> None:
    _error(client.get("/api/v1/organisations"), 401, "unauthenticated")
    _error(client.get("/api/v1/organisations", **_bearer("ivcs_00000000_nope")), 401, "unauthenticated")
    _error(client.get("/api/v1/organisations", HTTP_AUTHORIZATION="Basic abc"), 401, "unauthenticated")


def test_an_api_key_reads_and_edits_its_organisation(client: Client, org: Organisation, key: str) -> None:
    listing = client.get("/api/v1/organisations", **_bearer(key)).json()
    assert listing["count"] == 1 and listing["items"][0]["slug"] == "andes-coffee"
    response = client.patch(
        "/api/v1/organisations/andes-coffee",
        json.dumps({"description": "Tostadores"}),
        content_type="application/json",
        **_bearer(key),
    )
    assert response.status_code == 200 and response.json()["description"] == "Tostadores"
    assert ApiKey.objects.get().last_used_at is not None


def test_me_describes_the_caller(client: Client, owner: Any, org: Organisation, key: str) -> None:
    assert client.get("/api/v1/me", **_bearer(key)).json() == {
        "kind": "api_key",
        "email": None,
        "full_name": None,
        "organisation": "andes-coffee",
        "scopes": ["org:read", "org:write"],
        "memberships": [],
    }
    client.force_login(owner)
    me = client.get("/api/v1/me").json()
    assert me["kind"] == "user" and me["memberships"] == [{"organisation": "andes-coffee", "role": "owner"}]


def test_read_only_keys_cannot_write(client: Client, org: Organisation) -> None:
    reader = services.create_api_key(None, org, name="r", scopes=["org:read"]).secret
    response = client.patch(
        "/api/v1/organisations/andes-coffee",
        json.dumps({"name": "X"}),
        content_type="application/json",
        **_bearer(reader),
    )
    _error(response, 403, "forbidden")
    assert Organisation.objects.get(pk=org.pk).name == "Andes Coffee"


def test_other_organisations_are_invisible_not_forbidden(client: Client, key: str, make_org: Any) -> None:
    make_org(slug="someone-else")
    _error(client.get("/api/v1/organisations/someone-else", **_bearer(key)), 404, "not_found")
    _error(client.get("/api/v1/organisations/does-not-exist", **_bearer(key)), 404, "not_found")


def test_validation_errors_name_the_field(client: Client, key: str) -> None:
    response = client.patch(
        "/api/v1/organisations/andes-coffee",
        json.dumps({"country": "XX", "name": ""}),
        content_type="application/json",
        **_bearer(key),
    )
    error = _error(response, 422, "validation_error")
    assert {d["field"] for d in error["details"]} == {"country", "name"}


def test_unknown_fields_are_refused(client: Client, key: str) -> None:
    response = client.patch(
        "/api/v1/organisations/andes-coffee",
        json.dumps({"slug": "mine", "tenant": 2}),
        content_type="application/json",
        **_bearer(key),
    )
    error = _error(response, 422, "validation_error")
    assert {d["field"] for d in error["details"]} == {"slug", "tenant"}
    assert Organisation.objects.filter(slug="andes-coffee").exists()


def test_malformed_json_is_a_400(client: Client, key: str) -> None:
    response = client.patch(
        "/api/v1/organisations/andes-coffee", "{not json", content_type="application/json", **_bearer(key)
    )
    _error(response, 400, "malformed_json")


def test_oversized_bodies_are_refused_with_413(client: Client, key: str, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = json.dumps({"description": "x" * 5000})
    response = client.patch("/api/v1/organisations/andes-coffee", big, content_type="application/json", **_bearer(key))
    _error(response, 413, "body_too_large")
    assert Organisation.objects.get(slug="andes-coffee").description == ""


def test_unknown_api_paths_answer_in_the_envelope(client: Client) -> None:
    _error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    _error(client.get("/api/v2/organisations"), 404, "not_found")


def test_wrong_method_is_405_in_the_envelope(client: Client) -> None:
    _error(client.delete("/api/v1/health"), 405, "method_not_allowed")


def test_session_users_create_organisations_and_keys_csrf_checked(owner: Any, default_tenant: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    payload = json.dumps({"name": "Telar Andino", "kind": "sme", "country": "pe"})
    _error(browser.post("/api/v1/organisations", payload, content_type="application/json"), 403, "csrf_failed")
    browser.get("/account/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    created = browser.post("/api/v1/organisations", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201 and created.json()["country"] == "PE"
    slug = created.json()["slug"]
    key = browser.post(
        f"/api/v1/organisations/{slug}/api-keys",
        json.dumps({"name": "crm", "scopes": ["org:read"]}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert key.status_code == 201
    secret = key.json()["key"]
    assert secret.startswith("ivcs_") and not ApiKey.objects.filter(key_hash=secret).exists(), "stored hashed"
    listing = browser.get(f"/api/v1/organisations/{slug}/api-keys").json()
    assert "key" not in listing[0], "the secret is shown once"
    prefix = key.json()["prefix"]
    revoked = browser.delete(f"/api/v1/organisations/{slug}/api-keys/{prefix}", HTTP_X_CSRFTOKEN=token)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    _error(Client().get("/api/v1/me", **_bearer(secret)), 401, "unauthenticated")


def test_a_bad_key_is_refused_even_with_a_valid_session(client: Client, owner: Any, org: Organisation) -> None:
    client.force_login(owner)
    assert client.get("/api/v1/me").status_code == 200
    _error(client.get("/api/v1/me", **_bearer("ivcs_00000000_wrong")), 401, "unauthenticated")


def test_keys_cannot_create_keys_or_organisations(client: Client, key: str) -> None:
    _error(
        client.post(
            "/api/v1/organisations/andes-coffee/api-keys",
            json.dumps({"name": "x", "scopes": ["org:read"]}),
            content_type="application/json",
            **_bearer(key),
        ),
        401,
        "unauthenticated",
    )


def test_invalid_scopes_are_refused_by_name(client: Client, owner: Any, org: Organisation) -> None:
    client.force_login(owner)
    response = client.post(
        "/api/v1/organisations/andes-coffee/api-keys",
        json.dumps({"name": "x", "scopes": ["everything"]}),
        content_type="application/json",
    )
    error = _error(response, 422, "invalid_scope")
    assert error["details"][0]["field"] == "scopes"


def test_an_api_key_is_refused_on_another_tenant(client: Client, key: str, other_tenant: Any) -> None:
    assert client.get("/api/v1/me", **_bearer(key)).status_code == 200
    _error(client.get("/api/v1/me", HTTP_HOST="otro.example.org", **_bearer(key)), 401, "unauthenticated")
    _error(client.get("/t/otro/api/v1/me", **_bearer(key)), 401, "unauthenticated")


def test_listing_shows_only_this_tenants_organisations(
    client: Client, make_user: Any, make_org: Any, other_tenant: Any
) -> None:
    operator = make_user(is_staff=True)
    make_org(slug="here")
    make_org(slug="there", tenant=other_tenant)
    client.force_login(operator)
    here = [o["slug"] for o in client.get("/api/v1/organisations").json()["items"]]
    there = [o["slug"] for o in client.get("/api/v1/organisations", HTTP_HOST="otro.example.org").json()["items"]]
    assert "here" in here and "there" not in here
    assert there == ["there"]


def test_demo_organisations_say_so(client: Client, make_user: Any, make_org: Any) -> None:
    user = make_user()
    make_org(owner=user, slug="demo-x", is_demo=True)
    client.force_login(user)
    assert client.get("/api/v1/organisations/demo-x").json()["is_demo"] is True


def test_countries_are_localised(client: Client) -> None:
    names = {c["code"]: c["name"] for c in client.get("/api/v1/countries?lang=es").json()}
    assert names["BR"] == "Brasil" and names["DE"] == "Alemania"


def test_create_api_key_command_prints_a_working_key(client: Client, org: Organisation, capsys: Any) -> None:
    call_command("create_api_key", org="andes-coffee", scope=["org:read"], name="cli")
    secret = capsys.readouterr().out.strip()
    assert client.get("/api/v1/organisations/andes-coffee", **_bearer(secret)).status_code == 200
    assert ApiKey.objects.get(name="cli").scopes == ["org:read"]


def test_api_key_clients_get_401_not_a_csrf_error_on_session_only_writes(org: Organisation, key: str) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/organisations",
        json.dumps({"name": "X", "kind": "sme", "country": "CL"}),
        content_type="application/json",
        **_bearer(key),
    )
    _error(response, 401, "unauthenticated")


def test_unknown_kind_filter_is_a_validation_error(client: Client, key: str) -> None:
    error = _error(client.get("/api/v1/organisations?kind=pirate", **_bearer(key)), 422, "validation_error")
    assert error["details"][0]["field"] == "kind"


def test_openapi_document_follows_the_tenant_prefix(client: Client, other_tenant: Any) -> None:
    plain = client.get("/api/v1/openapi.json").json()
    again = client.get("/api/v1/openapi.json").json()
    prefixed = client.get("/t/otro/api/v1/openapi.json").json()
    assert plain == again
    assert "/api/v1/health" in plain["paths"] and "/t/otro/api/v1/health" in prefixed["paths"]


def test_organisation_listing_paginates_in_the_database(
    client: Client, make_user: Any, make_org: Any, django_assert_max_num_queries: Any
) -> None:
    operator = make_user(is_staff=True)
    for n in range(30):
        make_org(slug=f"org-{n:02d}", name=f"Org {n:02d}")
    client.force_login(operator)
    with django_assert_max_num_queries(12):
        page = client.get("/api/v1/organisations?limit=5&offset=10").json()
    assert page["count"] == 30 and [o["slug"] for o in page["items"]] == [f"org-{n:02d}" for n in range(10, 15)]
    assert page["items"][0]["country_name"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("offset=626128437631775932416", "offset"), ("limit=0", "limit"), ("limit=101", "limit"), ("offset=-1", "offset")],
)
def test_pagination_bounds_are_validation_errors_not_crashes(client: Client, key: str, query: str, field: str) -> None:
    """Found by schemathesis: an offset beyond 64 bits made SQLite raise (a 500)."""
    error = _error(client.get(f"/api/v1/organisations?{query}", **_bearer(key)), 422, "validation_error")
    assert error["details"][0]["field"] == field


def test_nul_characters_are_refused_at_the_door(client: Client, key: str) -> None:
    """PostgreSQL cannot store NUL in text; the fuzzer found a 500 there (a NUL in a slug)."""
    body = json.dumps({"buyer": "a\x00b", "title": "x"})
    error = _error(
        client.post("/api/v1/opportunities", body, content_type="application/json", **_bearer(key)), 400, "bad_request"
    )
    assert "NUL" in error["message"]
    _error(client.get("/api/v1/standards?q=caf%00e"), 400, "bad_request")
    # A NUL-free body with the text "\\u0000" written out is fine.
    response = client.post("/api/v1/nlq", json.dumps({"text": "café \\\\u0000"}), content_type="application/json")
    assert response.status_code == 200
