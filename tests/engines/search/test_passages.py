"""Passage splitting: every word once and in order, never across pages, bounded sizes, headings kept
with their paragraph."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ivcs.engines.search.passages import split

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúçñ.!?;,", min_size=1, max_size=10)
SEP = st.sampled_from([" ", " ", " ", "\n", "\n\n", "\n \n\n", "\t", ". "])
PAGE_TEXT = st.lists(st.tuples(WORD, SEP), max_size=400).map(lambda pairs: "".join(w + s for w, s in pairs))
PAGES = st.lists(st.tuples(st.integers(1, 5), PAGE_TEXT), max_size=6).map(
    lambda pages: sorted(pages, key=lambda page: page[0])
)


@given(PAGES, st.integers(5, 150), st.integers(0, 100))
def test_every_word_once_in_order(pages: list[tuple[int, str]], target: int, extra: int) -> None:
    max_words = target + extra
    passages = split(pages, target_words=target, max_words=max_words)
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    assert [w for p in passages for w in p.text.split()] == [w for _, text in pages for w in text.split()]
    assert all(p.text.strip() for p in passages)
    assert [p.page for p in passages] == sorted(p.page for p in passages)
    assert all(len(p.text.split()) <= max_words for p in passages)
    for page, _text in pages:  # never across pages: each page's words are exactly its passages' words
        own = [w for p in passages if p.page == page for w in p.text.split()]
        assert own == [w for number, t in pages if number == page for w in t.split()]


@given(PAGES)
def test_max_passages_truncates(pages: list[tuple[int, str]]) -> None:
    passages = split(pages, target_words=5, max_words=10, max_passages=3)
    assert len(passages) <= 3
    full = split(pages, target_words=5, max_words=10)
    assert passages == full[: len(passages)]


def test_heading_joins_next_paragraph_and_long_sentence_is_cut() -> None:
    body = " ".join(f"word{i}" for i in range(50)) + "."
    passages = split([(3, f"Market overview\n\n{body}\n\n" + "x " * 450)], target_words=120, max_words=200)
    assert passages[0].text.startswith("Market overview\nword0")
    assert [len(p.text.split()) for p in passages] == [52, 200, 200, 50]
    assert {p.page for p in passages} == {3}


def test_sentences_split_long_paragraphs() -> None:
    sentences = [" ".join(f"s{j}w{i}" for i in range(30)) + "." for j in range(10)]
    passages = split([(1, " ".join(sentences))], target_words=100, max_words=150)
    assert all(p.text.endswith(".") for p in passages)
    assert [len(p.text.split()) for p in passages] == [120, 120, 60]


def test_empty_pages_give_nothing() -> None:
    assert split([(1, ""), (2, "  \n\n ")]) == []
