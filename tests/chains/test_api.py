"""The chains API: a product's inputs and uses with sources, and bills of materials CRUD."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ivcs.accounts import services as accounts
from ivcs.chains import services
from ivcs.chains.models import BillOfMaterials, BomInput
from tests.chains.conftest import Sme, good_bom

pytestmark = pytest.mark.django_db

BOMS = "/api/v1/bills-of-materials"


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _send(client: Client, method: str, url: str, body: Any, **headers: Any) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **headers)


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


# --- Chains ---------------------------------------------------------------------------------------


def test_inputs_and_uses_carry_their_sources(client: Client, links: Any) -> None:
    body = client.get("/api/v1/products/1806/chain?lang=es").json()
    assert body["product"]["code"] == "1806" and body["product"]["description_language"] == "es"
    inputs = {n["code"]: n for n in body["inputs"]}
    assert {"1803", "1804", "1701", "0402", "1905"} <= set(inputs)
    sugar = inputs["1701"]
    assert {s["source"] for s in sugar["sources"]} == {"curated", "derived"}
    assert sugar["confidence"] > 0.9  # two sources agree: more sure than either alone
    assert body["inputs"][0]["source"] == "curated" and body["inputs"][-1]["code"] == "1905"
    assert all(n["description"] for n in body["inputs"])
    assert [n["code"] for n in body["used_in"]] == ["1905"]
    assert body["used_in"][0]["sources"][0]["detail"] == "Test: bakery buys chocolate"


def test_depth_two_nests_the_inputs_of_inputs(client: Client, links: Any) -> None:
    body = client.get("/api/v1/products/1806/chain?depth=2").json()
    paste = next(n for n in body["inputs"] if n["code"] == "1803")
    assert [c["code"] for c in paste["children"]] == ["1801"]


def test_a_subheading_inherits_its_headings_links(client: Client, links: Any) -> None:
    body = client.get("/api/v1/products/180690/chain").json()
    paste = next(n for n in body["inputs"] if n["code"] == "1803")
    assert paste["inherited"] is True


def test_source_filter(client: Client, links: Any) -> None:
    body = client.get("/api/v1/products/1806/chain?source=derived").json()
    assert {n["code"] for n in body["inputs"]} == {"1701", "1905"}
    assert all(s["source"] == "derived" for n in body["inputs"] for s in n["sources"])


@pytest.mark.parametrize("code", ["9999.99", "18", "abc", "18060"])
def test_unknown_or_malformed_codes_are_404(client: Client, links: Any, code: str) -> None:
    _error(client.get(f"/api/v1/products/{code}/chain"), 404, "not_found")


def test_bad_parameters_are_422(client: Client, links: Any) -> None:
    _error(client.get("/api/v1/products/1806/chain?depth=9"), 422, "validation_error")
    _error(client.get("/api/v1/products/1806/chain?source=gossip"), 422, "validation_error")


def test_smes_own_inputs_show_as_user_links_counted_not_named(client: Client, links: Any, sme: Sme) -> None:
    services.create_bom(sme.owner, sme.org, {"product": "1806", "inputs": [{"hs": "0801", "supplier": "Secret Co"}]})
    body = client.get("/api/v1/products/1806/chain?lang=en").json()
    nut = next(n for n in body["inputs"] if n["code"] == "0801")
    assert nut["source"] == "user" and "1 company" in nut["sources"][0]["detail"]
    assert "Secret" not in json.dumps(body) and "choco-lima" not in json.dumps(body)


def test_user_links_stay_on_their_tenant(client: Client, links: Any, sme: Sme, other_tenant: Any) -> None:
    services.create_bom(sme.owner, sme.org, {"product": "1806", "inputs": [{"hs": "0801"}]})
    body = client.get("/api/v1/products/1806/chain", HTTP_HOST="otro.example.org").json()
    assert "0801" not in {n["code"] for n in body["inputs"]}


# --- Bills of materials ---------------------------------------------------------------------------


def test_crud_round_trip(client: Client, sme: Sme) -> None:
    client.force_login(sme.editor)
    created = _send(client, "post", BOMS, {**good_bom(), "organisation": sme.org.slug})
    assert created.status_code == 201, created.content
    bom = created.json()
    assert bom["version"] == 1 and bom["product"]["code"] == "180690" and bom["value_share_total"] == 50.5
    assert bom["inputs"][0] == {
        **bom["inputs"][0],
        "hs": "1803",
        "origin": "PE",
        "value_share": 40.0,
        "originating_declared": True,
    }
    url = f"{BOMS}/{bom['id']}"
    assert client.get(url).json()["inputs"][1]["hs"] == "170199"
    put = _send(client, "put", url, {**good_bom(inputs=[{"hs": "1801"}]), "version": 1})
    assert put.status_code == 200 and put.json()["version"] == 2
    versions = client.get(url + "/versions").json()
    assert [v["version"] for v in versions] == [2, 1] and versions[1]["content"]["inputs"][0]["hs"] == "1803"
    listed = client.get(BOMS).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == bom["id"]
    assert client.get(BOMS + "?product=1806").json()["count"] == 1
    assert client.get(BOMS + "?product=0901").json()["count"] == 0
    assert client.get(f"{BOMS}?organisation={sme.org.slug}").json()["count"] == 1
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_stale_version_is_409_and_nothing_changes(client: Client, sme: Sme) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    services.update_bom(sme.owner, bom, good_bom(name="second"))
    client.force_login(sme.editor)
    response = _send(client, "put", f"{BOMS}/{bom.pk}", {**good_bom(name="mine"), "version": 1})
    _error(response, 409, "version_conflict")
    bom.refresh_from_db()
    assert bom.name == "second"


def test_field_errors_are_422_naming_each_field(client: Client, sme: Sme) -> None:
    client.force_login(sme.owner)
    body = {
        **good_bom(inputs=[{"hs": "1803", "value_share": 80}, {"hs": "1701", "value_share": 30}]),
        "organisation": sme.org.slug,
    }
    error = _error(_send(client, "post", BOMS, body), 422, "validation_error")
    assert {d["field"] for d in error["details"]} == {"inputs"}
    assert "110" in error["details"][0]["message"]
    error = _error(
        _send(client, "post", BOMS, {**good_bom(product="0000"), "organisation": sme.org.slug}), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "product"
    error = _error(
        _send(client, "post", BOMS, {**good_bom(), "organisation": sme.org.slug, "colour": "red"}),
        422,
        "validation_error",
    )
    assert not BillOfMaterials.objects.exists()


def test_share_out_of_range_is_a_schema_error(client: Client, sme: Sme) -> None:
    client.force_login(sme.owner)
    body = {**good_bom(inputs=[{"hs": "1803", "value_share": -5}]), "organisation": sme.org.slug}
    _error(_send(client, "post", BOMS, body), 422, "validation_error")


def test_another_users_bill_is_404_and_a_viewer_gets_403(client: Client, sme: Sme, make_user: Any) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    url = f"{BOMS}/{bom.pk}"
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    _error(_send(client, "put", url, good_bom()), 404, "not_found")
    assert client.delete(url).status_code == 404
    assert client.get(BOMS).json()["count"] == 0
    _error(_send(client, "post", BOMS, {**good_bom(), "organisation": sme.org.slug}), 422, "unknown_value")
    client.force_login(sme.viewer)
    assert client.get(url).status_code == 200
    _error(_send(client, "put", url, good_bom()), 403, "forbidden")
    assert BomInput.objects.filter(bom=bom).count() == 3


def test_other_tenant_never_sees_the_bill(client: Client, sme: Sme, other_tenant: Any) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    client.force_login(sme.owner)
    assert client.get(f"{BOMS}/{bom.pk}", HTTP_HOST="otro.example.org").status_code == 404
    assert client.get(BOMS, HTTP_HOST="otro.example.org").json()["count"] == 0


def test_api_keys_need_write_scope(client: Client, sme: Sme) -> None:
    reader = accounts.create_api_key(None, sme.org, name="r", scopes=["org:read"]).secret
    writer = accounts.create_api_key(None, sme.org, name="w", scopes=["org:write"]).secret
    body = {**good_bom(), "organisation": sme.org.slug}
    _error(_send(client, "post", BOMS, body, **_bearer(reader)), 403, "forbidden")
    created = _send(client, "post", BOMS, body, **_bearer(writer))
    assert created.status_code == 201
    assert client.get(f"{BOMS}/{created.json()['id']}", **_bearer(reader)).status_code == 200


def test_anonymous_is_401(client: Client, sme: Sme) -> None:
    assert client.get(BOMS).status_code == 401


def test_an_operators_change_to_a_link_shows_on_the_next_query(
    client: Client, links: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert "0801" not in {n["code"] for n in client.get("/api/v1/products/1806/chain").json()["inputs"]}
    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    form = {"input": "0801", "product": "1806", "source": "curated", "weight": "0.6", "confidence": "0.9"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/operator/chains/chainlink/add/", {**form, "dataset": "operator area", "detail": "x"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert "0801" in {n["code"] for n in client.get("/api/v1/products/1806/chain").json()["inputs"]}


def test_paths_from_an_input_to_a_product(client: Client, links: Any) -> None:
    body = client.get("/api/v1/products/1801/paths?to=1806&lang=es").json()
    assert [step["code"] for step in body["paths"][0]] == ["1801", "1803", "1806"]
    assert all(step["description"] for step in body["paths"][0])
    assert client.get("/api/v1/products/1806/paths?to=1801").json() == {"paths": []}  # not upstream
    _error(client.get("/api/v1/products/1801/paths?to=0000"), 422, "unknown_value")
    _error(client.get("/api/v1/products/0000/paths?to=1806"), 404, "not_found")
