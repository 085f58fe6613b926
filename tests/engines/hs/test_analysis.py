"""Text analysis: stopwords, weak words, compounds, stems, typo repair."""

from __future__ import annotations

from pathlib import Path

from ivcs.engines.hs import analysis
from ivcs.engines.hs.trade_names import load_trade_names


def folded(text: str) -> list[str]:
    return [t.folded for t in analysis.tokens(text)]


def test_sme_boilerplate_is_dropped_and_products_kept() -> None:
    assert folded("Somos una empresa familiar que exporta café tostado") == ["cafe", "tostado"]
    assert folded("We are a company and we roast coffee") == ["roast", "coffee"]


def test_marketing_words_and_places_are_weak_not_dropped() -> None:
    weights = {t.folded: t.weight for t in analysis.tokens("miel orgánica premium de Chiapas")}
    assert weights["miel"] == 1.0
    assert weights["organica"] == weights["premium"] == weights["chiapas"] == analysis.WEAK_WEIGHT


def test_compounds_yield_the_whole_and_the_parts() -> None:
    tokens = analysis.tokens("castanha-do-pará")
    assert tokens[0].compound and tokens[0].folded == "castanha-do-para"
    assert [t.folded for t in tokens[1:]] == ["castanha"]  # "do" and "pará"→"para" are stopwords


def test_plurals_and_accents_meet_in_one_stem() -> None:
    assert analysis.stem("camisetas", "es") == analysis.stem("camiseta", "es")
    assert analysis.stem("confeccoes", "pt") == analysis.stem("confeccao", "pt")
    assert analysis.tokens("Algodón")[0].folded == analysis.tokens("algodon")[0].folded


def test_us_spelling_is_mapped_to_the_wco_spelling() -> None:
    assert folded("silver jewelry") == ["silver", "jewellery"]


def test_typo_repair_is_bounded() -> None:
    vocabulary = analysis.Vocabulary({"aguacates": 3, "shrimps": 2, "shrimp": 5, "lata": 1})
    assert vocabulary.correct("shirmp") == "shrimp"  # a swap is one edit
    assert vocabulary.correct("abc") is None  # too short to repair
    assert vocabulary.correct("zzzzzzzz") is None  # nothing close
    assert vocabulary.correct("shrimp") is None  # known words are left alone


def test_numbers_and_units_are_not_words() -> None:
    assert folded("café 500 kg 100%") == ["cafe"]


def test_trade_names_loader_skips_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text(
        "term,lang,countries,hs,note\n"
        "palta,es,CL PE,080440 0804,ok\n"
        ",es,,080440,no term\n"
        "nada,es,,12ab,bad code\n"
        "software,en,,,service: no HS code\n"
        "acai,xx,,081190,unknown language kept without language\n",
        encoding="utf-8",
    )
    names = load_trade_names(path)
    assert [(n.term, n.codes, n.lang) for n in names] == [
        ("palta", ("080440", "0804"), "es"),
        ("acai", ("081190",), ""),
    ]
    assert load_trade_names(tmp_path / "missing.csv") == []
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00garbage")
    assert load_trade_names(tmp_path / "binary.csv") == []


def test_compound_meets_its_joined_spelling() -> None:
    terms = analysis.doc_terms("Sun-flower seed oil", "en")
    joined_query = analysis.query_variants(analysis.tokens("sunflower")[0])
    assert set(joined_query) & set(terms)
    hyphen_query = analysis.query_variants(analysis.tokens("egg-plants")[0])
    assert set(hyphen_query) & set(analysis.doc_terms("eggplants", "en"))


def test_english_ing_nouns_keep_their_ending() -> None:
    # Snowball reads "paintings" as "paint" and "herring" as "her": paint then met works of art.
    assert analysis.stem("paintings", "en") == analysis.stem("painting", "en") == "painting"
    assert analysis.stem("paint", "en") != analysis.stem("paintings", "en")
    assert analysis.stem("herring", "en") == "herring"
    assert analysis.stem("coatings", "en") == "coating"
    assert analysis.stem("ring", "en") == "ring"  # short words are left to Snowball
    assert analysis.stem("pinturas", "es") == analysis.stem("pintura", "es")  # other languages unchanged


def test_place_of_business_and_logistics_words_are_dropped() -> None:
    # Unknown to the nomenclature, they used to be "repaired" into products (huerto -> hierro, freight -> weight).
    spanish = [t.folded for t in analysis.tokens("tenemos una finca en Caldas y exportamos granadilla cada temporada")]
    assert "finca" not in spanish and "temporada" not in spanish and "granadilla" in spanish
    english = [t.folded for t in analysis.tokens("our orchard harvests fresh cherries, shipped by air freight")]
    assert {"orchard", "shipped", "freight"}.isdisjoint(english) and "cherries" in english
    assert [t.weight for t in analysis.tokens("small cherries")] == [analysis.WEAK_WEIGHT, 1.0]


def test_six_letter_words_get_one_edit_only() -> None:
    vocabulary = analysis.Vocabulary({"hoses": 4, "hotel": 1, "tomates": 2})
    assert vocabulary.correct("hotels") == "hotel"  # one edit: fine
    assert analysis.Vocabulary({"hoses": 4}).correct("hotels") is None  # two edits on six letters: no
    assert vocabulary.correct("tomattes") == "tomates"  # longer words still get two


def test_proper_names_inside_a_sentence() -> None:
    assert analysis.proper_names("engenho artesanal em Areia, na Paraíba, fazendo rapadura") == {"Areia", "Paraíba"}
    assert analysis.proper_names("Camisetas De Algodón Orgánico") == frozenset()  # Title Case says nothing
    assert analysis.proper_names("preformas PET para botellas") == frozenset()  # acronyms are not names
    assert analysis.proper_names("Palta hass. Mango kent") == frozenset()  # sentence starts
