"""Behaviour of the HS search on our own example queries (not the evaluation set)."""

from __future__ import annotations

import pytest

from ivcs.engines.hs import analysis
from ivcs.engines.hs.nomenclature import default_nomenclature
from ivcs.engines.hs.search import MAX_QUERY_CHARS, HsSearchIndex, segments


def top_headings(index: HsSearchIndex, query: str, k: int = 3, lang: str | None = None) -> list[str]:
    return [m.code[:4] for m in index.search(query, lang=lang, limit=k).results]


@pytest.mark.parametrize(
    ("query", "heading"),
    [
        ("palta hass de Michoacán", "0804"),
        ("aguacates frescos para exportar", "0804"),
        ("camisetas de algodón orgánico", "6109"),
        ("castanha-do-pará sem casca", "0801"),
        ("castanha do para sem casca", "0801"),
        ("we roast specialty coffee", "0901"),
        ("café tostado en grano", "0901"),
        ("cafe torrado e moido", "0901"),
        ("frozen shrimp", "0306"),
        ("miel de abeja", "0409"),
        ("mel de abelha", "0409"),
        ("cut roses", "0603"),
        ("vinho tinto", "2204"),
    ],
)
def test_products_find_their_heading_first(index: HsSearchIndex, query: str, heading: str) -> None:
    assert top_headings(index, query, k=1) == [heading]


def test_subheading_detail_is_used(index: HsSearchIndex) -> None:
    assert index.search("castanha-do-pará sem casca").results[0].code == "080122"
    assert index.search("castanha-do-pará com casca").results[0].code == "080121"
    assert index.search("fresh avocados").results[0].code == "080440"


def test_unmarked_subheading_wins_when_the_query_says_nothing_special(index: HsSearchIndex) -> None:
    # Roasted coffee, not decaffeinated: decaffeinated must be asked for.
    assert index.search("we roast coffee").results[0].code == "090121"
    assert index.search("café tostado descafeinado").results[0].code == "090122"


@pytest.mark.parametrize(
    "query",
    ["camarones congelados", "camarónes congelados", "camarones congelaods", "CAMARONES CONGELADOS"],
)
def test_typos_accents_and_case_do_not_matter(index: HsSearchIndex, query: str) -> None:
    assert top_headings(index, query, k=1) == ["0306"]


def test_typo_is_reported_as_the_user_wrote_it(index: HsSearchIndex) -> None:
    top = index.search("aguacte fresco").results[0]
    assert top.code[:4] == "0804"
    assert "aguacte" in top.matched


def test_multilingual_equivalence(index: HsSearchIndex) -> None:
    triples = [
        ("camisetas de algodón", "camisetas de algodão", "cotton t-shirts"),
        ("miel natural", "mel natural", "natural honey"),
        ("café tostado", "café torrado", "roasted coffee"),
        ("camarones congelados", "camarões congelados", "frozen shrimps"),
    ]
    for es, pt, en in triples:
        tops = {top_headings(index, q, k=1)[0] for q in (es, pt, en)}
        assert len(tops) == 1, (es, pt, en, tops)


def test_result_fields(index: HsSearchIndex) -> None:
    result = index.search("Palta Hass", lang="pt")
    top = result.results[0]
    assert result.language == "pt" and result.hint is None
    assert top.level == 6 and top.description_language == "pt"
    assert top.heading is not None and top.heading[0] == top.code[:4]
    assert top.chapter is not None and top.chapter[0] == top.code[:2]
    assert "Palta" in top.matched
    assert 0 < top.score <= 1


def test_description_falls_back_to_english_and_says_so(index: HsSearchIndex) -> None:
    nomenclature = default_nomenclature()
    code = next(c for c, e in sorted(nomenclature.entries.items()) if e.level == 6 and "es" not in e.descriptions)
    match = index.search(code, lang="es").results[0]
    assert match.code == code and match.description_language == "en"


@pytest.mark.parametrize(
    ("query", "first", "level"),
    [
        ("0901.21", "090121", 6),
        ("090121", "090121", 6),
        ("6109", "6109", 4),
        ("09", "09", 2),
        ("NCM 0901.21.00", "090121", 6),
    ],
)
def test_typed_codes_return_the_code_and_its_children(index: HsSearchIndex, query: str, first: str, level: int) -> None:
    result = index.search(query, limit=50)
    assert result.results[0].code == first and result.results[0].level == level
    assert all(m.score == 1.0 for m in result.results)
    children = default_nomenclature().children.get(first, ())
    assert [m.code for m in result.results[1:]] == list(children)


def test_unknown_code_falls_back_to_its_parent(index: HsSearchIndex) -> None:
    result = index.search("0901.99")
    assert result.hint == "code_not_found" and result.results[0].code == "0901"


@pytest.mark.parametrize(
    ("query", "hint"),
    [("", "empty_query"), ("   ", "empty_query"), ("!!! ???", "empty_query"), ("😀🥑", "empty_query")],
)
def test_empty_input_gives_a_hint(index: HsSearchIndex, query: str, hint: str) -> None:
    result = index.search(query)
    assert result.results == () and result.hint == hint


def test_junk_gives_no_match(index: HsSearchIndex) -> None:
    result = index.search("qwzxv jjjkq")
    assert result.results == () and result.hint == "no_match"


def test_long_input_is_truncated(index: HsSearchIndex) -> None:
    result = index.search("café tostado " * 1000)
    assert result.hint == "too_long_truncated"
    assert result.results and result.results[0].code[:4] == "0901"
    assert len("café tostado " * 1000) > MAX_QUERY_CHARS


def test_markup_and_sql_are_just_text(index: HsSearchIndex) -> None:
    result = index.search("<script>alert(1)</script> café'; DROP TABLE hs;-- 🥑")
    assert all(m.code in default_nomenclature().entries for m in result.results)
    assert index.search("<b>frozen shrimp</b>").results[0].code[:4] == "0306"


def test_several_products_are_interleaved(index: HsSearchIndex) -> None:
    result = index.search("exportamos café verde y cacao en grano", limit=6)
    headings = [m.code[:4] for m in result.results[:2]]
    assert set(headings) == {"0901", "1801"}
    assert result.hint == "several_products"
    parts = index.search_many("jeans, t-shirts and leather belts")
    assert len(parts) == 3


def test_one_product_with_attributes_is_not_split(index: HsSearchIndex) -> None:
    result = index.search("café tostado y molido")
    assert result.hint is None and result.results[0].code[:4] == "0901"


def test_segments() -> None:
    assert segments("café, cacao y miel") == ["café", "cacao", "miel"]
    assert segments("somos y hacemos") == []


def test_limit_is_respected(index: HsSearchIndex) -> None:
    assert len(index.search("queso", limit=3).results) == 3
    assert index.search("queso", limit=0).results == ()


def test_paint_is_not_a_painting(index: HsSearchIndex) -> None:
    # English -ing nouns keep their ending: "paint" no longer meets 97.01 "paintings".
    assert top_headings(index, "wall paint", k=1, lang="en")[0] in {"3208", "3209", "3210"}
    assert top_headings(index, "oil paintings on canvas", k=1, lang="en") == ["9701"]


def test_retreaded_is_a_mark_of_its_own(index: HsSearchIndex) -> None:
    # Retreaded tyres (40.12) are a special case: a query that does not say so gets new tyres first.
    assert top_headings(index, "neumáticos para automóviles", k=1) == ["4011"]


def test_spanish_words_reach_subheadings_without_spanish_text(index: HsSearchIndex) -> None:
    # 15.12.11 has no Spanish label of its own; it carries its heading's Spanish text instead.
    entry = index.nomenclature.entries["151211"]
    assert "es" not in entry.descriptions
    posting = index.lexical.posting(analysis.stem("girasol", "es"))
    assert posting is not None and index.codes.index("151211") in set(posting[0].tolist())


def test_short_english_product_names_are_read_as_english(index: HsSearchIndex) -> None:
    assert index.language_of("rice cookers") == "en"
    assert index.language_of("car tyres") == "en"
    assert index.language_of("pimenta-do-reino em grão") == "pt"
    assert index.language_of("0901") == "es"  # nothing tells: the old default
    assert index.search("frozen shrimp").language == "en"


def test_spanish_head_noun_counts_more(index: HsSearchIndex) -> None:
    # The first noun of a Spanish or Portuguese phrase names the product ("salchichas de pavo").
    assert top_headings(index, "salchichas de pavo", k=1) == ["1601"]


def test_a_trade_name_counts_whole_not_by_its_words(index: HsSearchIndex) -> None:
    assert index.search("cortinas").results[0].code[:4] == "6303"  # not curtain rails (83.02)
    assert index.search("rieles para cortinas").results[0].code[:4] == "8302"
    assert index.search("aceite de palta").results[0].code[:4] == "1515"  # not the fruit inside the name
    assert index.search("vinagre de manzana").results[0].code[:4] == "2209"


def test_places_and_workshop_words_are_not_products_of_their_own(index: HsSearchIndex) -> None:
    found = index.search("somos un taller en Gamarra, Lima, y confeccionamos camisas de vestir de algodón para hombre")
    assert found.results[0].code == "620520"
    assert not any(m.code.startswith(("0805", "0306", "3803")) for m in found.results[:3])  # limes, shrimps, tall oil
