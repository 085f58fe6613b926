"""Sector of a product: from its HS code, or from keywords when no product was found."""

from __future__ import annotations

from collections.abc import Sequence

from .lexicon import SECTOR_KEYWORDS

_ICT_HEADINGS = frozenset({"8471", "8473", "8517", "8542", "8525", "8526", "8527", "8528"})
_FASHION_HEADINGS = frozenset({"4202", "7117"})


def sector_for_code(hs_code: str) -> str | None:
    """food_beverage (chapters 01-24), textiles (50-60, 63), clothing_fashion (61, 62, 64, 65, 42.02, 71.17),
    ict (84.71, 84.73, 85.17, 85.25-85.28, 85.42), other for any other valid chapter, None for no code."""
    digits = "".join(ch for ch in hs_code if ch.isdigit()) if isinstance(hs_code, str) else ""
    if len(digits) < 2:
        return None
    chapter = int(digits[:2])
    if not 1 <= chapter <= 99:
        return None
    heading = digits[:4]
    if chapter <= 24:
        return "food_beverage"
    if 50 <= chapter <= 60 or chapter == 63:
        return "textiles"
    if chapter in (61, 62, 64, 65) or heading in _FASHION_HEADINGS:
        return "clothing_fashion"
    if heading in _ICT_HEADINGS:
        return "ict"
    return "other"


def sector_from_words(words: Sequence[str], raw_words: Sequence[str] = ()) -> str | None:
    """The sector whose keywords appear most (ties: the first mentioned); 'TI'/'IT' in capitals count as ict."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for position, word in enumerate(words):
        for sector, keywords in SECTOR_KEYWORDS.items():
            if word in keywords:
                counts[sector] = counts.get(sector, 0) + 1
                first.setdefault(sector, position)
    for position, raw in enumerate(raw_words):
        if raw in ("TI", "IT", "TIC", "ICT"):
            counts["ict"] = counts.get("ict", 0) + 2
            first.setdefault("ict", position)
    if not counts:
        return None
    return min(counts, key=lambda sector: (-counts[sector], first[sector]))
