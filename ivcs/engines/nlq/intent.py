"""Intent scoring: a weighted lexicon of folded words, stems and phrases; the strongest intent wins."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .lexicon import INTENT_LEXICON, NEGATIONS, WANT_VERBS
from .model import INTENTS

EXPLORE = "explore"
MIN_SCORE = 1.0  # below this the best intent is too weak and the answer is "explore"


@dataclass(frozen=True)
class _Lexicon:
    phrases: dict[tuple[str, ...], tuple[tuple[str, float], ...]]  # exact token sequences
    stems: dict[str, tuple[tuple[str, str, float], ...]]  # language -> (prefix, intent, weight)
    max_len: int


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
    return _Lexicon(
        phrases={key: tuple(sorted(slot.items())) for key, slot in phrases.items()},
        stems={language: tuple(items) for language, items in stems.items()},
        max_len=max(len(key) for key in phrases),
    )


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


def score_intent(words: list[str], language: str) -> IntentResult:
    """Phrases of every language count (mixed sentences happen); stems only in the sentence's language."""
    lexicon = _lexicon()
    stems = lexicon.stems.get(language, ())
    scores = dict.fromkeys(INTENTS[:-1], 0.0)
    used: set[int] = set()
    i = 0
    while i < len(words):
        matched = 0
        for n in range(min(lexicon.max_len, len(words) - i), 0, -1):
            hits = lexicon.phrases.get(tuple(words[i : i + n]))
            if hits:
                if not _negated(words, i):
                    for intent, weight in hits:
                        scores[intent] += weight
                used.update(range(i, i + n))
                matched = n
                break
        if not matched:
            stem_hits = [(intent, weight) for prefix, intent, weight in stems if words[i].startswith(prefix)]
            if stem_hits:
                if not _negated(words, i):
                    for intent, weight in stem_hits:
                        scores[intent] += weight
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
