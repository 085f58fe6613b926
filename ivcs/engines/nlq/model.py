"""Plain data returned by the natural-language understanding engine."""

from __future__ import annotations

from dataclasses import dataclass

INTENTS = ("find_buyers", "certifications", "rules_of_origin", "inputs", "studies", "financing", "explore")
SECTORS = ("food_beverage", "ict", "textiles", "clothing_fashion", "other")
PLACE_KINDS = ("country", "subdivision", "city", "bloc")
ROLES = ("origin", "destination", "input", "unknown")
BLOCS = ("EU", "MERCOSUR", "PACIFIC_ALLIANCE", "CAN", "CPTPP", "USMCA", "EFTA", "ASEAN", "CAFTA_DR")


@dataclass(frozen=True)
class ProductHit:
    """One candidate returned by the injected product finder."""

    code: str  # HS code digits, e.g. "090121"
    description: str
    score: float  # 0..1


@dataclass(frozen=True)
class Place:
    """A place recognised in the text."""

    text: str  # as written
    country: str  # ISO 3166-1 alpha-2, or a bloc code
    kind: str  # "country" | "subdivision" | "city" | "bloc"
    role: str  # "origin" | "destination" | "input" | "unknown"


@dataclass(frozen=True)
class Understanding:
    text: str
    language: str  # es | pt | en
    intent: str  # one of INTENTS
    intent_confidence: float  # 0..1
    confidence: float  # overall 0..1
    product_phrases: tuple[str, ...]  # phrases handed to the product finder
    products: tuple[ProductHit, ...]  # merged, best first, deduplicated by code
    origin_country: str | None
    origin_source: str | None  # "text" | "profile" | None
    destination_countries: tuple[str, ...]  # ISO alpha-2 or bloc codes, in order of mention
    input_countries: tuple[str, ...]  # countries that only supply inputs
    places: tuple[Place, ...]
    sector: str | None  # one of SECTORS or None
