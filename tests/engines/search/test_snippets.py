"""Snippets: the right words marked in the passage's language, original characters kept, HTML escaped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ivcs.engines.search.analysis import parse_query
from ivcs.engines.search.snippets import snippet

FILLER = " ".join(f"palavra{i}" for i in range(80))


def test_marks_stems_in_the_passage_language_and_keeps_accents() -> None:
    text = f"{FILLER}. As EXPORTAÇÕES de café para o Japão cresceram em 2023. {FILLER}"
    result = snippet(text, "pt", parse_query("exports of coffee and café"), max_words=12)
    assert result.matched == ["EXPORTAÇÕES", "café"]
    assert [t for t, hit in result.fragments if hit] == ["EXPORTAÇÕES", "café"]
    assert result.text.startswith("…") and result.text.endswith("…")
    assert "Japão" in result.text
    assert len(result.text.replace("…", " ").split()) <= 12


def test_nothing_matches_gives_the_start_unmarked() -> None:
    result = snippet(FILLER, "pt", parse_query("zzz"), max_words=5)
    assert result.fragments == [("palavra0 palavra1 palavra2 palavra3 palavra4…", False)]
    assert result.matched == []


def test_window_goes_where_most_terms_are() -> None:
    text = "café " + FILLER + " café exportación café exportaciones " + FILLER
    result = snippet(text, "es", parse_query("exportar café"), max_words=10)
    assert len(result.matched) >= 3 or result.matched.count("café") == 1
    assert sum(hit for _, hit in result.fragments) == 4


def test_html_escapes_and_marks() -> None:
    result = snippet('<script>alert("x")</script> & café', "es", parse_query("cafe script"), max_words=20)
    html = result.html()
    assert "<script>" not in html and "&lt;" in html and "&amp;" in html
    assert "<mark>café</mark>" in html and "<mark>script</mark>" in html


def test_whitespace_is_squashed_punctuation_kept() -> None:
    result = snippet("Café:\n\n  origen   Colombia.", "es", parse_query("colombia"))
    assert result.text == "Café: origen Colombia"
    assert result.fragments[-1] == ("Colombia", True)


@given(st.text(max_size=300), st.text(max_size=30), st.integers(1, 50))
def test_fragments_are_pieces_of_the_text(text: str, q: str, max_words: int) -> None:
    result = snippet(text, "es", parse_query(q), max_words=max_words)
    squashed = " ".join(text.split())
    for fragment, hit in result.fragments:
        piece = fragment.strip("…")
        if hit:
            assert piece in text
        else:
            assert " ".join(piece.split()) in squashed
