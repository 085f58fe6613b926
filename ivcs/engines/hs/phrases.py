"""Whole trade names found in a query, and the word that names the product.

BM25F (lexical.py) credits every query word found in a trade name, whatever the trade name is about:
"cortinas" meets "rieles para cortinas" (curtain rails, 83.02) as well as "cortinas" (63.03), and
"bicycles" meets "bicycle saddles". Two general facts of product names fix that:

* **A trade name is evidence only when the query says all of it.** `PhraseIndex.find` returns the trade
  names whose every content word the query contains (by any of its stems or its typo repair), and
  drops a match whose query words are a strict subset of another match's ("aceite de palta" beats
  "palta"; "rieles para cortinas" does not match "cortinas" at all). Each match carries the share of
  the query's word weight it explains.
* **The head word names the product; the others qualify it.** In Spanish and Portuguese the head is
  the first content word ("vinagre de manzana", "sacos de papel kraft"); in English it is the last
  content word before a preposition ("olive oil soap", "seeds for sowing"). `head_of` finds it in a
  trade name (its other words count less in the lexical index: search.TRADE_MODIFIER_WEIGHT) and in a
  short query (a trade name that leaves the query's head out is worth less: search.PHRASE_HEADLESS).
  English SME sentences ("we are a small bakery in Oregon making bread") have no reliable head, so
  the query rule applies to English queries of at most HEAD_MAX_WORDS content words.
* **"Sin", "sem", "without" negate the next word**, while "con", "com", "with" are stopwords: a query
  word after a negation only matches a trade name that has a negation too, so "castanha-do-pará sem
  casca" does not take "castanha-do-pará com casca" for itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ivcs.engines.hs import analysis

NEGATIONS = frozenset({"sin", "sem", "without"})  # kept as words by analysis; they negate the next word
HEAD_MAX_WORDS = 5  # English queries with more content words than this (sentences) get no head
_EN_BREAK = re.compile(r"\b(?:for|of|with|without|from|in|made|to|on|by|at|used|using|containing)\b", re.IGNORECASE)


def _content(tokens: Sequence[analysis.Token]) -> list[analysis.Token]:
    return [t for t in tokens if not t.part]


def head_of(text: str, lang: str | None, tokens: Sequence[analysis.Token] | None = None) -> int | None:
    """Index (in `_content(tokens)`) of the word that names the product in `text`, or None.

    `lang`: es/pt (first content word that is not a weak qualifier) or en (last such word before the
    first preposition). `tokens` defaults to analysis.tokens(text, lang)."""
    words = _content(tokens if tokens is not None else analysis.tokens(text, lang))
    heavy = [i for i, t in enumerate(words) if t.weight >= 1.0]
    if not heavy:
        return None
    if lang in ("es", "pt"):
        return heavy[0]
    if lang != "en" or len(heavy) > HEAD_MAX_WORDS:
        return None
    cut = _EN_BREAK.search(text)
    chunk = analysis.tokens(text[: cut.start()] if cut else text, lang)
    chunk_words = [t.folded for t in _content(chunk) if t.weight >= 1.0]
    if not chunk_words:
        return heavy[-1]
    last = chunk_words[-1]
    for i in heavy:
        if words[i].folded == last:
            return i
    return heavy[-1]


def term_keys(text: str, lang: str) -> list[str]:
    """One index key per content word of a trade name: its stem in `lang` (a compound: its folded form)."""
    return [t.folded if t.compound else analysis.stem(t.folded, lang) for t in _content(analysis.tokens(text, lang))]


@dataclass(frozen=True)
class Phrase:
    keys: tuple[str, ...]
    codes: tuple[str, ...]

    @property
    def negated(self) -> bool:
        return any(key in NEGATIONS for key in self.keys)


def negated_words(words: Sequence[analysis.Token]) -> frozenset[int]:
    """Indexes of the content words that follow a negation ("sem casca": casca)."""
    return frozenset(i + 1 for i, t in enumerate(words[:-1]) if t.folded in NEGATIONS)


@dataclass(frozen=True)
class PhraseMatch:
    phrase: Phrase
    words: frozenset[int]  # indexes of the query's content words it covers
    share: float  # share of the query's word weight those words carry
    has_head: bool  # it covers the query's head word (True when the query has none)


class PhraseIndex:
    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases = list(phrases)
        self._by_first: dict[str, list[int]] = {}
        for i, phrase in enumerate(self.phrases):
            self._by_first.setdefault(phrase.keys[0], []).append(i)

    @classmethod
    def build(cls, terms: Sequence[tuple[str, str, Sequence[str]]]) -> PhraseIndex:
        """`terms`: (text, language, codes) per trade name; the same words in one language are merged."""
        merged: dict[tuple[str, ...], list[str]] = {}
        for text, lang, codes in terms:
            keys = tuple(term_keys(text, lang if lang in analysis.LANGS else "en"))
            if keys:
                bucket = merged.setdefault(keys, [])
                bucket.extend(code for code in codes if code not in bucket)
        return cls([Phrase(keys, tuple(codes)) for keys, codes in merged.items()])

    def __len__(self) -> int:
        return len(self.phrases)

    def find(
        self,
        variants: Sequence[frozenset[str]],
        weights: Sequence[float],
        head: int | None,
        negated: frozenset[int] = frozenset(),
    ) -> list[PhraseMatch]:
        """Trade names all of whose words the query has. `variants[i]`: the index terms query word i may
        stand for (its stems, its typo repair); `weights[i]`: its weight; `head`: the head word or None;
        `negated`: words after a negation (negated_words), which only a trade name with a negation takes."""
        total = sum(weights)
        if not variants or total <= 0:
            return []
        where: dict[str, list[int]] = {}
        for i, terms in enumerate(variants):
            for term in terms:
                where.setdefault(term, []).append(i)
        found: dict[frozenset[int], list[Phrase]] = {}
        for first in where:
            for p in self._by_first.get(first, ()):
                phrase = self.phrases[p]
                used: set[int] = set()
                for key in phrase.keys:
                    spots = [i for i in where.get(key, ()) if i not in used]
                    if not spots:
                        break
                    used.add(spots[0])
                else:
                    if phrase.negated or not used & negated:
                        found.setdefault(frozenset(used), []).append(phrase)
        spans = list(found)
        out: list[PhraseMatch] = []
        for span in spans:
            if any(span < other for other in spans):
                continue  # "palta" inside "aceite de palta"
            share = sum(weights[i] for i in span) / total
            for phrase in found[span]:
                out.append(PhraseMatch(phrase, span, share, head is None or head in span))
        return out
