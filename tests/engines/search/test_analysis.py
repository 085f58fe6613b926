"""Analysis shared by indexing and querying: folding, stems that meet across es/pt/en, stop words, and
FTS5 expressions that no input can break (checked against a real SQLite FTS5 table)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivcs.engines.search.analysis import MAX_TERMS, highlight_tokens, index_text, parse_query

CLEAN_TOKENS = re.compile(r"[a-z0-9]+( [a-z0-9]+)*")


def test_accents_and_case_are_folded() -> None:
    assert index_text("CAFÉ Orgánico", "es") == index_text("café orgánico", "es")
    assert parse_query("Café").words == parse_query("cafe").words == ["cafe"]


@pytest.mark.parametrize(("word", "language"), [("exportaciones", "es"), ("exportações", "pt"), ("exports", "en")])
def test_export_stems_meet_across_languages(word: str, language: str) -> None:
    assert index_text(word, language) == "export"
    for query in ("exportaciones", "exportações", "exports", "exportar"):
        assert "export" in parse_query(query).terms[0].variants


def test_index_text_emits_only_clean_tokens_and_drops_stop_words() -> None:
    text = "Las exportaciones de T-shirts a Japón (2023): ¡récord! l'eau Øresund 東京"
    out = index_text(text, "es")
    assert CLEAN_TOKENS.fullmatch(out)
    assert "las" not in out.split() and "de" not in out.split()
    assert {"t", "shirts", "2023", "eau"} <= set(out.split())


def test_other_language_is_not_stemmed() -> None:
    assert index_text("Exportaciones cafés", "other") == "exportaciones cafes"


def test_stop_words_dropped_unless_nothing_remains() -> None:
    assert parse_query("café de Colombia para Japón").words == ["cafe", "colombia", "japon"]
    assert parse_query("de la").words == ["de", "la"]
    assert parse_query("   ").is_empty and parse_query("").fts5("and") is None
    assert parse_query("!!! ???").is_empty


def test_terms_are_capped_and_deduplicated() -> None:
    query = parse_query(" ".join(f"word{i}" for i in range(40)) + " word1 WORD1")
    assert len(query.terms) == MAX_TERMS
    assert len(set(query.words)) == len(query.words)


def test_fts5_expression_shape() -> None:
    query = parse_query('exportar "café"')
    assert query.fts5("and") == '("export" OR "exportar") AND ("caf" OR "cafe")'
    assert query.fts5("or") == '("export" OR "exportar") OR ("caf" OR "cafe")'


def test_highlight_tokens_cover_variants() -> None:
    assert {"export", "cafe", "caf"} <= highlight_tokens(parse_query("exportar café"))


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', detail=column)")
    rows = [
        ("Exportaciones de café a Japón", "es"),
        ("Exportações de café para o Japão", "pt"),
        ("Coffee exports to Japan", "en"),
        ("Software services for banks", "en"),
    ]
    db.executemany("INSERT INTO t (body) VALUES (?)", [(index_text(text, lang),) for text, lang in rows])
    yield db
    db.close()


def _match(db: sqlite3.Connection, expression: str) -> list[int]:
    return [row[0] for row in db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank", (expression,))]


def test_fts5_finds_all_three_languages(fts: sqlite3.Connection) -> None:
    expression = parse_query("exportaciones").fts5("and")
    assert expression is not None
    assert sorted(_match(fts, expression)) == [1, 2, 3]
    software = parse_query("software para bancos").fts5("or")  # "bancos"/"banks" stems do not meet: OR
    assert software is not None and _match(fts, software) == [4]


NASTY = st.sampled_from(
    ['"', "'", "NEAR", "NEAR(", "AND", "OR", "NOT", "*", "^", "-", "+", "(", ")", ":", "😀", "{", "}"]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=12), NASTY), max_size=12).map(" ".join), st.sampled_from(["and", "or"]))
def test_fts5_expression_never_breaks(fts: sqlite3.Connection, text: str, mode: str) -> None:
    query = parse_query(text)
    expression = query.fts5(mode)  # type: ignore[arg-type]
    if expression is None:
        assert query.is_empty
        return
    _match(fts, expression)  # raises sqlite3.OperationalError on a syntax error
    assert all(re.fullmatch(r"[a-z0-9]+", word) for word in query.words)
    assert all(re.fullmatch(r"[a-z0-9]+", v) for term in query.terms for v in term.variants)


@given(st.text(max_size=200), st.sampled_from(["es", "pt", "en", "other"]))
def test_index_text_is_clean(text: str, language: str) -> None:
    out = index_text(text, language)
    assert out == "" or CLEAN_TOKENS.fullmatch(out)
