"""Any text gives a valid Understanding; junk gives explore and empty fields."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivcs.engines.nlq import INTENTS, SECTORS, Gazetteer, ProductHit, Understanding, understand

from .conftest import FakeFinder


def check_valid(result: Understanding, gazetteer: Gazetteer) -> None:
    assert result.intent in INTENTS
    assert result.language in {"es", "pt", "en"}
    assert 0.0 <= result.intent_confidence <= 1.0 and 0.0 <= result.confidence <= 1.0
    assert result.sector is None or result.sector in SECTORS
    assert result.origin_source in {None, "text", "profile"}
    assert (result.origin_country is None) == (result.origin_source is None)
    codes = [*result.destination_countries, *result.input_countries, *[p.country for p in result.places]]
    if result.origin_country:
        codes.append(result.origin_country)
    assert all(gazetteer.is_valid_code(code) for code in codes), codes
    assert all(p.kind in {"country", "subdivision", "city", "bloc"} for p in result.places)
    assert all(p.role in {"origin", "destination", "input", "unknown"} for p in result.places)
    assert len({hit.code for hit in result.products}) == len(result.products)
    assert list(result.products) == sorted(result.products, key=lambda hit: -hit.score)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀🚀🔥",
        "1234567890123",
        "000000",
        "<script>alert('x')</script>",
        "<b></b><i></i>",
        "'; DROP TABLE users; --",
        "SELECT * FROM productos WHERE 1=1",
        "?!?!...,,,",
    ],
)
def test_junk_gives_explore_and_empty_fields(text: str, gazetteer: Gazetteer) -> None:
    result = understand(text, find_products=FakeFinder())
    check_valid(result, gazetteer)
    assert result.intent == "explore"
    assert result.product_phrases == () and result.products == () and result.places == ()
    assert result.destination_countries == () and result.origin_country is None and result.sector is None


def test_long_text_is_truncated_and_fast(gazetteer: Gazetteer) -> None:
    text = "Busco compradores de café en Japón. " * 300  # ~10,000 characters
    started = time.perf_counter()
    result = understand(text, find_products=FakeFinder())
    assert time.perf_counter() - started < 0.5
    assert result.intent == "find_buyers" and result.destination_countries == ("JP",)
    check_valid(result, gazetteer)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=300),
    lang=st.sampled_from([None, "es", "pt", "en", "fr", ""]),
    profile=st.sampled_from([None, "CO", "BR", "PE", "MX", "CL", "CR", "ZZ", "", "eu"]),
)
def test_any_text_gives_a_valid_understanding(
    text: str, lang: str | None, profile: str | None, gazetteer: Gazetteer
) -> None:
    check_valid(understand(text, lang=lang, profile_country=profile, find_products=FakeFinder()), gazetteer)


WORDS = [
    "café",
    "de",
    "Huila",
    "para",
    "Japón",
    "y",
    "a",
    "en",
    "compradores",
    "tela",
    "China",
    "Amazonas",
    "Lima",
    "EE.UU.",
    "UE",
    ",",
    "certificación",
    "arancel",
    "0901.21",
    "con",
    "desde",
    "o",
    "Pará",
    "insumos",
    "no",
]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=25))
def test_any_word_salad_gives_a_valid_understanding(words: list[str], gazetteer: Gazetteer) -> None:
    def finder(phrase: str, language: str) -> list[ProductHit]:
        return [ProductHit(str(len(phrase) % 97).zfill(2) + "0000", phrase, 0.5)]

    check_valid(understand(" ".join(words), find_products=finder), gazetteer)
