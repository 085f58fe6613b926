"""Text analysis shared by indexing and querying the library: fold, split, drop stop words, stem.

Indexing (`index_text`) knows the passage's language and stems each word with the Snowball stemmer of
that language. Querying (`parse_query`) does not know which language the matching passages are in, so
each query word becomes a `Term` whose *variants* are its Spanish, Portuguese and English stems plus
the folded word: "exportaciones" (es), "exportações" (pt) and "exports" (en) all index as "export",
and a query in any of the three finds the passages of the other two.

Stems are taken from the lower-cased word *with* its accents (the Portuguese stemmer needs "ções" to
strip the suffix) and folded afterwards, so the index and the queries hold only [a-z0-9] tokens: what
SQLite's unicode61 tokenizer and PostgreSQL's 'simple' configuration read back unchanged. A word that
does not fold to [a-z0-9] (Cyrillic, CJK...) is kept as its [a-z0-9] pieces, unstemmed, on both sides.

The Snowball stemmers are pure Python (~20 µs a word), so stems are memoised: passages draw their words
from a Zipf-distributed vocabulary and the cache makes indexing and snippets cost a dict look-up a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import snowballstemmer

from ivcs.engines.text import fold

LANGUAGES = ("es", "pt", "en")
MAX_TERMS = 16
MAX_QUERY_CHARS = 1000

_STEMMERS = {"es": "spanish", "pt": "portuguese", "en": "english"}
_WORD = re.compile(r"[^\W_]+")  # hyphens and apostrophes split words, as unicode61 does
_CLEAN = re.compile(r"[a-z0-9]+")

# Small, explicit lists of folded function words; content words that are frequent in trade studies
# ("mercado", "market") stay searchable.
STOP_WORDS: dict[str, frozenset[str]] = {
    "es": frozenset(
        "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella "
        "ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos fue fueron ha han hasta "
        "hay la las le les lo los mas me mi mis mucho muy ni no nos nuestra nuestro o otra otro otros para pero "
        "poco por porque que quien se sea segun ser si sin sobre son su sus tambien tiene tienen todo todos tu "
        "un una uno unos unas y ya".split()
    ),
    "pt": frozenset(
        "a ao aos as ate com como da das de dela dele do dos e ela ele eles em entre era essa esse esta este "
        "eu foi foram ha isso isto ja mais mas me muito na nao nas no nos nossa nosso num numa o os ou para "
        "pela pelas pelo pelos por qual quando que quem se sem ser seu seus sua suas tambem tem um uma umas "
        "uns".split()
    ),
    "en": frozenset(
        "a about all an and any are as at be been but by can could did do does for from had has have he her "
        "his how i if in into is it its more most no not of on or our she so such than that the their them "
        "then there these they this those to was we were what when where which while who will with would you "
        "your".split()
    ),
}
ALL_STOP_WORDS = STOP_WORDS["es"] | STOP_WORDS["pt"] | STOP_WORDS["en"]


@lru_cache(maxsize=1 << 18)
def _stem(language: str, word: str) -> str:
    """The folded stem of a lower-cased word in `language`; the folded word when it has no clean stem."""
    folded = fold(word)
    stemmer = _STEMMERS.get(language)
    if stemmer is None:
        return folded
    stem = fold(snowballstemmer.stemmer(stemmer).stemWord(word))
    return stem if _CLEAN.fullmatch(stem) else folded


def _analyse_word(language: str, word: str) -> str:
    """Index tokens of one lower-cased word, space-separated: its stem, or its [a-z0-9] pieces when it
    does not fold clean; "" for a stop word."""
    folded = fold(word)
    if _CLEAN.fullmatch(folded):
        if folded in STOP_WORDS.get(language, ()):
            return ""
        return _stem(language, word)
    return " ".join(_CLEAN.findall(folded))


class _WordCache(dict[str, str]):
    """word -> index tokens for one language; a plain dict so that a hit costs no Python call
    (`map(cache.__getitem__, words)`), emptied when it grows past CACHE_WORDS."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def __missing__(self, word: str) -> str:
        if len(self) >= CACHE_WORDS:
            self.clear()
        value = self[word] = _analyse_word(self.language, word)
        return value


CACHE_WORDS = 500_000
_CACHES: dict[str, _WordCache] = {}


def index_text(text: str, language: str) -> str:
    """What goes into the full-text column for a passage in `language` (es/pt/en; anything else: no
    stemming, no stop words): its stems, [a-z0-9] only, separated by spaces."""
    cache = _CACHES.get(language)
    if cache is None:
        cache = _CACHES.setdefault(language, _WordCache(language))
    return " ".join(filter(None, map(cache.__getitem__, _WORD.findall(text.casefold()))))


def _word_tokens(language: str, word: str) -> frozenset[str]:
    """A lower-cased word's index tokens in `language` plus its folded pieces (stop words included)."""
    tokens = set(_CLEAN.findall(fold(word)))
    if len(tokens) == 1:
        tokens.add(_stem(language, word))
    return frozenset(tokens)


_TOKEN_CACHES: dict[str, dict[str, frozenset[str]]] = {}


def analyse_words(text: str, language: str) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, tokens) for each word of `text` as written: the snippet builder's view of a passage.
    The tokens are the word's index tokens in `language` plus its folded pieces (stop words included),
    so that a query's variants can be compared with them."""
    cache = _TOKEN_CACHES.setdefault(language, {})
    if len(cache) > CACHE_WORDS:
        cache.clear()
    out = []
    for match in _WORD.finditer(text):
        word = match.group().casefold()
        tokens = cache.get(word)
        if tokens is None:
            tokens = cache[word] = _word_tokens(language, word)
        out.append((match.start(), match.end(), tokens))
    return out


@dataclass(frozen=True)
class Term:
    """One query word: `word` folded, `variants` the forms that may be in the index for it."""

    word: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    terms: list[Term] = field(default_factory=list)
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def words(self) -> list[str]:
        """The folded words ([a-z0-9] only), e.g. for PostgreSQL's to_tsquery."""
        return [term.word for term in self.terms]

    def fts5(self, mode: Literal["and", "or"] = "and") -> str | None:
        """A MATCH expression for SQLite FTS5: every variant is a quoted [a-z0-9] string, so nothing the
        user typed (quotes, NEAR, AND/OR/NOT, *, ^, -, emoji) can reach the FTS5 grammar."""
        if not self.terms:
            return None
        glue = " AND " if mode == "and" else " OR "
        return glue.join("(" + " OR ".join(f'"{variant}"' for variant in term.variants) + ")" for term in self.terms)


def _variants(word: str) -> tuple[str, ...]:
    """The es/pt/en stems of a lower-cased clean word (as typed and folded) and the folded word."""
    folded = fold(word)
    out = dict.fromkeys(_stem(language, form) for language in LANGUAGES for form in (word, folded))
    out[folded] = None
    return tuple(out)


def parse_query(q: str) -> Query:
    """Terms of a user query; stop words of es/pt/en dropped unless only stop words were typed."""
    candidates: list[tuple[Term, bool]] = []
    seen: set[str] = set()
    for word in _WORD.findall(q[:MAX_QUERY_CHARS].casefold()):
        folded = fold(word)
        if _CLEAN.fullmatch(folded):
            pieces = [(folded, _variants(word))]
        else:
            pieces = [(piece, (piece,)) for piece in _CLEAN.findall(folded)]
        for folded_piece, variants in pieces:
            if folded_piece in seen:
                continue
            seen.add(folded_piece)
            candidates.append((Term(folded_piece, variants), folded_piece in ALL_STOP_WORDS))
    content = [term for term, stop in candidates if not stop]
    terms = content if content else [term for term, _ in candidates]
    return Query(terms=terms[:MAX_TERMS], text=q[:MAX_QUERY_CHARS])


def highlight_tokens(query: Query) -> frozenset[str]:
    """Every token that marks a passage word as a match of `query` (see `analyse_words`)."""
    return frozenset(variant for term in query.terms for variant in term.variants)
