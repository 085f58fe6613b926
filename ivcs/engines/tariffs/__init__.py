"""Tariff rates for the rules-of-origin tool: MFN and preferential rates by market, programme and HS 2022 subheading.

``lookup(market, hs6, programme=None)`` answers; ``programmes_for(market, exporter)`` and ``markets()`` list what is
loaded; ``parse_rate(text, market)`` reads one rate text. Plain Python, no Django. Data: ``data/tariffs/`` (see its
PROVENANCE.md) and docs/tariffs.md.
"""

from .rates import KINDS, Rate, RateKind, parse_rate
from .schedule import (
    PROGRAMMES,
    Market,
    Programme,
    RateRange,
    Source,
    TariffAnswer,
    TariffLine,
    TariffSummary,
    load_schedules,
    lookup,
    markets,
    programmes_for,
)

__all__ = [
    "KINDS",
    "PROGRAMMES",
    "Market",
    "Programme",
    "Rate",
    "RateKind",
    "RateRange",
    "Source",
    "TariffAnswer",
    "TariffLine",
    "TariffSummary",
    "load_schedules",
    "lookup",
    "markets",
    "parse_rate",
    "programmes_for",
]
