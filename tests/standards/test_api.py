"""The standards API: listings with filters, details per country, buyers, and the gap analysis."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from ivcs.accounts import services as accounts
from ivcs.standards.models import HeldCertification

pytestmark = pytest.mark.django_db


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


def _gap(client: Client, body: dict[str, Any], **headers: Any) -> Any:
    return client.post("/api/v1/gap-analysis", json.dumps(body), content_type="application/json", **headers)


def test_sectors_in_each_language(client: Client, catalogue: Any) -> None:
    for lang, name in [("es", "Alimentos y bebidas"), ("pt", "Alimentos e bebidas"), ("en", "Food and beverage")]:
        body = client.get(f"/api/v1/sectors?lang={lang}").json()
        food = next(s for s in body if s["id"] == "food_beverage")
        assert food["name"] == name and food["hs"] == ["02-24"]
        assert [s["id"] for s in food["subsectors"]] == ["food_beverage.coffee_cocoa"]
        assert food["source"]["checked"] == "2026-11-30"


def test_standards_filters(client: Client, catalogue: Any) -> None:
    def ids(query: str) -> set[str]:
        response = client.get(f"/api/v1/standards{query}")
        assert response.status_code == 200, response.content
        return {s["id"] for s in response.json()}

    food = {"iso_22000", "fssc_22000", "brcgs_food", "organic_eu"}
    assert ids("?sector=food_beverage") == food
    # A subsector sees the schemes of its whole sector and its own.
    assert ids("?sector=food_beverage.coffee_cocoa") == food
    assert ids("?sector=textiles") == {"gots"}
    # HS: organic_eu names 0901 and 1801 itself; the food schemes apply through their sector's 02-24.
    assert ids("?hs=0901.21") == food
    assert ids("?hs=2204") == food - {"organic_eu"}
    assert ids("?hs=5205") == {"gots"}
    assert ids("?country=CO") == {"iso_22000", "fssc_22000", "brcgs_food"}
    assert ids("?country=pe&recognised_by=gfsi") == {"fssc_22000", "brcgs_food"}
    assert ids("?q=prerrequisito") == {"fssc_22000"}  # words of the scope, in any of its languages
    assert ids("?q=organic textile") == {"gots"}
    assert ids("?q=FSSC") == {"fssc_22000"}


def test_standard_list_item_shape(client: Client, catalogue: Any) -> None:
    item = next(s for s in client.get("/api/v1/standards?lang=es").json() if s["id"] == "fssc_22000")
    assert item["owner"] == "Foundation FSSC"
    assert item["recognitions"][0]["by"] == "gfsi" and "GFSI" in item["recognitions"][0]["name"]
    assert item["scope"] == "ISO 22000 más programas prerrequisito."
    assert item["source"]["sources"][0]["url"] == "https://example.org/fssc"


def test_standard_detail_for_a_country(client: Client, catalogue: Any) -> None:
    body = client.get("/api/v1/standards/fssc_22000?country=CO&lang=en").json()
    assert body["validity_months"] == 36 and body["country"] == "CO"
    assert [c["id"] for c in body["certifiers"]] == ["certi_uno"]
    assert [o["country"] for o in body["certifiers"][0]["offices"]] == ["CO"]  # only that country's offices
    assert body["costs"][0]["cost_range"] == {"currency": "USD", "min": "8000", "max": "15000"}
    assert body["costs"][0]["indicative"] is True
    assert [p["id"] for p in body["financing"]] == ["co_calidad", "latam_fund"]  # the one naming FSSC first
    assert body["courses"][0]["id"] == "fssc_intro"
    assert body["relations"][0] == {**body["relations"][0], "standard": "fssc_22000", "relation": "includes",
                                    "other": "iso_22000"}  # fmt: skip
    assert {b["id"] for b in body["required_by"]} == {"burger_co", "cafe_demo"}

    peru = client.get("/api/v1/standards/brcgs_food?country=PE").json()
    assert [c["country"] for c in peru["costs"]] == ["*"]  # no Peruvian estimate: the general one
    assert peru["source"]["verified"] == "partial" and peru["source"]["unverified"] == ["validity_months"]


def test_unknown_and_invalid_values_are_named(client: Client, catalogue: Any) -> None:
    error = _error(client.get("/api/v1/standards/no_such"), 404, "not_found")
    assert error["details"][0]["value"] == "no_such"
    assert (
        _error(client.get("/api/v1/standards?country=ZZ"), 422, "validation_error")["details"][0]["field"] == "country"
    )
    assert _error(client.get("/api/v1/standards?hs=09x1"), 422, "validation_error")["details"][0]["field"] == "hs"
    error = _error(client.get("/api/v1/standards?sector=space"), 422, "unknown_value")
    assert error["details"][0] == {**error["details"][0], "field": "sector", "value": "space"}
    assert _error(client.get("/api/v1/certifiers?standard=nope"), 422, "unknown_value")["details"][0]["value"] == "nope"
    assert _error(client.get("/api/v1/certifiers/nope"), 404, "not_found")
    assert _error(client.get("/api/v1/buyers/nope"), 404, "not_found")
    assert _error(client.get("/api/v1/financing?purpose=holidays"), 422, "validation_error")
    assert _error(client.get("/api/v1/financing?standard=nope"), 422, "unknown_value")


def test_certifiers_financing_and_buyers(client: Client, catalogue: Any) -> None:
    peru = client.get("/api/v1/certifiers?country=PE").json()
    assert {c["id"] for c in peru} == {"certi_uno", "certi_dos"}
    assert client.get("/api/v1/certifiers?standard=gots&country=CO").json() == []
    assert {p["id"] for p in client.get("/api/v1/financing?country=PE").json()} == {"pe_export", "latam_fund"}
    assert {p["id"] for p in client.get("/api/v1/financing?country=PE&purpose=certification").json()} == {"latam_fund"}
    co = client.get("/api/v1/financing?country=CO").json()[0]
    assert co["maximum"] == {"amount": "130000000", "currency": "COP"} and co["coverage_percent"] == 70
    buyers = client.get("/api/v1/buyers?sector=food_beverage.coffee_cocoa").json()
    assert {b["id"]: b["demo"] for b in buyers} == {"burger_co": False, "cafe_demo": True}
    assert [b["id"] for b in client.get("/api/v1/buyers?include_demo=false").json()] == ["burger_co"]


def test_gap_analysis_with_held_certificates(client: Client, catalogue: Any) -> None:
    body = _gap(
        client,
        {
            "held": [{"standard": "iso_22000", "expires": "2027-01-15"}],
            "target": {"buyer": "cafe_demo"},
            "country": "PE",
            "on": "2026-11-30",
        },
    ).json()
    assert body["target"] == {"kind": "buyer", "id": "cafe_demo", "name": "Café Importers (Demo)", "demo": True}
    assert body["ready"] is False and body["met"] == []
    assert [m["requirement"] for m in body["missing"]] == ["cafe_demo_green#1", "cafe_demo_green#2"]
    # ISO 22000 does not satisfy "FSSC 22000 or BRCGS"; the plan adds organic and the cheaper known option.
    assert [s["standard"] for s in body["steps"]] == ["organic_eu", "brcgs_food"]
    organic = body["steps"][0]
    assert organic["cost_range"] == {"currency": "USD", "min": "1500", "max": "3000"}
    assert [c["id"] for c in organic["certifiers"]] == ["certi_dos"]
    assert body["total_cost_range"] == {
        "ranges": [{"currency": "USD", "min": "6500", "max": "12000"}],
        "without_estimate": [],
    }
    # Expiring within 180 days of `on`: listed, though this buyer does not need it.
    assert body["expiring"] == [{"standard": "iso_22000", "expires": "2027-01-15", "needed_for": []}]


def test_gap_analysis_uses_equivalences_and_recognitions(client: Client, catalogue: Any) -> None:
    body = _gap(client, {"held": [{"standard": "fssc_22000"}], "target": {"buyer": "burger_co"}}).json()
    assert body["ready"] is True and body["missing"] == [] and body["steps"] == []
    assert {(m["requirement"], m["via"], m["satisfies"]) for m in body["met"]} == {
        ("burger_food_safety#1", "recognition", "gfsi"),
        ("burger_food_safety#2", "equivalence", "iso_22000"),
    }
    # An expired certificate counts for nothing, and the plan renews it.
    body = _gap(
        client,
        {
            "held": [{"standard": "fssc_22000", "expires": "2026-01-01"}],
            "target": {"buyer": "burger_co"},
            "on": "2026-11-30",
        },
    ).json()
    assert body["ready"] is False and body["missing"][0]["expired"] == ["fssc_22000"]
    assert [s["standard"] for s in body["steps"]] == ["fssc_22000"]


def test_gap_analysis_for_a_sector_and_a_product(client: Client, catalogue: Any) -> None:
    body = _gap(client, {"held": [], "target": {"sector": "food_beverage", "hs": "2204"}}).json()
    # The demo buyer's set is for HS 0901 only: for wine only burger_co's requirements remain.
    assert {m["requirement"].split("#")[0] for m in body["missing"]} == {"burger_food_safety"}
    body = _gap(client, {"held": [], "target": {"sector": "food_beverage.coffee_cocoa", "hs": "090121"}}).json()
    asked = {tuple(m["asked_by"]) for m in body["missing"]}
    assert ("cafe_demo",) in asked and ("burger_co",) in asked


def test_gap_analysis_bad_input(client: Client, catalogue: Any) -> None:
    error = _error(
        _gap(client, {"held": [{"standard": "nope"}], "target": {"buyer": "burger_co"}}), 422, "unknown_value"
    )
    assert error["details"][0]["value"] == "nope"
    error = _error(_gap(client, {"held": [], "target": {"buyer": "nobody"}}), 422, "unknown_value")
    assert error["details"][0]["field"] == "target.buyer"
    _error(_gap(client, {"held": [], "target": {"buyer": "burger_co", "sector": "textiles"}}), 422, "validation_error")
    _error(_gap(client, {"held": [], "target": {}}), 422, "validation_error")
    _error(
        _gap(client, {"held": [{"standard": "gots", "expires": "soon"}], "target": {"buyer": "burger_co"}}),
        422,
        "validation_error",
    )
    _error(_gap(client, {"held": [], "target": {"buyer": "burger_co"}, "country": "Chile"}), 422, "validation_error")
    _error(_gap(client, {"organisation": "x", "held": [], "target": {"buyer": "burger_co"}}), 422, "validation_error")
    _error(client.post("/api/v1/gap-analysis", "{", content_type="application/json"), 400, "malformed_json")


def test_gap_analysis_of_an_organisation_needs_access_and_stays_in_its_tenant(
    client: Client, catalogue: Any, make_user: Any, make_org: Any, other_tenant: Any
) -> None:
    owner = make_user()
    org = make_org(owner=owner, slug="cafe-andino", country="PE")
    HeldCertification.objects.create(organisation=org, scheme_id="fssc_22000", expires=date(2030, 1, 1))
    key = accounts.create_api_key(None, org, name="t", scopes=["org:read"]).secret
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = {"organisation": "cafe-andino", "target": {"buyer": "burger_co"}}

    ok = _gap(client, body, **bearer).json()
    assert ok["ready"] is True and ok["country"] == "PE"  # the organisation's country by default
    # Anonymous, another organisation's key, or the right key on another tenant: "unknown organisation".
    _error(_gap(client, body), 422, "unknown_value")
    stranger = make_org(owner=make_user(), slug="otra")
    other_key = accounts.create_api_key(None, stranger, name="t", scopes=["org:read"]).secret
    _error(_gap(client, body, HTTP_AUTHORIZATION=f"Bearer {other_key}"), 422, "unknown_value")
    response = _gap(client, body, HTTP_HOST="otro.example.org", **bearer)
    assert response.status_code in (401, 422)
    # A member signed in through the browser session may use it too.
    client.force_login(owner)
    assert _gap(client, body).json()["ready"] is True


def test_openapi_lists_the_standards_operations(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/sectors", "/api/v1/standards", "/api/v1/standards/{standard_id}", "/api/v1/certifiers",
                 "/api/v1/financing", "/api/v1/gap-analysis", "/api/v1/buyers"]:  # fmt: skip
        assert path in paths, path
