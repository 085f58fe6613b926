"""Snippets: the part of a passage that shows why it matched, with the matching words marked.

Words are compared as the index compares them: each passage word is stemmed in the passage's language
and folded, and matches when that stem (or the folded word) is one of the query terms' variants, so
"exportações" in a Portuguese passage is marked for the query "exports". The fragments keep the text as
written (accents, case, punctuation); runs of whitespace become one space.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import numpy as np

from ivcs.engines.search.analysis import Query, analyse_words, highlight_tokens

ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    fragments: list[tuple[str, bool]]  # (text as written, is a match)
    matched: list[str] = field(default_factory=list)  # distinct matched words as written, in order

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.fragments)

    def html(self) -> str:
        """HTML-escaped text with the matches in <mark>...</mark>."""
        return "".join(f"<mark>{html.escape(t)}</mark>" if hit else html.escape(t) for t, hit in self.fragments)


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text)


def snippet(text: str, language: str, query: Query, max_words: int = 40) -> Snippet:
    """The `max_words`-word window of `text` holding the most query matches, centred on them; the first
    `max_words` words, unmarked, when nothing matches (a semantic-only hit)."""
    words = analyse_words(text, language)
    if not words:
        return Snippet([(_squash(text).strip(), False)] if text.strip() else [])
    tokens = highlight_tokens(query)
    is_match = np.fromiter((bool(w[2] & tokens) for w in words), dtype=np.bool_, count=len(words))
    n, size = len(words), max(1, max_words)
    start = 0
    if is_match.any() and n > size:
        sums = np.concatenate([[0], np.cumsum(is_match)])
        window = sums[size:] - sums[:-size]  # matches in the window starting at each word
        first_best = int(np.argmax(window))
        inside = np.flatnonzero(is_match[first_best : first_best + size]) + first_best
        centre = (int(inside[0]) + int(inside[-1])) // 2
        start = min(max(0, centre - size // 2), n - size)
        # centring may not lose matches of the best window; fall back to it if it does
        if sums[start + size] - sums[start] < window[first_best]:
            start = first_best
    end = min(n, start + size)

    fragments: list[tuple[str, bool]] = []
    if start > 0:
        fragments.append((ELLIPSIS, False))
    plain = ""
    matched: dict[str, None] = {}
    for i in range(start, end):
        w_start, w_end, _ = words[i]
        if i > start:
            plain += _squash(text[words[i - 1][1] : w_start])
        word = text[w_start:w_end]
        if is_match[i]:
            if plain:
                fragments.append((plain, False))
                plain = ""
            fragments.append((word, True))
            matched.setdefault(word, None)
        else:
            plain += word
    if end < n:
        plain += ELLIPSIS
    if plain:
        fragments.append((plain, False))
    return Snippet(fragments, list(matched))
