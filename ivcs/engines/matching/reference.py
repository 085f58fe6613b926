"""The score of one pair, row by row in plain Python: the oracle the tests compare the vectorised index
with, and the per-row loop the benchmark measures it against. Same filters and formula as
ivcs.engines.matching.scoring; the description cosine is given (the index's stored cosine)."""

from __future__ import annotations

from collections.abc import Set
from datetime import date

from ivcs.engines.matching import scoring
from ivcs.engines.matching.data import OpportunityRow, ProfileRow
from ivcs.engines.matching.scoring import DEFAULT_WEIGHTS, Weights


def hs_proximity(profile: ProfileRow, opportunity: OpportunityRow, links: Set[tuple[str, str]] = frozenset()) -> float:
    """Best proximity over product pairs; `links`: (input heading, product heading) pairs."""
    best = 0.0
    for a in profile.hs:
        for b in opportunity.hs:
            best = max(best, scoring.hs_pair(a, b)[0])
            if len(a) >= 4 and len(b) >= 4 and (a[:4], b[:4]) in links:
                best = max(best, scoring.INPUT_OF)
    return best


def passes_filters(
    profile: ProfileRow,
    opportunity: OpportunityRow,
    *,
    today: date,
    cosine: float,
    semantic: bool,
    dismissed: Set[tuple[int, int]] = frozenset(),
    links: Set[tuple[str, str]] = frozenset(),
) -> bool:
    if not opportunity.open or (opportunity.deadline is not None and opportunity.deadline < today):
        return False
    if opportunity.eligible_countries and profile.country not in opportunity.eligible_countries:
        return False
    if (profile.id, opportunity.id) in dismissed:
        return False
    by_text = opportunity.services or (not opportunity.hs and not opportunity.sectors)
    return (
        hs_proximity(profile, opportunity, links) > 0
        or bool(profile.sectors & opportunity.sectors)
        or (by_text and semantic and cosine >= scoring.SERVICES_MIN_COSINE)
    )


def score_pair(
    profile: ProfileRow,
    opportunity: OpportunityRow,
    *,
    cosine: float,
    semantic: bool,
    prior: float = scoring.NEUTRAL,
    weights: Weights = DEFAULT_WEIGHTS,
    links: Set[tuple[str, str]] = frozenset(),
) -> tuple[float, dict[str, float], bool]:
    """(score, components, reachable) of one pair."""
    held = profile.certificates | {f"rec:{r}" for r in profile.recognitions}
    met = 0
    missing_mandatory = False
    for ask in opportunity.certifications:
        wanted = set(ask.options) | ({f"rec:{ask.recognised_by}"} if ask.recognised_by else set())
        if wanted & held:
            met += 1
        elif ask.level == "mandatory":
            missing_mandatory = True
    asks = len(opportunity.certifications)
    family, capacity = scoring.base_quantity(profile.capacity, profile.unit)
    wanted_family, quantity = scoring.base_quantity(opportunity.quantity, opportunity.unit)
    if family >= 0 and family == wanted_family and quantity > 0 and capacity == capacity:
        capacity_fit = min(1.0, capacity / quantity)
    else:
        capacity_fit = scoring.NEUTRAL
    exports = opportunity.delivery_country is not None and opportunity.delivery_country in profile.markets
    years = min(1.0, max(0, profile.years_exporting) / scoring.EXPERIENCE_YEARS)
    share = scoring.EXPERIENCE_MARKET_SHARE
    if not profile.languages or not opportunity.language:
        language = scoring.NEUTRAL
    else:
        language = 1.0 if opportunity.language in profile.languages else 0.0
    components = {
        "hs": hs_proximity(profile, opportunity, links),
        "semantic": scoring.semantic_component(cosine) if semantic else 0.0,
        "certifications": met / asks if asks else 1.0,
        "capacity": capacity_fit,
        "experience": (1 - share) * years + share * (1.0 if exports else 0.0),
        "language": language,
        "feedback": prior,
    }
    w = weights.normalised(semantic=semantic)
    total = sum(w[name] * value for name, value in components.items())
    if missing_mandatory:
        total *= weights.mandatory_penalty
    return min(1.0, total), components, not missing_mandatory
