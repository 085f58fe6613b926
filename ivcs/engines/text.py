"""Text helpers shared by the engines: folding, tokenising and telling es/pt/en apart.

Plain functions over str; no Django. Folding removes case and accents so that "Café", "cafe" and
"CAFÉ" meet; language detection scores function words and letters typical of each language
(ã/õ/ç for Portuguese, ñ/¿/¡ for Spanish) and is meant for short SME sentences, not documents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

LANGUAGES = ("es", "pt", "en")

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)

# Frequent words that mostly belong to one language (after folding).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "es": frozenset(
        "el la los las del al un una unos unas y o que en con para por como somos hacemos producimos "
        "vendemos queremos quiero busco exportar empresa nuestra nuestro nuestros se es son de desde hacia "
        "sin muy mas pero tambien donde cual quien compradores certificacion".split()
    ),
    "pt": frozenset(
        "o os as do da dos das ao aos um uma uns umas e ou que em no na nos nas com para por como somos fazemos "
        "produzimos vendemos queremos quero busco exportar empresa nossa nosso nossos e sao de desde sem muito "
        "mais mas tambem onde qual quem compradores certificacao nao voce".split()
    ),
    "en": frozenset(
        "the an and or of in on with for by as we our make makes produce sell want export company is are "
        "from to without very more but also where which who buyers certification not you roast grow".split()
    ),
}
# Words shared by es and pt that must not decide between them.
_SHARED = _FUNCTION_WORDS["es"] & _FUNCTION_WORDS["pt"]


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Açaí Orgânico' -> 'acai organico'. Keeps ñ as n."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Folded word tokens; hyphenated words ('castanha-do-para') stay whole."""
    return _WORD.findall(fold(text))


def detect_language(text: str, default: str = "es") -> str:
    """The most likely of es/pt/en for a short text, or `default` when nothing tells them apart."""
    lowered = text.casefold()
    scores = dict.fromkeys(LANGUAGES, 0.0)
    scores["pt"] += 2.0 * sum(lowered.count(ch) for ch in "ãõç") + 1.5 * lowered.count("ção")
    scores["es"] += 2.0 * sum(lowered.count(ch) for ch in "ñ¿¡") + 1.5 * lowered.count("ción")
    for token in tokenize(text):
        for language in LANGUAGES:
            if token in _FUNCTION_WORDS[language] and not (language != "en" and token in _SHARED):
                scores[language] += 1.0
    best = max(LANGUAGES, key=lambda language: scores[language])
    if scores[best] == 0 or sorted(scores.values())[-2] == scores[best]:
        return default if default in LANGUAGES else "es"
    return best


def ngrams(tokens: Iterable[str], n: int) -> list[tuple[str, ...]]:
    items = list(tokens)
    return [tuple(items[i : i + n]) for i in range(len(items) - n + 1)]
