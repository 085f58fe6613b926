"""Gap analysis: what an SME lacks to meet a buyer's (or a sector's) certification requirements.

Inputs are plain data:

* `schemes`: every scheme the catalogue knows, with its recognitions (e.g. {"gfsi"}) and sectors;
* `relations`: (scheme, other, relation) with relation `equivalent` (either one satisfies a
  requirement for the other) or `includes` (holding `scheme` satisfies a requirement for `other`,
  e.g. FSSC 22000 includes ISO 22000). Relations chain: A includes B and B equivalent C means A
  satisfies C. `benchmarked` relations carry no satisfaction and are ignored here;
* `requirements`: each one is met by any scheme in `options`, or by any scheme recognised by
  `recognised_by` (or both), at a level `mandatory` or `preferred`;
* `held`: the certificates the SME holds, with expiry dates;
* `costs`: an optional indicative cost/duration per scheme, used to prefer cheaper plans.

The plan covers the missing requirements with few schemes: a greedy set cover that picks, at each
step, among the schemes that fit the SME's product (when known), the one that meets the most open
mandatory requirements, then the most requirements, then a renewal, then the cheapest and shortest.
Greedy set cover is within a factor ln(n) of the smallest plan; targets here have a handful of
requirements, where it is almost always the smallest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Level = Literal["mandatory", "preferred"]
Via = Literal["held", "equivalence", "recognition"]

SATISFYING_RELATIONS = frozenset({"equivalent", "includes"})


@dataclass(frozen=True)
class Scheme:
    id: str
    recognitions: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Requirement:
    id: str
    level: Level
    options: frozenset[str] = frozenset()
    recognised_by: str | None = None
    asked_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Held:
    scheme: str
    expires: date | None = None


@dataclass(frozen=True)
class Estimate:
    """Indicative cost (in one currency) and duration in months of obtaining a scheme."""

    currency: str
    cost_min: Decimal
    cost_max: Decimal
    months_min: int | None = None
    months_max: int | None = None


@dataclass(frozen=True)
class Met:
    requirement: Requirement
    by: str  # the held scheme
    via: Via
    satisfies: str  # the scheme or recognition that the requirement asked for
    expires: date | None


@dataclass(frozen=True)
class Missing:
    requirement: Requirement
    candidates: tuple[str, ...]  # schemes that would meet it, best first
    expired: tuple[str, ...] = ()  # held schemes that would meet it but have expired


@dataclass(frozen=True)
class Expiring:
    scheme: str
    expires: date
    needed_for: tuple[str, ...]  # requirement ids of the target it currently meets (may be none)


@dataclass(frozen=True)
class Step:
    scheme: str
    meets: tuple[str, ...]  # requirement ids
    level: Level  # mandatory when it meets at least one mandatory requirement
    estimate: Estimate | None


@dataclass(frozen=True)
class CostRange:
    currency: str
    min: Decimal
    max: Decimal


@dataclass
class GapResult:
    met: list[Met] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    expiring: list[Expiring] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    total_cost: list[CostRange] = field(default_factory=list)
    without_estimate: list[str] = field(default_factory=list)
    unmeetable: list[str] = field(default_factory=list)  # requirement ids no known scheme meets

    @property
    def ready(self) -> bool:
        """True when every mandatory requirement is met by a certificate still valid."""
        return not any(m.requirement.level == "mandatory" for m in self.missing)


class SatisfactionGraph:
    """Which schemes a held scheme satisfies, through equivalences and inclusions (transitively)."""

    def __init__(self, relations: Iterable[tuple[str, str, str]]) -> None:
        self._edges: dict[str, set[str]] = {}
        for scheme, other, relation in relations:
            if relation not in SATISFYING_RELATIONS or scheme == other:
                continue
            self._edges.setdefault(scheme, set()).add(other)
            if relation == "equivalent":
                self._edges.setdefault(other, set()).add(scheme)
        self._cache: dict[str, frozenset[str]] = {}

    def satisfied_by(self, scheme: str) -> frozenset[str]:
        """`scheme` itself and every scheme it satisfies."""
        if scheme not in self._cache:
            seen = {scheme}
            stack = [scheme]
            while stack:
                for nxt in self._edges.get(stack.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
            self._cache[scheme] = frozenset(seen)
        return self._cache[scheme]


def _meets(
    requirement: Requirement, scheme: str, graph: SatisfactionGraph, schemes: Mapping[str, Scheme]
) -> tuple[Via, str] | None:
    """How holding `scheme` meets `requirement`, or None. Direct beats equivalence beats recognition."""
    if scheme in requirement.options:
        return "held", scheme
    reach = graph.satisfied_by(scheme)
    for option in sorted(requirement.options):
        if option in reach:
            return "equivalence", option
    if requirement.recognised_by:
        for reached in sorted(reach):
            info = schemes.get(reached)
            if info and requirement.recognised_by in info.recognitions:
                return "recognition", requirement.recognised_by
    return None


def candidates_for(requirement: Requirement, schemes: Mapping[str, Scheme]) -> set[str]:
    """Every known scheme that would meet the requirement if obtained."""
    found = {s for s in requirement.options if s in schemes}
    if requirement.recognised_by:
        found |= {s.id for s in schemes.values() if requirement.recognised_by in s.recognitions}
    return found


def _expand_candidates(requirement: Requirement, schemes: Mapping[str, Scheme], graph: SatisfactionGraph) -> set[str]:
    """Candidates plus schemes that satisfy one of them through the graph (e.g. FSSC for ISO 22000)."""
    direct = candidates_for(requirement, schemes)
    return {s for s in schemes if direct & graph.satisfied_by(s)} | direct


def _cost_key(estimate: Estimate | None) -> tuple[int, Decimal, int]:
    if estimate is None:
        return (1, Decimal(0), 0)
    return (0, estimate.cost_min + estimate.cost_max, (estimate.months_min or 0) + (estimate.months_max or 0))


def analyse(
    *,
    held: Sequence[Held],
    requirements: Sequence[Requirement],
    schemes: Mapping[str, Scheme],
    relations: Iterable[tuple[str, str, str]] = (),
    estimates: Mapping[str, Estimate] | None = None,
    on: date,
    expiring_before: date | None = None,
    fitting: frozenset[str] | None = None,
) -> GapResult:
    """The gap between what is held (valid on `on`) and what the requirements ask for.

    A certificate with `expires < on` is expired and meets nothing; one expiring before
    `expiring_before` still meets requirements and is listed under `expiring`. `fitting`, when
    given, is the set of schemes that apply to the SME's product or sector: they are proposed
    before schemes that do not (an aquaculture scheme is no plan for a coffee roaster), which are
    used only for requirements no fitting scheme meets.
    """
    estimates = estimates or {}

    def unfit(scheme: str) -> int:
        return 0 if fitting is None or scheme in fitting else 1

    graph = SatisfactionGraph(relations)
    valid = [h for h in held if h.expires is None or h.expires >= on]
    expired = [h for h in held if h.expires is not None and h.expires < on]
    result = GapResult()

    needed_for: dict[str, list[str]] = {}
    open_reqs: list[Requirement] = []
    for requirement in requirements:
        ways = []
        for h in valid:
            how = _meets(requirement, h.scheme, graph, schemes)
            if how is not None:
                # Prefer the most direct way, then the certificate that lasts longest.
                rank = ("held", "equivalence", "recognition").index(how[0])
                ways.append(((rank, -(h.expires or date.max).toordinal(), h.scheme), h, how))
        best = min(ways, key=lambda w: w[0], default=None)
        if best is not None:
            _, h, (via, satisfies) = best
            result.met.append(Met(requirement, h.scheme, via, satisfies, h.expires))
            needed_for.setdefault(h.scheme, []).append(requirement.id)
            continue
        cands = _expand_candidates(requirement, schemes, graph)
        if not cands:
            result.unmeetable.append(requirement.id)
        lapsed = tuple(sorted({h.scheme for h in expired if _meets(requirement, h.scheme, graph, schemes)}))
        ranked = sorted(cands, key=lambda s: (s not in lapsed, unfit(s), _cost_key(estimates.get(s)), s))
        result.missing.append(Missing(requirement, tuple(ranked), lapsed))
        if cands:
            open_reqs.append(requirement)

    if expiring_before is not None:
        for h in valid:
            if h.expires is not None and h.expires < expiring_before:
                result.expiring.append(Expiring(h.scheme, h.expires, tuple(needed_for.get(h.scheme, ()))))
        result.expiring.sort(key=lambda e: (e.expires, e.scheme))

    result.steps = _plan(open_reqs, schemes, graph, estimates, renew={h.scheme for h in expired}, unfit=unfit)
    _totals(result, estimates)
    return result


def _plan(
    open_reqs: list[Requirement],
    schemes: Mapping[str, Scheme],
    graph: SatisfactionGraph,
    estimates: Mapping[str, Estimate],
    renew: set[str],
    unfit: Callable[[str], int],
) -> list[Step]:
    """Greedy set cover of the open requirements: fitting schemes first, then mandatory coverage."""
    covers: dict[str, set[str]] = {}
    for requirement in open_reqs:
        for scheme in _expand_candidates(requirement, schemes, graph):
            covers.setdefault(scheme, set()).add(requirement.id)
    level = {r.id: r.level for r in open_reqs}
    remaining = {r.id for r in open_reqs}
    steps: list[Step] = []

    def key(scheme: str, open_ids: set[str]) -> tuple[int, int, int, int, tuple[int, Decimal, int], str]:
        hit = covers[scheme] & open_ids
        mandatory = sum(1 for rid in hit if level[rid] == "mandatory")
        # A lapsed certificate is the cheapest way back: renewing beats starting anew.
        renewal = 0 if scheme in renew else 1
        return (unfit(scheme), -mandatory, -len(hit), renewal, _cost_key(estimates.get(scheme)), scheme)

    while remaining and covers:
        useful = [s for s in covers if covers[s] & remaining]
        best = min(useful, key=lambda s: key(s, remaining), default=None)
        if best is None:
            break
        hit = covers[best] & remaining
        meets = tuple(r.id for r in open_reqs if r.id in hit)
        step_level: Level = "mandatory" if any(level[rid] == "mandatory" for rid in hit) else "preferred"
        steps.append(Step(best, meets, step_level, estimates.get(best)))
        remaining -= hit
    return steps


def _totals(result: GapResult, estimates: Mapping[str, Estimate]) -> None:
    by_currency: dict[str, list[Decimal]] = {}
    for step in result.steps:
        if step.estimate is None:
            result.without_estimate.append(step.scheme)
            continue
        low_high = by_currency.setdefault(step.estimate.currency, [Decimal(0), Decimal(0)])
        low_high[0] += step.estimate.cost_min
        low_high[1] += step.estimate.cost_max
    result.total_cost = [CostRange(c, lo, hi) for c, (lo, hi) in sorted(by_currency.items())]


def requirements_union(sets: Iterable[tuple[str, Sequence[Requirement]]]) -> list[Requirement]:
    """Merge the requirements of several buyers (a sector target): identical asks become one.

    Two requirements are identical when they accept the same options and recognition; the merged
    one is mandatory if any buyer makes it mandatory, and lists every buyer that asks for it.
    """
    merged: dict[tuple[frozenset[str], str | None], Requirement] = {}
    for owner, requirements in sets:
        for r in requirements:
            key = (r.options, r.recognised_by)
            prev = merged.get(key)
            if prev is None:
                merged[key] = Requirement(r.id, r.level, r.options, r.recognised_by, (owner,))
            else:
                lvl: Level = "mandatory" if "mandatory" in (prev.level, r.level) else "preferred"
                askers = prev.asked_by + ((owner,) if owner not in prev.asked_by else ())
                merged[key] = Requirement(prev.id, lvl, prev.options, prev.recognised_by, askers)
    return sorted(merged.values(), key=lambda r: (r.level != "mandatory", -len(r.asked_by), r.id))
