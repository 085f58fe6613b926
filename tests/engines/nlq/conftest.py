from __future__ import annotations

from collections.abc import Sequence

import pytest

from ivcs.engines.nlq import Gazetteer, ProductHit, load_gazetteer


class FakeFinder:
    """Records every call; answers from a small table of words to HS codes."""

    TABLE = {
        "cafe": ("090121", "Roasted coffee", 0.9),
        "coffee": ("090121", "Roasted coffee", 0.9),
        "camisetas": ("610910", "T-shirts of cotton", 0.85),
        "pantalones": ("620342", "Trousers of cotton", 0.8),
        "cacao": ("180100", "Cocoa beans", 0.8),
        "palta": ("080440", "Avocados", 0.9),
        "acai": ("081190", "Frozen fruit", 0.6),
        "software": ("852380", "Software media", 0.5),
        "tela": ("520812", "Woven fabrics of cotton", 0.7),
    }

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, phrase: str, language: str) -> Sequence[ProductHit]:
        from ivcs.engines.text import fold

        self.calls.append((phrase, language))
        words = fold(phrase).split()
        return [ProductHit(code, desc, score) for word, (code, desc, score) in self.TABLE.items() if word in words]


@pytest.fixture
def finder() -> FakeFinder:
    return FakeFinder()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()
