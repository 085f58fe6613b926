"""Product phrases handed to the finder, splitting, merging of hits, and the sector."""

from __future__ import annotations

import pytest

from ivcs.engines.nlq import ProductHit, sector_for_code, understand

from .conftest import FakeFinder


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("camisetas y pantalones de algodón", ("camisetas de algodón", "pantalones de algodón")),
        ("Exportamos café y cacao de Huila a Japón", ("café", "cacao")),
        ("busco compradores de palta hass en Europa", ("palta hass",)),
        ("quiero vender café tostado y molido en Canadá", ("café tostado y molido",)),
        ("mango, piña y papaya deshidratados para Alemania", ("mango", "piña", "papaya deshidratados")),
        ("¿Qué certificación necesito para exportar pulpa de maracuyá a Corea?", ("pulpa de maracuyá",)),
        ("castanha-do-pará sem casca para os Estados Unidos", ("castanha-do-pará sem casca",)),
        ("we roast specialty coffee in Huila", ("roast specialty coffee",)),
        ("chocolate con cacao de Ecuador para Francia", ("chocolate",)),
        ("importamos hilo de India para tejer chompas de alpaca", ("chompas de alpaca",)),
        ("Necesito financiamiento", ()),
    ],
)
def test_product_phrases(text: str, phrases: tuple[str, ...]) -> None:
    assert understand(text).product_phrases == phrases


@pytest.mark.parametrize("code", ["0901.21", "6109", "090121", "0901.21.00"])
def test_codes_typed_directly_pass_through(code: str, finder: FakeFinder) -> None:
    result = understand(code, find_products=finder)
    assert result.product_phrases == (code,)
    assert finder.calls == [(code, result.language)]


def test_years_are_not_codes() -> None:
    assert understand("queremos exportar en 2025").product_phrases == ()


def test_finder_called_once_per_phrase_and_hits_merged(finder: FakeFinder) -> None:
    result = understand("Vendemos camisetas y pantalones de algodón a EE.UU.", find_products=finder)
    assert [phrase for phrase, _ in finder.calls] == ["camisetas de algodón", "pantalones de algodón"]
    assert [hit.code for hit in result.products] == ["610910", "620342"]
    assert result.sector == "clothing_fashion"


def test_hits_deduplicated_by_code_best_score_first() -> None:
    def finder(phrase: str, language: str) -> list[ProductHit]:
        return [ProductHit("090121", phrase, 0.4 if phrase == "café" else 0.9), ProductHit("1801", "cocoa", 0.5)]

    result = understand("café y cacao para Japón", find_products=finder)
    assert [(hit.code, hit.score) for hit in result.products] == [("090121", 0.9), ("1801", 0.5)]


def test_no_finder_means_no_products() -> None:
    result = understand("café para Japón")
    assert result.products == () and result.product_phrases == ("café",)


def test_failing_finder_does_not_break_understanding() -> None:
    def broken(phrase: str, language: str) -> list[ProductHit]:
        raise RuntimeError("index not loaded")

    assert understand("café para Japón", find_products=broken).products == ()


@pytest.mark.parametrize(
    ("code", "sector"),
    [
        ("090121", "food_beverage"),
        ("0901.21", "food_beverage"),
        ("2204", "food_beverage"),
        ("520812", "textiles"),
        ("6302", "textiles"),
        ("610910", "clothing_fashion"),
        ("6403", "clothing_fashion"),
        ("420221", "clothing_fashion"),
        ("711719", "clothing_fashion"),
        ("847130", "ict"),
        ("851712", "ict"),
        ("854231", "ict"),
        ("852580", "ict"),
        ("2709", "other"),
        ("8703", "other"),
        ("", None),
        ("x", None),
        ("00", None),
    ],
)
def test_sector_for_code(code: str, sector: str | None) -> None:
    assert sector_for_code(code) == sector


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("Desarrollo de apps y software para bancos", "ict"),
        ("servicios TI para el mercado de Estados Unidos", "ict"),
        ("vendemos ropa de moda praia", "clothing_fashion"),
        ("café especial de Huila", "food_beverage"),
        ("telas e hilos de alpaca", "textiles"),
        ("Necesito un crédito", None),
    ],
)
def test_sector_from_keywords_without_products(text: str, sector: str | None) -> None:
    assert understand(text).sector == sector


def test_sector_from_product_code_wins(finder: FakeFinder) -> None:
    assert understand("software para restaurantes", find_products=finder).sector == "other"
