"""HS search and sentence understanding through the API and the pages, in es/pt/en."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _search(client: Client, q: str, **params: Any) -> Any:
    return client.get("/api/v1/hs/search", {"q": q, **params})


@pytest.mark.parametrize(
    ("query", "lang", "heading"),
    [
        ("café tostado en grano", "es", "0901"),
        ("camisetas de algodón para hombre", "es", "6109"),
        ("castanha-do-pará sem casca", "pt", "0801"),
        ("we roast specialty coffee", "en", "0901"),
        ("rosas frescas para ramos", "es", "0603"),
    ],
)
def test_search_finds_the_heading(client: Client, hs_loaded: Any, query: str, lang: str, heading: str) -> None:
    body = _search(client, query, lang=lang, limit=5).json()
    assert body["vintage"] == "HS 2022" and body["language"] == lang
    assert heading in [r["heading"]["code"] for r in body["results"] if r["heading"]]
    first = body["results"][0]
    assert set(first) == {
        "code",
        "level",
        "description",
        "description_language",
        "score",
        "heading",
        "chapter",
        "matched",
    }
    assert 0 <= first["score"] <= 1 and first["matched"]
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_a_typed_code_comes_first(client: Client, hs_loaded: Any) -> None:
    first = _search(client, "0901.21").json()["results"][0]
    assert first["code"] == "090121" and first["score"] == 1.0


def test_descriptions_follow_the_language_and_say_when_they_fall_back(client: Client, hs_loaded: Any) -> None:
    pt = _search(client, "camisetas de algodão", lang="pt").json()["results"][0]
    assert pt["description_language"] == "pt"
    english = _search(client, "T-shirts of cotton", lang="en").json()["results"][0]
    assert english["description_language"] == "en" and "cotton" in english["description"].lower()


@pytest.mark.parametrize(
    "query", ["", "   ", "😀🍌🥑", "1234567", "'; DROP TABLE products_hscode; --", "<script>alert(1)</script>"]
)
def test_junk_queries_get_an_answer_not_an_error(client: Client, hs_loaded: Any, query: str) -> None:
    response = _search(client, query)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["results"], list)
    if not body["results"]:
        assert body["hint"] and body["hint"]["message"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": "x" * 10000}, "q"), ({"q": "cafe", "lang": "fr"}, "lang"), ({"q": "cafe", "limit": 0}, "limit"), ({}, "q")],
)
def test_bad_parameters_are_refused_by_name(client: Client, hs_loaded: Any, params: dict[str, Any], field: str) -> None:
    response = client.get("/api/v1/hs/search", params)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]


def test_search_is_rate_limited(client: Client, hs_loaded: Any, settings: Any) -> None:
    settings.IVCS_SEARCH_RATE = "3/m"
    codes = [_search(client, "cafe").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert _search(client, "cafe").json()["error"]["code"] == "rate_limited"


def _nlq(client: Client, payload: Any) -> Any:
    return client.post("/api/v1/nlq", json.dumps(payload), content_type="application/json")


def test_nlq_understands_an_sme_sentence(client: Client, hs_loaded: Any) -> None:
    body = _nlq(client, {"text": "Producimos palta hass en Michoacán y queremos exportar a Estados Unidos"}).json()
    assert body["language"] == "es" and body["intent"] == "find_buyers"
    assert body["origin_country"] == "MX" and body["destination_countries"] == ["US"]
    assert body["products"] and body["products"][0]["code"].startswith("0804")
    assert body["sector"] == "food_beverage"
    code = body["products"][0]["code"]
    assert body["next"] == {"module": "opportunities", "available": True, "url": f"/opportunities/?hs={code}"}


def test_nlq_input_countries_are_not_destinations(client: Client, hs_loaded: Any) -> None:
    body = _nlq(client, {"text": "confeccionamos camisas con tela de Pakistán para vender en la Unión Europea"}).json()
    assert "PK" not in body["destination_countries"] and "EU" in body["destination_countries"]
    assert "PK" in body["input_countries"]


def test_nlq_profile_country_is_the_fallback_origin(client: Client, hs_loaded: Any) -> None:
    body = _nlq(client, {"text": "we make cotton T-shirts", "profile_country": "pe"}).json()
    assert body["origin_country"] == "PE" and body["origin_source"] == "profile"


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"text": ""}, 422, "text"),
        ({"text": "   "}, 422, "text"),
        ({"text": "x" * 10000}, 422, "text"),
        ({"text": "café", "lang": "fr"}, 422, "lang"),
        ({"text": "café", "profile_country": "XX"}, 422, "profile_country"),
        ({"text": "café", "extra": 1}, 422, "extra"),
    ],
)
def test_nlq_bad_input(client: Client, hs_loaded: Any, payload: Any, status: int, field: str) -> None:
    response = _nlq(client, payload)
    assert response.status_code == status
    assert field in [d["field"] for d in response.json()["error"]["details"]]


def test_nlq_malformed_json(client: Client, hs_loaded: Any) -> None:
    response = client.post("/api/v1/nlq", "{oops", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"


def test_every_page_carries_the_search_bar(client: Client, hs_loaded: Any) -> None:
    for path, text in (
        ("/?lang=es", "¿Qué produce o vende su empresa?"),
        ("/?lang=pt", "O que sua empresa produz?"),
        ("/account/login/?lang=en", "What does your company make?"),
    ):
        html = client.get(path).content.decode()
        assert 'action="/search/"' in html and text in html


@pytest.mark.parametrize(
    ("lang", "query", "code"),
    [
        ("es", "camisetas de algodón", "6109"),
        ("pt", "camisetas de algodão", "6109"),
        ("en", "roasted coffee beans", "0901"),
    ],
)
def test_answer_page_shows_the_understood_product(
    client: Client, hs_loaded: Any, lang: str, query: str, code: str
) -> None:
    response = client.get("/search/", {"q": query, "lang": lang})
    html = response.content.decode()
    assert response.status_code == 200 and f"<code>{code}." in html
    assert 'name="code"' in html, "the user can correct the product"


def test_answer_page_takes_the_users_correction(client: Client, hs_loaded: Any) -> None:
    html = client.get("/search/", {"q": "camisetas", "code": "610910", "lang": "en"}).content.decode()
    assert "<code>6109.10</code>" in html and "your choice" in html


def test_answer_page_refuses_overlong_text_with_a_message(client: Client, hs_loaded: Any) -> None:
    response = client.get("/search/", {"q": "x" * 2000, "lang": "en"})
    assert response.status_code == 400 and "at most 1000 characters" in response.content.decode()


def test_hs_picker_suggests_codes_as_choices(client: Client, hs_loaded: Any) -> None:
    html = client.get("/hs/suggest/", {"hs_query": "cafe tostado", "target": "hs_code"}).content.decode()
    assert 'type="radio" name="hs_code" value="0901' in html
    assert client.get("/hs/suggest/", {"hs_query": ""}).status_code == 200


def test_nlq_leads_to_the_standards_module_once_it_exists(client: Client, hs_loaded: Any, default_tenant: Any) -> None:
    body = _nlq(client, {"text": "¿Qué certificación necesito para exportar café tostado?"}).json()
    assert body["intent"] == "certifications"
    code = body["products"][0]["code"]
    assert body["next"] == {"module": "standards", "available": True, "url": f"/standards/?hs={code}"}
    # A partner that switched the module off gets no link.
    default_tenant.enabled_modules = []
    default_tenant.save()
    body = _nlq(client, {"text": "¿Qué certificación necesito para exportar café tostado?"}).json()
    assert body["next"] == {"module": "standards", "available": False, "url": None}
