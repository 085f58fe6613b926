"""The matching engine's plain-data interface: what the Django apps give it and what it answers.

The apps (ivcs/profiles, ivcs/opportunities) turn their models into these rows; the engine never
sees a model. Certificates arrive already resolved: `certificates` is every scheme the SME's valid
certificates satisfy (held schemes plus what they include or are equivalent to, computed by the
standards app with ivcs.engines.standards.gap.SatisfactionGraph), `recognitions` the recognition
bodies those schemes carry (e.g. "gfsi").

Units: quantities and capacities are per year, in one of UNITS; the app converts (a monthly
quantity x 12). HS codes are digit strings of 2, 4 or 6 digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

UNITS = ("kg", "t", "l", "m3", "units", "m2", "m", "hours", "services")
Level = Literal["mandatory", "preferred"]


@dataclass(frozen=True)
class CertificationAsk:
    """One certification requirement of an opportunity: any of `options`, or any scheme recognised
    by `recognised_by` (either may be empty, not both)."""

    options: frozenset[str] = frozenset()
    recognised_by: str | None = None
    level: Level = "mandatory"


@dataclass(frozen=True)
class ProfileRow:
    id: int  # the profile's primary key
    organisation_id: int
    country: str  # ISO 3166-1 alpha-2
    sectors: frozenset[str] = frozenset()  # sector ids of the standards app (top level and subsectors)
    hs: tuple[str, ...] = ()  # HS codes of its products (2, 4 or 6 digits)
    text: str = ""  # free description and product descriptions, any language
    capacity: float | None = None  # production capacity per year, in `unit`
    unit: str | None = None
    employees: int | None = None
    years_exporting: int = 0
    markets: frozenset[str] = frozenset()  # ISO codes of countries it already sells to
    languages: frozenset[str] = frozenset()  # "es", "pt", "en"
    certificates: frozenset[str] = frozenset()  # scheme ids satisfied by valid certificates (closure)
    recognitions: frozenset[str] = frozenset()  # recognition bodies of those schemes ("gfsi")
    expiring: frozenset[str] = frozenset()  # held scheme ids that expire within the warning horizon
    interests: frozenset[str] = frozenset()  # destination countries it is interested in


@dataclass(frozen=True)
class OpportunityRow:
    id: int
    buyer_id: int  # the buyer organisation
    title: str
    text: str  # title, description and product texts, any language
    language: str  # "es", "pt" or "en": the language it was written in
    hs: tuple[str, ...] = ()
    sectors: frozenset[str] = frozenset()
    services: bool = False  # services (no HS code) are allowed
    eligible_countries: frozenset[str] = frozenset()  # supplier countries; empty = any
    delivery_country: str | None = None
    quantity: float | None = None  # per year, in `unit`
    unit: str | None = None
    deadline: date | None = None
    open: bool = True  # published, not closed or awarded
    certifications: tuple[CertificationAsk, ...] = ()


@dataclass(frozen=True)
class Feedback:
    """What users did, learned across users: counts per opportunity and per profile."""

    # opportunity id -> (saves, dismissals, interests) across all SMEs
    per_opportunity: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    # (profile id, opportunity id) pairs the SME dismissed: never recommended again to it
    dismissed: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class Reason:
    """Why a match scores: a code the app translates, with its parameters.

    Codes: same_subheading, same_heading, same_chapter (params: code), similar_description,
    certifications_met (schemes), country_eligible (country), capacity_fits, exports_to (country),
    experienced_exporter (years), speaks_language (language), interested_in_market (country),
    popular_with_similar_smes.
    """

    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Gap:
    """What stands between the SME and the opportunity. Codes: missing_certification (options,
    recognised_by, mandatory), expiring_certification (scheme), capacity_short (capacity, quantity)."""

    code: str
    params: dict[str, object] = field(default_factory=dict)
    mandatory: bool = False


@dataclass(frozen=True)
class Match:
    profile_id: int
    opportunity_id: int
    score: float  # 0..1
    components: dict[str, float]  # each score component, 0..1, before weighting
    reasons: tuple[Reason, ...]
    gaps: tuple[Gap, ...]
    reachable: bool  # False when a mandatory certification is missing ("reachable with ...")
