"""Whole trade names in a query, and the head word that names the product (ivcs.engines.hs.phrases)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivcs.engines.hs import analysis
from ivcs.engines.hs.phrases import PhraseIndex, head_of


@pytest.mark.parametrize(
    ("text", "lang", "head"),
    [
        ("vinagre de manzana", "es", "vinagre"),
        ("sacos de papel kraft para cemento", "es", "sacos"),
        ("vinagre de maçã", "pt", "vinagre"),
        ("café orgánico tostado", "es", "cafe"),  # "orgánico" is weak, but the first word is the head anyway
        ("olive oil soap", "en", "soap"),
        ("tomato seeds for sowing", "en", "seeds"),
        ("hand-woven baskets made of palm leaves", "en", "baskets"),
        ("premium coffee", "en", "coffee"),
    ],
)
def test_head_word(text: str, lang: str, head: str) -> None:
    words = [t for t in analysis.tokens(text, lang) if not t.part]
    index = head_of(text, lang)
    assert index is not None
    assert words[index].folded == head


def test_english_sentences_have_no_head() -> None:
    assert head_of("we are a small bakery in Oregon making gluten free bread", "en") is None
    assert head_of("premium organic", "en") is None  # only weak words


def _index() -> PhraseIndex:
    return PhraseIndex.build(
        [
            ("cortinas", "es", ("630391",)),
            ("rieles para cortinas", "es", ("830241",)),
            ("palta", "es", ("080440",)),
            ("aceite de palta", "es", ("151590",)),
            ("aguacate", "es", ("080440",)),
        ]
    )


def _find(index: PhraseIndex, query: str, lang: str = "es") -> list[tuple[str, ...]]:
    words = [t for t in analysis.tokens(query) if not t.part]
    variants = [frozenset(analysis.query_variants(t)) for t in words]
    matches = index.find(variants, [t.weight for t in words], head_of(query, lang, words))
    return sorted(m.phrase.codes for m in matches)


def test_a_trade_name_counts_only_when_the_query_says_all_of_it() -> None:
    index = _index()
    assert _find(index, "cortinas") == [("630391",)]  # not the rails, which are "rieles para cortinas"
    assert _find(index, "rieles para cortinas") == [("830241",)]  # and "cortinas" inside it is dropped


def test_the_longer_name_wins_over_the_one_inside_it() -> None:
    assert _find(_index(), "aceite de palta prensado en frío") == [("151590",)]


def test_share_and_head() -> None:
    index = _index()
    words = [t for t in analysis.tokens("palta y mango") if not t.part]
    variants = [frozenset(analysis.query_variants(t)) for t in words]
    (match,) = index.find(variants, [t.weight for t in words], head=1)  # head: "mango"
    assert match.phrase.codes == ("080440",)
    assert match.share == pytest.approx(0.5)
    assert match.has_head is False


def test_same_words_in_one_language_are_merged() -> None:
    index = PhraseIndex.build([("palta", "es", ("080440",)), ("paltas", "es", ("081190",))])
    assert len(index) == 1
    assert index.phrases[0].codes == ("080440", "081190")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["cortinas", "rieles", "para", "palta", "aceite", "de", "mango", "aguacate"]), max_size=6)
)
def test_every_match_is_fully_said_and_none_is_inside_another(words: list[str]) -> None:
    query = " ".join(words)
    tokens = [t for t in analysis.tokens(query) if not t.part]
    variants = [frozenset(analysis.query_variants(t)) for t in tokens]
    matches = _index().find(variants, [t.weight for t in tokens], None)
    for match in matches:
        assert len(match.words) == len(match.phrase.keys)
        assert all(any(key in variants[i] for i in match.words) for key in match.phrase.keys)
        assert 0 < match.share <= 1
        assert not any(match.words < other.words for other in matches)


def test_a_negated_word_only_matches_a_trade_name_that_negates_too() -> None:
    index = PhraseIndex.build(
        [
            ("castanha-do-pará com casca", "pt", ("080121",)),  # "com" is a stopword: keys are the nut and "casca"
            ("castanha-do-pará sem casca", "pt", ("080122",)),
        ]
    )
    assert _find(index, "castanha-do-pará sem casca", "pt") == [("080122",)]
    assert _find(index, "castanha-do-pará com casca", "pt") == [("080121",)]
