"""Reads of the standards domain: the catalogue, what applies where, and the gap analysis.

The catalogue is small (tens of schemes, hundreds of offices), so filters that need HS ranges or
translated texts run in Python over one query's rows; the rest stays in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from ivcs.core.errors import UnknownValue
from ivcs.engines.standards import gap as engine
from ivcs.engines.standards.hsranges import HsRangeError, matches, parse_range, parse_ranges
from ivcs.engines.text import fold
from ivcs.standards.models import (
    Buyer,
    Certifier,
    CostEstimate,
    Course,
    Equivalence,
    HeldCertification,
    Office,
    Programme,
    Recognition,
    Requirement,
    RequirementSet,
    Scheme,
    Sector,
    translated,
)

RECOGNITION_NAMES = {
    "gfsi": "GFSI (Global Food Safety Initiative)",
    "iaf": "IAF (International Accreditation Forum)",
    "iseal": "ISEAL",
    "itc_standards_map": "ITC Standards Map",
}

DEFAULT_EXPIRY_HORIZON = timedelta(days=180)


def fold_contains(query: str, *texts: str) -> bool:
    """Every word of `query` appears (accent- and case-folded) in one of `texts`."""
    haystack = " ".join(fold(t) for t in texts if t)
    return all(word in haystack for word in fold(query).split())


def recognition_name(code: str) -> str:
    return RECOGNITION_NAMES.get(code, code.upper())


# --- Sectors ---------------------------------------------------------------------------------------


def sectors() -> list[Sector]:
    """Top-level sectors with their subsectors prefetched."""
    return list(Sector.objects.filter(parent=None).prefetch_related("children"))


def sector(sector_id: str) -> Sector:
    found = Sector.objects.filter(id=sector_id).select_related("parent").first()
    if found is None:
        raise UnknownValue("sector", sector_id)
    return found


def sector_family(sector_id: str) -> set[str]:
    """A sector's id with its subsectors' (a scheme for the whole sector applies to each part)."""
    found = sector(sector_id)
    ids = {found.id} | set(Sector.objects.filter(parent=found).values_list("id", flat=True))
    if found.parent_id:
        ids.add(found.parent_id)
    return ids


def sectors_for_hs(code: str) -> list[Sector]:
    return [s for s in Sector.objects.all() if s.hs and matches(parse_ranges(s.hs), code)]


# --- Schemes --------------------------------------------------------------------------------------


def _schemes_base() -> QuerySet[Scheme]:
    return Scheme.objects.prefetch_related("sectors", "recognitions")


def scheme_applies_to_hs(scheme: Scheme, code: str) -> bool:
    """Whether a scheme concerns an HS code: its own ranges, else those of its sectors."""
    if scheme.hs:
        return matches(parse_ranges(scheme.hs), code)
    return any(s.hs and matches(parse_ranges(s.hs), code) for s in scheme.sectors.all())


def list_schemes(
    *,
    sector: str | None = None,
    hs: str | None = None,
    country: str | None = None,
    q: str | None = None,
    kind: str | None = None,
    recognised_by: str | None = None,
) -> list[Scheme]:
    qs = _schemes_base()
    if sector:
        qs = qs.filter(sectors__in=sector_family(sector)).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    if recognised_by:
        qs = qs.filter(recognitions__by=recognised_by)
    if country:
        qs = qs.filter(certifiers__offices__country=country).distinct()
    rows = list(qs)
    if hs:
        try:
            parse_range(hs)
        except HsRangeError:
            raise UnknownValue("hs", hs) from None
        rows = [s for s in rows if scheme_applies_to_hs(s, hs)]
        # Schemes written for this product (their own HS ranges) before those of its whole sector.
        rows.sort(key=lambda s: not (s.hs and matches(parse_ranges(s.hs), hs)))
    if q:
        rows = [
            s
            for s in rows
            if fold_contains(q, s.name, s.short_name, s.owner, s.id.replace("_", " "), *s.scope.values())
        ]
    return rows


def scheme(scheme_id: str) -> Scheme:
    found = _schemes_base().filter(id=scheme_id).first()
    if found is None:
        raise UnknownValue("standard", scheme_id)
    return found


def relations_of(scheme_id: str) -> list[Equivalence]:
    return list(
        Equivalence.objects.filter(Q(scheme_id=scheme_id) | Q(other_id=scheme_id)).select_related("scheme", "other")
    )


def certifiers(*, standard: str | None = None, country: str | None = None) -> list[Certifier]:
    """Certification bodies (for a scheme, with an office in a country), offices of that country only."""
    qs = Certifier.objects.all()
    if standard:
        scheme(standard)  # raises UnknownValue
        qs = qs.filter(schemes__id=standard)
    offices = Office.objects.order_by("country", "city")
    if country:
        qs = qs.filter(offices__country=country)
        offices = offices.filter(country=country)
    return list(qs.distinct().prefetch_related(Prefetch("offices", queryset=offices), "schemes").order_by("name"))


def certifier(certifier_id: str) -> Certifier:
    found = Certifier.objects.prefetch_related("offices", "schemes").filter(id=certifier_id).first()
    if found is None:
        raise UnknownValue("certifier", certifier_id)
    return found


def costs(scheme_id: str, country: str | None) -> list[CostEstimate]:
    """Estimates for the country first, then those not tied to a country; never other countries'."""
    wanted = [country, CostEstimate.ANY_COUNTRY] if country else [CostEstimate.ANY_COUNTRY]
    rows = list(CostEstimate.objects.filter(scheme_id=scheme_id, country__in=wanted))
    if not country:
        rows += list(CostEstimate.objects.filter(scheme_id=scheme_id).exclude(country=CostEstimate.ANY_COUNTRY))
    return sorted(rows, key=lambda c: (c.country == CostEstimate.ANY_COUNTRY, c.country, c.total_min))


def financing(
    *, country: str | None = None, purpose: str | None = None, scheme_id: str | None = None
) -> list[Programme]:
    """Programmes of a country (and regional ones); those naming the scheme come first."""
    qs = Programme.objects.prefetch_related("schemes")
    if country:
        qs = qs.filter(country__in=[country, "LATAM"])
    rows = list(qs)
    if purpose:
        rows = [p for p in rows if purpose in p.purposes]
    named = {p.pk for p in rows if scheme_id and any(s.id == scheme_id for s in p.schemes.all())}
    rank_active = {"yes": 0, "unknown": 1, "no": 2}
    return sorted(rows, key=lambda p: (p.pk not in named, p.country == "LATAM", rank_active.get(p.active, 1), p.name))


def courses(scheme_id: str) -> list[Course]:
    return list(Course.objects.filter(scheme_id=scheme_id).order_by("cost", "title"))


def programme(programme_id: str) -> Programme:
    found = Programme.objects.prefetch_related("schemes").filter(id=programme_id).first()
    if found is None:
        raise UnknownValue("programme", programme_id)
    return found


# --- Buyers ---------------------------------------------------------------------------------------


def _requirement_sets() -> Prefetch:
    return Prefetch(
        "requirement_sets",
        queryset=RequirementSet.objects.prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.prefetch_related("schemes"))
        ),
    )


def buyers(*, sector: str | None = None, include_demo: bool = True) -> list[Buyer]:
    qs = Buyer.objects.prefetch_related("sectors", _requirement_sets())
    if sector:
        qs = qs.filter(sectors__in=sector_family(sector)).distinct()
    if not include_demo:
        qs = qs.filter(demo=False)
    return list(qs)


def buyer(buyer_id: str) -> Buyer:
    found = Buyer.objects.prefetch_related("sectors", _requirement_sets()).filter(id=buyer_id).first()
    if found is None:
        raise UnknownValue("buyer", buyer_id)
    return found


def buyers_requiring(scheme_id: str) -> list[Buyer]:
    """Buyers with a requirement this scheme meets (named, or through its recognitions)."""
    by = set(Recognition.objects.filter(scheme_id=scheme_id).values_list("by", flat=True))
    reqs = Requirement.objects.filter(Q(schemes__id=scheme_id) | Q(recognised_by__in=by))
    ids = set(reqs.values_list("requirement_set__buyer_id", flat=True))
    return list(Buyer.objects.filter(id__in=ids))


# --- Gap analysis ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldInput:
    scheme: str
    expires: date | None = None


@dataclass
class Target:
    kind: str  # buyer | sector | requirement_set
    id: str
    label: str
    requirements: list[engine.Requirement] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    demo: bool = False
    hs: str | None = None  # the SME's product, when given


def _engine_requirements(req_set: RequirementSet, hs: str | None) -> list[engine.Requirement]:
    if hs and req_set.hs and not matches(parse_ranges(req_set.hs), hs):
        return []
    return [
        engine.Requirement(
            id=f"{req_set.id}#{r.position + 1}",
            level=r.level,  # type: ignore[arg-type]
            options=frozenset(s.id for s in r.schemes.all()),
            recognised_by=r.recognised_by or None,
            asked_by=(req_set.buyer_id,),
        )
        for r in req_set.requirements.all()
    ]


def target_for_buyer(buyer_id: str, hs: str | None = None) -> Target:
    b = buyer(buyer_id)
    reqs = [r for s in b.requirement_sets.all() for r in _engine_requirements(s, hs)]
    return Target("buyer", b.id, b.name, engine.requirements_union((b.id, [r]) for r in reqs), b.sources, b.demo, hs)


def target_for_sector(sector_id: str, hs: str | None = None) -> Target:
    found = sector(sector_id)
    per_buyer = []
    demo = False
    for b in buyers(sector=sector_id):
        reqs = [r for s in b.requirement_sets.all() for r in _engine_requirements(s, hs)]
        if reqs:
            per_buyer.append((b.id, reqs))
            demo = demo or b.demo
    return Target("sector", found.id, found.label, engine.requirements_union(per_buyer), [], demo, hs)


def catalogue_for_engine() -> tuple[dict[str, engine.Scheme], list[tuple[str, str, str]]]:
    """The schemes (with recognitions and sectors) and relations as the engine's plain data."""
    recognitions: dict[str, set[str]] = {}
    for scheme_id, by in Recognition.objects.values_list("scheme_id", "by"):
        recognitions.setdefault(scheme_id, set()).add(by)
    sectors_of: dict[str, set[str]] = {}
    for scheme_id, sector_id in Scheme.sectors.through.objects.values_list("scheme_id", "sector_id"):
        sectors_of.setdefault(scheme_id, set()).add(sector_id)
    schemes = {
        sid: engine.Scheme(sid, frozenset(recognitions.get(sid, ())), frozenset(sectors_of.get(sid, ())))
        for sid in Scheme.objects.values_list("id", flat=True)
    }
    relations = list(Equivalence.objects.values_list("scheme_id", "other_id", "relation"))
    return schemes, relations


def estimates_for(country: str | None, scheme_ids: Iterable[str]) -> dict[str, engine.Estimate]:
    """The estimate used for planning: the country's, else one not tied to a country."""
    out: dict[str, engine.Estimate] = {}
    wanted = [country, CostEstimate.ANY_COUNTRY] if country else [CostEstimate.ANY_COUNTRY]
    rows = CostEstimate.objects.filter(scheme_id__in=list(scheme_ids), country__in=wanted)
    for c in sorted(rows, key=lambda c: (c.country == CostEstimate.ANY_COUNTRY, c.total_max - c.total_min)):
        out.setdefault(c.scheme_id, engine.Estimate(c.currency, c.total_min, c.total_max, c.months_min, c.months_max))
    return out


def held_by(organisation: Any) -> list[HeldInput]:
    return [
        HeldInput(h.scheme_id, h.expires)
        for h in HeldCertification.objects.filter(organisation=organisation).order_by("scheme_id")
    ]


def analyse_gap(
    *,
    held: Sequence[HeldInput],
    target: Target,
    country: str | None,
    on: date,
    expiring_before: date | None = None,
) -> engine.GapResult:
    schemes, relations = catalogue_for_engine()
    unknown = [h.scheme for h in held if h.scheme not in schemes]
    if unknown:
        raise UnknownValue("held.standard", unknown[0])
    candidates = {s for r in target.requirements for s in engine.candidates_for(r, schemes)} | set(schemes)
    return engine.analyse(
        fitting=fitting_schemes(target),
        held=[engine.Held(h.scheme, h.expires) for h in held],
        requirements=target.requirements,
        schemes=schemes,
        relations=relations,
        estimates=estimates_for(country, candidates),
        on=on,
        expiring_before=expiring_before or on + DEFAULT_EXPIRY_HORIZON,
    )


def fitting_schemes(target: Target) -> frozenset[str] | None:
    """Schemes that apply to the SME's product (HS code) or, for a sector target, to that sector.

    None when neither is known: the plan then cannot tell an aquaculture scheme from a coffee one.
    """
    if target.hs:
        return frozenset(s.id for s in _schemes_base() if scheme_applies_to_hs(s, target.hs))
    if target.kind == "sector":
        family = sector_family(target.id)
        return frozenset(Scheme.objects.filter(sectors__in=family).values_list("id", flat=True).distinct())
    return None


@dataclass
class StepDetails:
    certifiers: list[Certifier] = field(default_factory=list)
    financing: list[Programme] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    cost: CostEstimate | None = None
    name: str = ""


def step_details(scheme_ids: Sequence[str], country: str | None) -> dict[str, StepDetails]:
    """Certifiers (offices in `country`), financing, courses and the cost used, for several schemes
    at once: a handful of queries however long the plan is."""
    out = {s: StepDetails() for s in scheme_ids}
    for s in Scheme.objects.filter(id__in=scheme_ids).only("id", "name", "short_name"):
        out[s.id].name = s.label
    if country:
        offices = Office.objects.filter(country=country).order_by("city")
        bodies = (
            Certifier.objects.filter(schemes__id__in=scheme_ids, offices__country=country)
            .distinct()
            .prefetch_related(Prefetch("offices", queryset=offices), "schemes")
            .order_by("name")
        )
        for body in bodies:
            for s in body.schemes.all():
                if s.id in out:
                    out[s.id].certifiers.append(body)
        programmes = financing(country=country, purpose="certification")
        for sid, details in out.items():
            named = [p for p in programmes if any(x.id == sid for x in p.schemes.all())]
            details.financing = named + [p for p in programmes if p not in named]
    for course in Course.objects.filter(scheme_id__in=scheme_ids).order_by("cost", "title"):
        out[course.scheme_id].courses.append(course)
    wanted = [country, CostEstimate.ANY_COUNTRY] if country else [CostEstimate.ANY_COUNTRY]
    rows = CostEstimate.objects.filter(scheme_id__in=scheme_ids, country__in=wanted)
    for c in sorted(rows, key=lambda c: (c.country == CostEstimate.ANY_COUNTRY, c.total_max - c.total_min)):
        if out[c.scheme_id].cost is None:
            out[c.scheme_id].cost = c
    return out


def scheme_names(ids: Iterable[str]) -> dict[str, str]:
    return {s.id: s.label for s in Scheme.objects.filter(id__in=set(ids))}


def describe_requirement(requirement: engine.Requirement, names: dict[str, str]) -> str:
    parts = [names.get(s, s) for s in sorted(requirement.options, key=lambda s: names.get(s, s))]
    if requirement.recognised_by:
        parts.append(f"{recognition_name(requirement.recognised_by)} *")
    return " / ".join(parts)


def money(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


def text(texts: dict[str, str] | None) -> str:
    return translated(texts)
