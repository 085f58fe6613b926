"""Document-level language detection (es/pt/en) by counting stop words over the first ~20k characters.

`ivcs.engines.text.detect_language` is tuned for one short SME sentence and always answers; a document
gives many more words, so here only words that belong to ONE of the three languages count, and the
answer is None when there are too few of them or two languages are close (mixed or other languages).
"""

from __future__ import annotations

import re

from ivcs.engines.text import fold

SAMPLE_CHARS = 20_000
MIN_HITS = 12
MIN_SHARE = 0.6

_WORD = re.compile(r"[^\W\d_]+")

# Frequent words after folding; words of two languages are removed below so that they never decide.
_STOP_WORDS: dict[str, frozenset[str]] = {
    "es": frozenset(
        "el la los las del al y en de un una unos unas que por con para se es son lo le les su sus como mas pero "
        "muy sin tambien hasta hay donde cuando ya este esta estos estas ese esa eso esos esas fue ha han puede "
        "pueden segun entre sobre desde otros otras uno cual cuales mientras porque aunque asi todo todos nuestra "
        "nuestro ellos ellas tiene tienen estan sea ser hacia mercado mercados empresas paises".split()
    ),
    "pt": frozenset(
        "o os as do da dos das ao aos em no na nos nas um uma uns umas que por com para se e sao nao seu sua seus "
        "suas como mais mas muito sem tambem ate ha onde quando ja este esta esse essa isso esses essas foi tem "
        "pode podem segundo entre sobre desde outros outras pelo pela pelos pelas qual quais enquanto porque "
        "embora assim todo todos nossa nosso eles elas estao seja ser mercado mercados empresas paises".split()
    ),
    "en": frozenset(
        "the of and to in is are for that with on as by be this from or an at it its which not have has their "
        "can more will than these those such should into other also but was were been there they we our you "
        "your who when where while because although most many market markets companies countries".split()
    ),
}
_EXCLUSIVE: dict[str, frozenset[str]] = {
    language: words - frozenset().union(*(other for name, other in _STOP_WORDS.items() if name != language))
    for language, words in _STOP_WORDS.items()
}


def detect_document_language(text: str) -> str | None:
    """The language ("es", "pt" or "en") of a document's text, or None when the evidence is thin or mixed."""
    counts = dict.fromkeys(_EXCLUSIVE, 0)
    for word in _WORD.findall(fold(text[:SAMPLE_CHARS])):
        for language, words in _EXCLUSIVE.items():
            if word in words:
                counts[language] += 1
    total = sum(counts.values())
    best = max(counts, key=lambda language: counts[language])
    if counts[best] < MIN_HITS or counts[best] < total * MIN_SHARE:
        return None
    return best
