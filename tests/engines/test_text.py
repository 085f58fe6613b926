"""Shared text helpers of the engines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivcs.engines.text import detect_language, fold, tokenize


def test_fold_removes_case_and_accents() -> None:
    assert fold("Açaí Orgânico ÑANDÚ") == "acai organico nandu"


def test_tokenize_keeps_hyphenated_words() -> None:
    assert tokenize("Castanha-do-Pará, sem casca!") == ["castanha-do-para", "sem", "casca"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("palta hass de Michoacán para exportar a Europa", "es"),
        ("castanha-do-pará sem casca para os Estados Unidos", "pt"),
        ("we roast specialty coffee in Huila", "en"),
        ("¿quién compra camisetas de algodón?", "es"),
        ("Produzimos confecção de moda praia", "pt"),
    ],
)
def test_detect_language_on_sme_sentences(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_detect_language_falls_back_to_the_default() -> None:
    assert detect_language("0901.21", default="pt") == "pt"
    assert detect_language("", default="en") == "en"


@given(st.text())
def test_fold_is_idempotent_and_never_longer_in_tokens(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert detect_language(text) in {"es", "pt", "en"}
