"""Rank HS 2022 subheadings for what an SME says it makes, in Spanish, Portuguese or English.

Pipeline of one query (the modules are listed in `ivcs/engines/hs/__init__.py`):

1. **Clean**: HTML tags and control characters out, at most MAX_QUERY_CHARS characters (hint
   "too_long_truncated"); an empty or wordless query gives no results and the hint "empty_query".
2. **Codes**: a query that is an HS code ("0901.21", "6109", "09", also "NCM 0901.21.00", "HS 6109")
   returns that entry and its children with confidence 1.0; an unknown code falls back to its
   nearest existing parent (hint "code_not_found").
3. **Products**: a sentence naming several products ("café y cacao", "jeans and t-shirts") is split
   on commas and conjunctions; when the parts rank different headings and the whole sentence does
   not explain them all, the parts' results are interleaved (`search_many` gives them apart). A part
   whose best result matched only proper names and weak words ("somos un taller en Gamarra", "Lima") is
   not a product.
4. **Lexical** (lexical.py): BM25F over HS6 documents made of the subheading descriptions (en/es/pt),
   heading and chapter descriptions, search words and trade names (FIELD_WEIGHTS). A subheading with
   no Spanish text of its own carries its heading's Spanish text ("heading_es_fallback"). Query tokens
   go through analysis.py (stopwords, fluff, stems in three languages, typo repair). In Spanish and
   Portuguese the first content word names the product ("salchichas de pavo", "vinagre de maçã") and
   counts HEAD_WEIGHT times; the query's language is `language_of` (function words, else the words of
   the nomenclature and trade names the query uses, so "rice cookers" is English). Words written as
   proper names inside a sentence (analysis.proper_names: "Areia", "Chapecó") count as weak words and
   are never typo-repaired. A trade name's words other than its head count TRADE_MODIFIER_WEIGHT.
5. **Semantic** (semantic.py): multilingual USE v3 cosine between the query and each subheading's
   texts and trade names (vectors projected onto their 192 principal directions); a heading's own
   texts count for its subheadings at HEADING_SEMANTIC_SHARE.
6. **Fusion**: a weighted blend of the normalised lexical score (share of the best possible score
   the query could get) and the rescaled cosine, plus heading-level ranking: a second BM25F index
   has one document per HS4 heading (its texts, its chapter's, its subheadings' at a low weight, and
   the trade names mapped to it or its subheadings; HEADING_FIELD_WEIGHTS); its score, blended with
   the heading's cosine, is added to each subheading at HEADING_WEIGHT, so a query that names a
   heading but no subheading still lifts the whole heading. Heading texts are no longer copied into
   every subheading document. Query words also match the nomenclature's wording for everyday words
   (analysis.CONCEPTS: "canned" -> preserved, "shoes" -> footwear, ...).
   **Whole trade names** (phrases.py): a trade name all of whose words the query says adds
   PHRASE_WEIGHT x the share of the query it explains to its codes (halved when it leaves out the
   query's head word), so "cortinas" finds curtains and not "rieles para cortinas", and "aceite de
   palta" beats "palta".
   Results then show one subheading per heading first (MAX_PER_HEADING), then the held-back
   siblings, with scores capped so the list stays sorted.
7. **Confidence**: a logistic function of the fused score, its gap to the best result and the share
   of the query explained, fitted by calibration.py on queries generated from the nomenclature and
   half of the trade names, the index holding the other half (never on an evaluation set). Results
   are sorted by it.
"""

from __future__ import annotations

import gc
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ivcs.engines.hs import analysis, phrases
from ivcs.engines.hs.lexical import LexicalBuilder, LexicalIndex
from ivcs.engines.hs.nomenclature import DEFAULT_DATA_DIR, HsEntry, Nomenclature, default_nomenclature
from ivcs.engines.hs.phrases import PhraseIndex, head_of
from ivcs.engines.hs.semantic import SemanticIndex, embed
from ivcs.engines.hs.trade_names import TradeName, load_trade_names
from ivcs.engines.text import LANGUAGES, detect_language, fold

MAX_QUERY_CHARS = 500
DEFAULT_CACHE_DIR = DEFAULT_DATA_DIR.parents[1] / "var" / "cache" / "hs"

FIELD_WEIGHTS = {
    "description": 1.0,  # the subheading's own text, per language
    "search_en": 0.5,  # Comex Stat English label
    "search_pt": 0.3,  # NCM path (heading > subheading > ...)
    "search_es": 0.3,  # Mexican tariff-line texts
    "heading": 0.0,  # heading texts live in the heading index (HEADING_FIELD_WEIGHTS), not in HS6 docs
    "chapter": 0.15,
    # A subheading with no Spanish text of its own (30% of them: Comex Stat has no label) takes its
    # heading's Spanish text at this weight, so a Spanish query meets it as it meets its siblings; its
    # English text (any query language is stemmed in all three) and the semantic side do the rest.
    "heading_es_fallback": 0.5,
    "trade_name": 3.0,  # trade name mapped to this HS6 (first code of its row)
    "trade_name_other": 2.0,  # further HS6 codes of the same row
    "trade_name_heading": 1.5,  # trade name mapped to the HS4 of this HS6
}
# The heading index: one BM25F document per HS4 heading, scored at query time and added to each of its
# subheadings at HEADING_WEIGHT (see `_score`). Its fields:
HEADING_FIELD_WEIGHTS = {
    "description": 1.0,  # the heading's own text, per language
    "chapter": 0.2,
    "subheading": 0.25,  # the texts of its subheadings (a heading "contains" what they name)
    "trade_name": 3.0,  # trade name mapped to this HS4
    "trade_name_child": 2.0,  # trade name mapped to one of its HS6
}
HEADING_WEIGHT = 0.3
# Whole trade names (phrases.py): a trade name all of whose words the query says adds PHRASE_WEIGHT x the
# share of the query it explains to its codes (the first HS6 fully, further HS6 codes PHRASE_OTHER, the
# subheadings of an HS4 code PHRASE_HEADING); one that leaves out the query's head word counts
# PHRASE_HEADLESS of that. In the lexical index a trade name's words other than its head count
# TRADE_MODIFIER_WEIGHT ("rieles para cortinas" is about rails).
PHRASE_WEIGHT = 0.8
PHRASE_OTHER = 0.85
PHRASE_HEADING = 0.8
PHRASE_HEADLESS = 0.5
TRADE_MODIFIER_WEIGHT = 0.4
MAX_PER_HEADING = 1  # results: a subheading per heading first (best headings), then the held-back siblings
TYPO_WEIGHT = 0.6  # a repaired token counts at this share
BIGRAM_WEIGHT = 0.5  # two neighbouring query words found next to each other in a text
# Marked subheadings: a subheading whose own text says one of these (decaffeinated, used, waste, for
# sowing, ...) is a special case of its heading; when the query does not say it, the unmarked sibling is
# the better guess, so each such mark costs MARK_PENALTY. Folded word prefixes, any language.
MARKS: tuple[tuple[str, ...], ...] = (
    ("descafein", "decaffein"),
    ("usad", "used", "worn"),  # also "of a kind used on bicycles": parts and accessories of what the query names
    ("recauchut", "retread", "recapad", "reformad"),
    ("desperdici", "waste", "scrap", "desech", "residu", "sucata", "aparas"),
    ("siembra", "sowing", "semeadura"),
    ("reproduc", "reprodut", "breeding", "pure-bred"),
)
MARK_PENALTY = 0.1
LEXICAL_SHARE = 0.55  # fusion: share of the lexical score; the rest is semantic
SEMANTIC_FLOOR, SEMANTIC_CEILING = 0.3, 0.75  # cosines mapped linearly onto 0..1
HEADING_SEMANTIC_SHARE = 0.9
HEADING_BONUS = 0.0  # best-sibling lift; the heading index (HEADING_WEIGHT) does this job now
# Head word: in Spanish and Portuguese the first content word of a phrase names the product and what
# follows qualifies it ("salchichas de pavo", "panelas elétricas de arroz"); it counts HEAD_WEIGHT
# times. English puts the head last, but weighting it ("coffee beans", "gold bars") cost more than it
# won on the development sets, so English has no head rule.
HEAD_WEIGHT = 1.25
HEAD_FIRST_LANGUAGES = frozenset({"es", "pt"})
LANGUAGE_WORD_RATIO = 4  # see HsSearchIndex.language_of
MIN_COSINE_ALONE = 0.55  # with no lexical match, the best cosine must reach this to show anything
# Confidence = sigmoid(a*score + b*(score - best) + c*coverage + d); see calibration.py.
CONFIDENCE = (3.604, 6.066, 1.624, -3.686)

_TAGS = re.compile(r"<[^>]{0,200}>")
_CODE_QUERY = re.compile(
    r"^\s*(?:(?:hs|sa|sh|ncm|nandina|naladisa|tigie|c[oó]digo|code|partida|posici[oó]n|subpartida)\s*[:#]?\s*)?"
    r"(\d{2}(?:[.\s]?\d{2}){0,4})\s*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[,;\n/+&|]|\s(?:y|e|and|o|ou|or|además|also)\s", re.IGNORECASE)


@dataclass(frozen=True)
class HsMatch:
    code: str
    level: int
    description: str
    description_language: str
    score: float  # calibrated confidence 0..1
    heading: tuple[str, str] | None  # (code, description) of the HS4 above, None for chapters/headings
    chapter: tuple[str, str] | None  # (code, description) of the HS2 above, None for chapters
    matched: tuple[str, ...]  # query words (as typed) found in this code's texts


@dataclass(frozen=True)
class HsSearchResult:
    query: str
    language: str
    results: tuple[HsMatch, ...]
    hint: str | None  # empty_query, no_match, too_long_truncated, code_not_found, several_products


@dataclass
class _Scored:
    scores: npt.NDArray[np.float64]  # fused score per HS6 doc, 0..1
    coverage: npt.NDArray[np.float64]  # share of the query's lexical weight matched, per doc
    matched: list[tuple[str, npt.NDArray[np.bool_]]]  # (surface, per-doc matched flags)
    anything: bool


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, x))))


def confidence(score: float, best: float, coverage: float) -> float:
    a, b, c, d = CONFIDENCE
    return _sigmoid(a * score + b * (score - best) + c * coverage + d)


_VOWELS = re.compile(r"[aeiouy]")
_CONSONANT_RUN = re.compile(r"[^aeiouy\W\d_]{5,}|(.)\1\1")


def _wordlike(folded: str) -> bool:
    """False for keyboard mash ("qwzxv", "asdfgh", "zzzz"): no vowel, 5 consonants in a row, or a triple."""
    return bool(_VOWELS.search(folded)) and not _CONSONANT_RUN.search(folded)


def _release_memory() -> None:
    """Hand the build's freed temporaries back to the OS (glibc keeps them otherwise); best effort."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return


def _has_mark(text: str, prefixes: tuple[str, ...]) -> bool:
    return any(word.startswith(prefixes) for word in fold(text).replace("-", " ").split())


def _telling_words(counts: Mapping[str, Counter[str]]) -> dict[str, frozenset[str]]:
    """Per language, the words that tell it: its texts use them LANGUAGE_WORD_RATIO times as often as
    the other languages' texts together ("bars" also turns up in Spanish and Portuguese texts)."""
    out: dict[str, frozenset[str]] = {}
    for one, mine in counts.items():
        others = [theirs for other, theirs in counts.items() if other != one]
        out[one] = frozenset(
            word for word, n in mine.items() if n >= LANGUAGE_WORD_RATIO * sum(theirs[word] for theirs in others)
        )
    return out


def clean_query(text: str) -> tuple[str, str | None]:
    """(cleaned text, hint): tags and control characters removed, whitespace squeezed, length capped."""
    text = _TAGS.sub(" ", text or "")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        return (cut.rsplit(" ", 1)[0] if " " in cut else cut), "too_long_truncated"
    return text, None


def segments(text: str) -> list[str]:
    """The parts of a sentence that may each name a product: split on commas and conjunctions."""
    parts = [part.strip() for part in _SPLIT.split(text)]
    return [part for part in parts if analysis.tokens(part)]


class HsSearchIndex:
    def __init__(
        self,
        nomenclature: Nomenclature,
        codes: list[str],
        lexical: LexicalIndex,
        vocabulary: analysis.Vocabulary,
        semantic: SemanticIndex | None,
        heading_units: Sequence[str] = (),
        heading_lexical: LexicalIndex | None = None,
        language_words: Mapping[str, frozenset[str]] | None = None,
        phrases: PhraseIndex | None = None,
    ) -> None:
        self.nomenclature = nomenclature
        self.phrases = phrases or PhraseIndex([])
        # Folded words of the nomenclature and trade names per language, for `language_of`.
        self.language_words: Mapping[str, frozenset[str]] = language_words or {}
        self.codes = codes  # HS6 codes, sorted; doc i of the indexes
        self.lexical = lexical
        self.vocabulary = vocabulary
        self.semantic = semantic
        self.headings = sorted({nomenclature.entries[c].parent or "" for c in codes})
        self.heading_lexical = heading_lexical  # one document per code in self.headings
        heading_index = {h: i for i, h in enumerate(self.headings)}
        self._parent = np.asarray([heading_index[nomenclature.entries[c].parent or ""] for c in codes], dtype=np.intp)
        self._heading_starts = np.concatenate([[0], np.flatnonzero(np.diff(self._parent)) + 1]).astype(np.intp)
        self._marks = np.asarray(
            [[_has_mark(" ".join(nomenclature.entries[c].descriptions.values()), m) for m in MARKS] for c in codes],
            dtype=np.float64,
        ).reshape(len(codes), len(MARKS))
        # Semantic units after the HS6 ones are the headings `heading_units`; map each HS6 to its own.
        unit = {code: i for i, code in enumerate(heading_units)}
        self._parent_unit = np.asarray(
            [unit.get(nomenclature.entries[c].parent or "", -1) for c in codes], dtype=np.intp
        )
        self._heading_unit = np.asarray([unit.get(h, -1) for h in self.headings], dtype=np.intp)
        self._position = {code: i for i, code in enumerate(codes)}

    # ------------------------------------------------------------------ build
    @classmethod
    def build(
        cls,
        nomenclature: Nomenclature,
        trade_names: Sequence[TradeName] = (),
        *,
        semantic: bool = True,
        cache_dir: Path | None = None,
    ) -> HsSearchIndex:
        entries = nomenclature.entries
        codes = sorted(code for code, entry in entries.items() if entry.level == 6)
        position = {code: i for i, code in enumerate(codes)}
        builder = LexicalBuilder()
        for _ in codes:
            builder.add_document()
        texts_for_vocab: list[str] = []
        words_by_language: dict[str, Counter[str]] = {one: Counter() for one in LANGUAGES}

        def add(i: int, text: str, lang: str, weight: float) -> None:
            langs = (lang,) if lang in LANGUAGES else LANGUAGES
            for one in langs:
                builder.add(i, analysis.doc_terms(text, one), weight / len(langs))
            texts_for_vocab.append(text)
            if lang in words_by_language:
                words_by_language[lang].update({token.folded for token in analysis.tokens(text, lang)})

        headings = sorted({entries[c].parent or "" for c in codes})
        heading_of = {h: i for i, h in enumerate(headings)}
        heading_builder = LexicalBuilder()
        for _ in headings:
            heading_builder.add_document()

        def add_heading(h: int, text: str, lang: str, weight: float) -> None:
            langs = (lang,) if lang in LANGUAGES else LANGUAGES
            for one in langs:
                heading_builder.add(h, analysis.doc_terms(text, one), weight / len(langs))
            if lang in words_by_language:
                words_by_language[lang].update({token.folded for token in analysis.tokens(text, lang)})

        for h, code in enumerate(headings):
            if code in entries:
                for lang, text in entries[code].descriptions.items():
                    add_heading(h, text, lang, HEADING_FIELD_WEIGHTS["description"])
                if code[:2] in entries:
                    for lang, text in entries[code[:2]].descriptions.items():
                        add_heading(h, text, lang, HEADING_FIELD_WEIGHTS["chapter"])
        for code in codes:
            for lang, text in entries[code].descriptions.items():
                add_heading(heading_of[entries[code].parent or ""], text, lang, HEADING_FIELD_WEIGHTS["subheading"])

        heading_cache: dict[str, list[tuple[str, str]]] = {}
        for i, code in enumerate(codes):
            entry = entries[code]
            for lang, text in entry.descriptions.items():
                add(i, text, lang, FIELD_WEIGHTS["description"])
            for lang, text in entry.search_text.items():
                add(i, text, lang, FIELD_WEIGHTS.get(f"search_{lang}", 0.3))
            parent_entry = entries.get(entry.parent or "")
            if "es" not in entry.descriptions and parent_entry is not None and "es" in parent_entry.descriptions:
                add(i, parent_entry.descriptions["es"], "es", FIELD_WEIGHTS["heading_es_fallback"])
            for above, field in ((entry.parent, "heading"), (code[:2], "chapter")):
                if above and above in entries:
                    if above not in heading_cache:
                        heading_cache[above] = list(entries[above].descriptions.items())
                    if FIELD_WEIGHTS[field] > 0:
                        for lang, text in heading_cache[above]:
                            builder.add(i, analysis.doc_terms(text, lang), FIELD_WEIGHTS[field])

        # Heading texts (once each) for the typo vocabulary.
        texts_for_vocab.extend(t for items in heading_cache.values() for _, t in items)

        def split_trade(trade: TradeName) -> tuple[list[str], list[str], set[str]] | None:
            """(head terms, other terms, folded words) of a trade name of several words, None for one word:
            worked out once per trade name, however many codes it maps to."""
            lang = trade.lang if trade.lang in LANGUAGES else "en"
            words = [t for t in analysis.tokens(trade.term, lang) if not t.part]
            head = head_of(trade.term, lang, words) if len(words) > 1 else None
            if head is None:
                return None
            key = words[head].folded if words[head].compound else analysis.stem(words[head].folded, lang)
            terms = analysis.doc_terms(trade.term, lang)
            return [t for t in terms if t == key], [t for t in terms if t != key], {t.folded for t in words}

        def add_trade(
            i: int,
            trade: TradeName,
            split: tuple[list[str], list[str], set[str]] | None,
            weight: float,
            *,
            heading: bool = False,
        ) -> None:
            """A trade name's head word at `weight`, its other words at TRADE_MODIFIER_WEIGHT of it."""
            target, add_terms = (heading_builder, add_heading) if heading else (builder, add)
            if split is None:
                add_terms(i, trade.term, trade.lang, weight)
                return
            head_terms, other_terms, folded = split
            target.add(i, head_terms, weight)
            target.add(i, other_terms, weight * TRADE_MODIFIER_WEIGHT)
            texts_for_vocab.append(trade.term)
            words_by_language.get(trade.lang if trade.lang in LANGUAGES else "en", Counter()).update(folded)

        heading_units = sorted(code for code, entry in entries.items() if entry.level == 4)
        heading_position = {code: len(codes) + i for i, code in enumerate(heading_units)}
        semantic_rows: list[tuple[int, str]] = []
        for trade in trade_names:
            split = split_trade(trade)
            for rank, code in enumerate(trade.codes):
                if len(code) == 6 and code in position:
                    weight = FIELD_WEIGHTS["trade_name" if rank == 0 else "trade_name_other"]
                    add_trade(position[code], trade, split, weight)
                    semantic_rows.append((position[code], trade.term))
                    parent = entries[code].parent or ""
                    add_trade(heading_of[parent], trade, split, HEADING_FIELD_WEIGHTS["trade_name_child"], heading=True)
                elif len(code) == 4 and code in nomenclature.children:
                    for child in nomenclature.children[code]:
                        if child in position:
                            add_trade(position[child], trade, split, FIELD_WEIGHTS["trade_name_heading"])
                    if code in heading_position:
                        semantic_rows.append((heading_position[code], trade.term))
                    if code in heading_of:
                        add_trade(heading_of[code], trade, split, HEADING_FIELD_WEIGHTS["trade_name"], heading=True)

        lexical = builder.build()
        builder.counts.clear()
        heading_lexical = heading_builder.build()
        heading_builder.counts.clear()  # the per-document counts are big; free them before the vectors load
        _release_memory()
        vocabulary = analysis.Vocabulary(analysis.word_frequencies(texts_for_vocab))
        semantic_index: SemanticIndex | None = None
        if semantic:
            for i, code in enumerate(codes):
                for text in entries[code].descriptions.values():
                    semantic_rows.append((i, text))
            for code, unit in heading_position.items():
                for text in entries[code].descriptions.values():
                    semantic_rows.append((unit, text))
            semantic_index = SemanticIndex.build(semantic_rows, len(codes) + len(heading_units), cache_dir)
            del semantic_rows
            _release_memory()
        language_words = _telling_words(words_by_language)
        phrases = PhraseIndex.build([(t.term, t.lang, t.codes) for t in trade_names])
        return cls(
            nomenclature,
            codes,
            lexical,
            vocabulary,
            semantic_index,
            heading_units,
            heading_lexical,
            language_words,
            phrases,
        )

    # ------------------------------------------------------------------ search
    def search(self, query: str, *, lang: str | None = None, limit: int = 10) -> HsSearchResult:
        """Rank subheadings for `query`; never raises on any text."""
        text, hint = clean_query(query)
        language = lang if lang in LANGUAGES else self.language_of(text or "")
        limit = max(0, int(limit))
        if not text or not any(ch.isalnum() for ch in text):
            return HsSearchResult(query, language, (), "empty_query")
        coded = self._code_query(text, language, limit)
        if coded is not None:
            results, code_hint = coded
            return HsSearchResult(query, language, results, code_hint or hint)
        parts = segments(text)
        if not parts:
            return HsSearchResult(query, language, (), hint or "empty_query")
        names = analysis.proper_names(text)
        whole = self._score(text, language, names)
        if not whole.anything:
            return HsSearchResult(query, language, (), hint or "no_match")
        if len(parts) > 1:
            several = self._several(whole, parts, language, limit, names)
            if several is not None:
                return HsSearchResult(query, language, several, hint or "several_products")
        return HsSearchResult(query, language, self._matches(whole, language, limit), hint)

    def search_many(self, query: str, *, lang: str | None = None, limit: int = 10) -> tuple[HsSearchResult, ...]:
        """One result per product named in `query` (one in all when it names one product or a code)."""
        text, _ = clean_query(query)
        parts = segments(text) if self._code_query(text, "en", 1) is None else []
        if len(parts) <= 1:
            return (self.search(query, lang=lang, limit=limit),)
        language = lang if lang in LANGUAGES else self.language_of(text)
        return tuple(self.search(part, lang=language, limit=limit) for part in parts)

    def language_of(self, text: str) -> str:
        """The language of a query: ivcs.engines.text.detect_language when its function words and letters
        tell; else (short product names: "rice cookers", "car tyres") the language whose nomenclature and
        trade-name words the query uses (a word counts for a language whose texts use it far more often than
        the others', LANGUAGE_WORD_RATIO); else Spanish."""
        told = detect_language(text, default="es")
        if told == detect_language(text, default="en") or not self.language_words:
            return told  # the same answer whatever the default: the text told
        votes = dict.fromkeys(LANGUAGES, 0.0)
        for token in analysis.tokens(text):
            if token.part:
                continue
            for one in LANGUAGES:
                if token.folded in self.language_words.get(one, frozenset()):
                    votes[one] += 1.0
        best = max(LANGUAGES, key=lambda one: votes[one])
        if votes[best] == 0 or sorted(votes.values())[-2] == votes[best]:
            return "es"
        return best

    # ------------------------------------------------------------------ internals
    def _code_query(self, text: str, language: str, limit: int) -> tuple[tuple[HsMatch, ...], str | None] | None:
        match = _CODE_QUERY.match(text)
        if not match:
            return None
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) % 2:
            return None
        digits = digits[:6]
        hint = None
        while digits and digits not in self.nomenclature.entries:
            digits, hint = digits[:-2], "code_not_found"
        if not digits:
            return (), "code_not_found"
        codes = [digits, *self.nomenclature.children.get(digits, ())][:limit]
        return tuple(self._match(code, language, 1.0, ()) for code in codes), hint

    def _lexical(
        self, index: LexicalIndex, query_tokens: list[analysis.Token], names: frozenset[str] = frozenset()
    ) -> tuple[npt.NDArray[np.float64], list[tuple[str, npt.NDArray[np.bool_]]]]:
        """Normalised BM25F score per document of `index` (share of the best the query could get) and
        the (surface, per-doc matched flags) of each query word found. Proper `names` are not repaired."""
        lex = np.zeros(index.n_docs, dtype=np.float64)
        ideal = 0.0
        matched: list[tuple[str, npt.NDArray[np.bool_]]] = []
        whole_words = [t for t in query_tokens if not t.part]
        for first, second in itertools.pairwise(whole_words):
            variants = analysis.bigram_variants(first, second)
            weight = BIGRAM_WEIGHT * max(first.weight, second.weight)
            ideal += weight * max(index.max_idf_score(variants), 1.0)
            scores = index.token_scores(variants)
            if scores is not None:
                lex += weight * scores
        for token in query_tokens:
            weight = token.weight
            variants = analysis.query_variants(token)
            scores = index.token_scores(variants)
            if scores is None and not token.compound and token.surface not in names:
                repaired = self.vocabulary.correct(token.folded)
                if repaired is not None:
                    variants = analysis.query_variants(analysis.Token(token.surface, repaired, token.weight))
                    scores = index.token_scores(variants)
                    weight *= TYPO_WEIGHT
            if token.compound and scores is None:
                continue  # its parts follow as their own tokens
            ideal += weight * (index.max_idf_score(variants) if scores is not None else 1.0)
            if scores is not None:
                lex += weight * scores
                matched.append((token.surface, scores > 0))
        return (lex / ideal if ideal > 0 else lex), matched

    def _score(self, text: str, language: str, names: frozenset[str] | None = None) -> _Scored:
        """`names`: the proper names of the whole sentence `text` is part of (default: of `text`)."""
        n = len(self.codes)
        query_tokens = analysis.tokens(text)
        names = analysis.proper_names(text) if names is None else names
        if names:
            query_tokens = [
                replace(t, weight=min(t.weight, analysis.WEAK_WEIGHT)) if t.surface in names else t
                for t in query_tokens
            ]
        if language in HEAD_FIRST_LANGUAGES:
            heavy = [t for t in query_tokens if not t.part and t.weight >= 1.0]
            if len(heavy) >= 2:
                head = heavy[0]
                query_tokens = [replace(t, weight=t.weight * HEAD_WEIGHT) if t is head else t for t in query_tokens]
        content = [token.surface for token in query_tokens if not token.part]
        lexical, matched = self._lexical(self.lexical, query_tokens, names)
        anything = bool(lexical.max() > 0) if n else False
        heading_lex = np.zeros(len(self.headings), dtype=np.float64)
        if self.heading_lexical is not None:
            heading_lex, heading_matched = self._lexical(self.heading_lexical, query_tokens, names)
            anything = anything or bool(heading_lex.max() > 0)
            # A word found in a heading's texts counts as matched for its subheadings too.
            own = dict(matched)
            matched = [
                (surface, own.get(surface, np.zeros(n, dtype=np.bool_)) | flags[self._parent])
                for surface, flags in heading_matched
            ] + [(surface, flags) for surface, flags in matched if surface not in dict(heading_matched)]
        coverage = np.maximum(lexical, heading_lex[self._parent])
        heading_score = heading_lex

        if self.semantic is not None and content:
            strong = [w for w in content if fold(w) not in analysis.WEAK_WORDS and w not in names] or content
            unit_scores = self.semantic.scores(embed([" ".join(strong)])[0]).astype(np.float64)
            own_cos = unit_scores[:n]
            heading_cos = np.where(self._heading_unit >= 0, unit_scores[n:][self._heading_unit], -1.0)
            cosine = np.maximum(own_cos, HEADING_SEMANTIC_SHARE * heading_cos[self._parent])
            sem = np.clip((cosine - SEMANTIC_FLOOR) / (SEMANTIC_CEILING - SEMANTIC_FLOOR), 0.0, 1.0)
            fused = LEXICAL_SHARE * lexical + (1 - LEXICAL_SHARE) * sem
            heading_sem = np.clip((heading_cos - SEMANTIC_FLOOR) / (SEMANTIC_CEILING - SEMANTIC_FLOOR), 0.0, 1.0)
            heading_score = LEXICAL_SHARE * heading_lex + (1 - LEXICAL_SHARE) * heading_sem
            wordlike = any(_wordlike(fold(w)) for w in content)
            anything = anything or (wordlike and bool(cosine.max() >= MIN_COSINE_ALONE))
        else:
            fused = lexical
        phrase = self._phrase_bonus(text, language, query_tokens)
        query_marks = np.asarray([_has_mark(text, m) for m in MARKS], dtype=np.float64)
        fused = fused - MARK_PENALTY * (self._marks @ (1.0 - query_marks))
        best_sibling = np.maximum.reduceat(fused, self._heading_starts)[self._parent]
        final = (
            fused + HEADING_WEIGHT * heading_score[self._parent] + HEADING_BONUS * best_sibling + PHRASE_WEIGHT * phrase
        ) / (1 + HEADING_WEIGHT + HEADING_BONUS + PHRASE_WEIGHT)
        return _Scored(final, coverage, matched, anything)

    def _phrase_bonus(self, text: str, language: str, query_tokens: list[analysis.Token]) -> npt.NDArray[np.float64]:
        """Per HS6 doc, the best whole-trade-name evidence of the query (phrases.py), 0..1."""
        bonus = np.zeros(len(self.codes), dtype=np.float64)
        words = [t for t in query_tokens if not t.part]
        if not words or not len(self.phrases):
            return bonus
        variants: list[frozenset[str]] = []
        for token in words:
            terms = set(analysis.query_variants(token))
            if not token.compound and not any(term in self.lexical for term in terms):
                repaired = self.vocabulary.correct(token.folded)
                if repaired is not None:
                    terms.update(analysis.query_variants(analysis.Token(token.surface, repaired, token.weight)))
            variants.append(frozenset(terms))
        head = head_of(text, language, words)
        negated = phrases.negated_words(words)
        for match in self.phrases.find(variants, [t.weight for t in words], head, negated):
            value = match.share * (1.0 if match.has_head else PHRASE_HEADLESS)
            for rank, code in enumerate(match.phrase.codes):
                if code in self._position:
                    i = self._position[code]
                    bonus[i] = max(bonus[i], value * (1.0 if rank == 0 else PHRASE_OTHER))
                else:
                    for child in self.nomenclature.children.get(code, ()):
                        if child in self._position:
                            i = self._position[child]
                            bonus[i] = max(bonus[i], value * PHRASE_HEADING)
        return bonus

    def _ranked(self, scored: _Scored, limit: int) -> list[tuple[int, float]]:
        """(doc, confidence) of the best `limit` docs, best first, deterministic on ties."""
        if limit <= 0:
            return []
        scores = scored.scores
        k = min(3 * limit + 10, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        best = float(scores[top].max()) if len(top) else 0.0
        ranked = [(i, confidence(float(scores[i]), best, float(scored.coverage[i])), float(scores[i])) for i in top]
        ranked.sort(key=lambda item: (-item[1], -item[2], item[0]))
        # Diversity: at most MAX_PER_HEADING subheadings of one heading before the other headings' best;
        # the held-back ones follow in their order, so a list of `limit` is still full when possible.
        kept: list[tuple[int, float]] = []
        held: list[tuple[int, float]] = []
        per_heading: dict[int, int] = {}
        for i, conf, _ in ranked:
            parent = int(self._parent[i])
            if per_heading.get(parent, 0) < MAX_PER_HEADING:
                per_heading[parent] = per_heading.get(parent, 0) + 1
                kept.append((i, conf))
            else:
                held.append((i, conf))
        out: list[tuple[int, float]] = []
        for i, conf in (kept + held)[:limit]:
            out.append((i, min(conf, out[-1][1]) if out else conf))  # capped by the one before: stays sorted
        return out

    def _matches(self, scored: _Scored, language: str, limit: int) -> tuple[HsMatch, ...]:
        out = []
        for i, conf in self._ranked(scored, limit):
            words = tuple(dict.fromkeys(surface for surface, flags in scored.matched if flags[i]))
            out.append(self._match(self.codes[i], language, conf, words))
        return tuple(out)

    def _several(
        self, whole: _Scored, parts: list[str], language: str, limit: int, names: frozenset[str]
    ) -> tuple[HsMatch, ...] | None:
        """Interleaved results of the parts, when they name different products (else None). `names`: the
        sentence's proper names (analysis.proper_names)."""
        top = self._ranked(whole, 1)
        if top and whole.coverage[top[0][0]] >= 0.8:
            return None  # one subheading explains (almost) the whole sentence
        rankings: list[tuple[HsMatch, ...]] = []
        headings: set[str] = set()
        for part in parts:
            scored = self._score(part, language, names)
            if not scored.anything:
                continue
            matches = self._matches(scored, language, limit)
            weak = names | {t.surface for t in analysis.tokens(part) if t.weight < 1.0}
            if matches and set(matches[0].matched) <= weak:
                continue  # "somos un taller en Gamarra", "Lima": only places and weak words, not a product
            if matches and matches[0].heading is not None and matches[0].heading[0] not in headings:
                headings.add(matches[0].heading[0])
                rankings.append(matches)
        if len(rankings) < 2:
            return None
        out: dict[str, HsMatch] = {}
        ceiling = 1.0
        for rank in range(limit):
            for matches in rankings:
                if rank < len(matches) and matches[rank].code not in out and len(out) < limit:
                    # Interleaved, so scores are capped by the one before: the list stays sorted.
                    ceiling = min(ceiling, matches[rank].score)
                    out[matches[rank].code] = replace(matches[rank], score=ceiling)
        return tuple(out.values())

    def _match(self, code: str, language: str, score: float, matched: tuple[str, ...]) -> HsMatch:
        entry = self.nomenclature.entries[code]
        text, used = entry.description(language)
        heading = chapter = None
        for above in self.nomenclature.ancestors(code):
            pair = (above.code, above.description(language)[0])
            if above.level == 4:
                heading = pair
            elif above.level == 2:
                chapter = pair
        return HsMatch(
            code=code,
            level=entry.level,
            description=text,
            description_language=used,
            score=round(min(1.0, max(0.0, score)), 4),
            heading=heading,
            chapter=chapter,
            matched=matched,
        )


def entry_language(entry: HsEntry, language: str) -> str:
    return entry.description(language)[1]


@cache
def default_index() -> HsSearchIndex:
    """The index of default_nomenclature() and data/hs/trade_names.csv, built once per process."""
    return HsSearchIndex.build(default_nomenclature(), load_trade_names(), cache_dir=DEFAULT_CACHE_DIR)
