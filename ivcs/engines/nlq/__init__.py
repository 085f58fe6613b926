"""Natural-language understanding of one SME sentence (es/pt/en): intent, product phrases, places, sector.

Framework-free: plain dataclasses in and out, no Django. The product finder (HS classifier) is injected.
"""

from __future__ import annotations

from .engine import ProductFinder, understand
from .gazetteer import Gazetteer, GeoEntry, load_gazetteer
from .model import BLOCS, INTENTS, SECTORS, Place, ProductHit, Understanding
from .sectors import sector_for_code

__all__ = [
    "BLOCS",
    "INTENTS",
    "SECTORS",
    "Gazetteer",
    "GeoEntry",
    "Place",
    "ProductFinder",
    "ProductHit",
    "Understanding",
    "load_gazetteer",
    "sector_for_code",
    "understand",
]
