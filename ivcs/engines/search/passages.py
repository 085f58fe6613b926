"""Split a document's pages into passages: the units that are indexed, embedded and shown as snippets.

A passage is about `target_words` words (a paragraph or two): long enough to carry a topic for the
encoder, short enough for a snippet and a precise page reference. Splitting goes paragraph (blank line)
first, then sentence, then -- for a "sentence" longer than `max_words`, as tables and lists extracted
from PDFs often are -- a hard cut every `max_words` words. A passage never spans two pages (the page is
its citation). A short paragraph (a heading) is glued to the next paragraph of its page so that it is
searched with the text it introduces. Whitespace is normalised; every word of the input appears in
exactly one passage, in order, unless the document runs past `max_passages`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

HEADING_WORDS = 8  # a paragraph this short is a heading: it joins the next one
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE = re.compile(r"(?<=[.!?…;])\s+")


class PassageText(NamedTuple):
    ordinal: int
    page: int
    text: str


class _Piece(NamedTuple):
    text: str
    words: int
    starts_paragraph: bool


def _paragraphs(text: str) -> list[list[str]]:
    """Paragraphs as lists of lines (whitespace inside a line normalised), headings merged forward."""
    raw = []
    for block in _PARAGRAPH.split(text):
        lines = [" ".join(line.split()) for line in block.splitlines()]
        lines = [line for line in lines if line]
        if lines:
            raw.append(lines)
    merged: list[list[str]] = []
    pending: list[str] = []
    for lines in raw:
        if sum(len(line.split()) for line in lines) <= HEADING_WORDS:
            pending.extend(lines)
            continue
        merged.append(pending + lines)
        pending = []
    if pending:  # a heading at the end of the page: nothing follows it on this page
        if merged:
            merged[-1].extend(pending)
        else:
            merged.append(pending)
    return merged


def _pieces(lines: list[str], max_words: int) -> Iterator[_Piece]:
    """A paragraph as pieces of at most max_words words: whole, else sentences, else hard cuts."""
    text = " ".join(lines)
    words = len(text.split())
    if words <= max_words:
        yield _Piece("\n".join(lines), words, True)
        return
    first = True
    for sentence in _SENTENCE.split(text):
        tokens = sentence.split()
        for start in range(0, len(tokens), max_words):
            chunk = tokens[start : start + max_words]
            if chunk:
                yield _Piece(" ".join(chunk), len(chunk), first)
                first = False


def split(
    pages: Sequence[tuple[int, str]], target_words: int = 120, max_words: int = 200, max_passages: int = 5000
) -> list[PassageText]:
    """Passages of (page number, page text) pairs, in order; ordinals 0..n-1."""
    out: list[PassageText] = []

    def emit(page: int, parts: list[_Piece]) -> None:
        text = ""
        for part in parts:
            text += ("\n\n" if part.starts_paragraph else " ") + part.text if text else part.text
        out.append(PassageText(len(out), page, text))

    for page, text in pages:
        current: list[_Piece] = []
        count = 0
        for lines in _paragraphs(text):
            for piece in _pieces(lines, max_words):
                if current and (
                    count + piece.words > max_words
                    or count >= target_words
                    or (piece.starts_paragraph and count + piece.words > target_words)
                ):
                    emit(page, current)
                    current, count = [], 0
                    if len(out) >= max_passages:
                        return out
                current.append(piece)
                count += piece.words
        if current:
            emit(page, current)
            if len(out) >= max_passages:
                return out
    return out
