"""Intent scoring: a weighted lexicon of folded words, stems and phrases; the strongest intent wins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import FLUFF, INTENT_LEXICON, NEGATIONS, WANT_VERBS
from .model import INTENTS

EXPLORE = "explore"
MIN_SCORE = 1.0  # below this the best intent is too weak and the answer is "explore"
FUZZY_MIN_LEN = 7  # typos are forgiven (one edit) only in words at least this long
FUZZY_FACTOR = 0.75  # a misspelt word counts a little less than the word itself
PURPOSE_FACTOR = 0.5  # "¿qué sellos necesito para vender...?": selling is the purpose, not the need
_SELLING = ("vend", "export", "sell", "comerci", "entr", "ingres", "lleg", "cheg", "enter", "reach")
_PURPOSE = frozenset(("para", "pra", "pa", "p", "for"))
_NEED_TO = frozenset(("need", "needs", "needed", "require", "required", "necessary", "order"))


@dataclass(frozen=True)
class _Lexicon:
    phrases: dict[tuple[str, ...], tuple[tuple[str, float], ...]]  # exact token sequences
    stems: dict[str, tuple[tuple[str, str, float], ...]]  # language -> (prefix, intent, weight)
    max_len: int
    singles: dict[str, tuple[str, ...]]  # first letter -> one-word phrases at least FUZZY_MIN_LEN - 1 long


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    phrases: dict[tuple[str, ...], dict[str, float]] = {}
    stems: dict[str, list[tuple[str, str, float]]] = {}
    for language, by_intent in INTENT_LEXICON.items():
        for intent, entries in by_intent.items():
            for pattern, weight in entries.items():
                if pattern.endswith("*"):
                    stems.setdefault(language, []).append((pattern[:-1], intent, weight))
                else:
                    slot = phrases.setdefault(tuple(pattern.split()), {})
                    slot[intent] = max(slot.get(intent, 0.0), weight)
    singles: dict[str, list[str]] = {}
    for key in phrases:
        if len(key) == 1 and len(key[0]) >= FUZZY_MIN_LEN - 1:
            singles.setdefault(key[0][0], []).append(key[0])
    return _Lexicon(
        phrases={key: tuple(sorted(slot.items())) for key, slot in phrases.items()},
        stems={language: tuple(items) for language, items in stems.items()},
        max_len=max(len(key) for key in phrases),
        singles={letter: tuple(sorted(words)) for letter, words in singles.items()},
    )


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    k = 0
    while k < len(short) and short[k] == long_[k]:
        k += 1
    return short[k:] == long_[k + 1 :]


def _fuzzy(word: str, lexicon: _Lexicon) -> str | None:
    """The lexicon word one typo away ("certificasion", "finanziamiento", "importadores"), if exactly one is."""
    if len(word) < FUZZY_MIN_LEN or word in FLUFF or not word.isalpha():
        return None
    # Same ending required: "importado" and "comprado" are words of their own, not typos of importador/comprador.
    found = {s for s in lexicon.singles.get(word[0], ()) if s[-2:] == word[-2:] and _one_edit(word, s)}
    # The first letter may be the typo too: "sertificado".
    for letter in ("c", "s", "z") if word[0] in "csz" else ():
        if letter != word[0]:
            found |= {s for s in lexicon.singles.get(letter, ()) if s[-2:] == word[-2:] and _one_edit(word, s)}
    return found.pop() if len(found) == 1 else None


def _purpose(words: list[str], position: int) -> bool:
    """'para vender', 'to export' after 'need': the selling is why they ask, not what they ask for."""
    if position == 0 or not words[position].startswith(_SELLING):
        return False
    before = words[position - 1]
    if before in _PURPOSE:
        return True
    return before == "to" and position > 1 and words[position - 2] in _NEED_TO


@dataclass(frozen=True)
class IntentResult:
    intent: str
    confidence: float
    scores: dict[str, float]
    trigger_positions: frozenset[int]  # token indexes that carried an intent word


def _negated(words: list[str], position: int) -> bool:
    """'no necesito financiamiento', 'not looking for buyers': a negated want-verb just before the trigger."""
    for j in range(max(1, position - 3), position):
        if words[j] in WANT_VERBS and words[j - 1] in NEGATIONS:
            return not any(word in WANT_VERBS for word in words[j + 1 : position])
    return False


def score_intent(words: list[str], language: str, extra: Mapping[str, float] | None = None) -> IntentResult:
    """Phrases of every language count (mixed sentences happen); stems only in the sentence's language.
    `extra` adds evidence found elsewhere (an input country named in the text hints at inputs)."""
    lexicon = _lexicon()
    stems = lexicon.stems.get(language, ())
    scores = dict.fromkeys(INTENTS[:-1], 0.0)
    for intent, weight in (extra or {}).items():
        if intent in scores:
            scores[intent] += weight
    used: set[int] = set()

    def add(hits: Sequence[tuple[str, float]], position: int, factor: float = 1.0) -> None:
        if _negated(words, position):
            return
        purpose = _purpose(words, position)
        for intent, weight in hits:
            scale = factor * (PURPOSE_FACTOR if purpose and intent == "find_buyers" else 1.0)
            scores[intent] += weight * scale

    i = 0
    while i < len(words):
        matched = 0
        for n in range(min(lexicon.max_len, len(words) - i), 0, -1):
            hits = lexicon.phrases.get(tuple(words[i : i + n]))
            if hits:
                add(hits, i)
                used.update(range(i, i + n))
                matched = n
                break
        if not matched:
            stem_hits = [(intent, weight) for prefix, intent, weight in stems if words[i].startswith(prefix)]
            if stem_hits:
                add(stem_hits, i)
                used.add(i)
            else:
                near = _fuzzy(words[i], lexicon)
                if near is not None:
                    add(lexicon.phrases[(near,)], i, FUZZY_FACTOR)
                    used.add(i)
            matched = 1
        i += matched
    ranked = sorted(scores.items(), key=lambda item: (-item[1], INTENTS.index(item[0])))
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    if best_score < MIN_SCORE:
        # No signal at all: a fair 0.5; a weak signal makes "explore" a little less sure.
        return IntentResult(EXPLORE, round(0.5 - best_score / 4, 3), scores, frozenset(used))
    strength = min(1.0, best_score / 2.5)
    margin = (best_score - second_score) / best_score
    confidence = 0.35 + 0.35 * strength + 0.3 * margin
    return IntentResult(best, round(min(1.0, confidence), 3), scores, frozenset(used))
