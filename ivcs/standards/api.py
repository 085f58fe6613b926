"""API of the standards domain: sectors, schemes, certifiers, financing, buyers and the gap analysis.

Every fact carries `source`: {sources: [{url, title, date}], checked, verified, unverified}.
Translated texts come in the language of `lang` (es, pt, en), else the request's, else English.
"""

# No `from __future__ import annotations`: django-ninja reads parameter annotations at run time.
from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import codes_4xx
from pydantic import AfterValidator, ConfigDict, model_validator

from ivcs.accounts import selectors as accounts
from ivcs.accounts.permissions import Perm, can
from ivcs.api.auth import key_or_session
from ivcs.api.errors import ErrorEnvelope
from ivcs.core.errors import UnknownValue
from ivcs.core.i18n import country_name, is_country_code
from ivcs.standards import selectors
from ivcs.standards.models import Provenance, translated

router = Router(tags=["standards"])

Lang = Literal["es", "pt", "en"]
Purpose = Literal["certification", "export", "innovation", "working_capital", "training", "investment", "promotion"]


def _country(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not is_country_code(value):
        raise ValueError("an ISO 3166-1 alpha-2 country code, e.g. CO")
    return value.upper()


def _hs(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    digits = value.replace(".", "").replace(" ", "")
    if not (digits.isdigit() and len(digits) in (2, 4, 6)):
        raise ValueError("an HS code has 2, 4 or 6 digits, e.g. 0901 or 0901.21")
    return digits


Country = Annotated[str | None, AfterValidator(_country)]
HsCode = Annotated[str | None, Field(max_length=12), AfterValidator(_hs)]


def _lang(request: HttpRequest, asked: str | None) -> str:
    if asked:
        return asked
    code = getattr(request, "LANGUAGE_CODE", "en") or "en"
    return "pt" if code.startswith("pt") else code[:2]


# --- Schemas ----------------------------------------------------------------------------------------


class SourceOut(Schema):
    url: str
    title: str | None = None
    date: str | None = None


class ProvenanceOut(Schema):
    sources: list[SourceOut]
    checked: date | None
    verified: str = Field(description="yes | partial | no")
    unverified: list[str] = Field(description="Fields not confirmed in a source")


def provenance(obj: Provenance) -> dict[str, Any]:
    return {"sources": obj.sources, "checked": obj.checked, "verified": obj.verified, "unverified": obj.unverified}


class SubsectorOut(Schema):
    id: str
    name: str
    hs: list[str]


class SectorOut(Schema):
    id: str
    name: str
    hs: list[str]
    subsectors: list[SubsectorOut]
    source: ProvenanceOut


class RecognitionOut(Schema):
    by: str
    name: str
    scope: str


class StandardOut(Schema):
    id: str
    name: str
    short_name: str
    owner: str
    kind: str
    sectors: list[str]
    recognitions: list[RecognitionOut]
    scope: str
    site: str
    source: ProvenanceOut


class OfficeOut(Schema):
    country: str
    country_name: str
    city: str
    address: str
    phone: str
    email: str
    url: str
    source: ProvenanceOut


class CertifierOut(Schema):
    id: str
    name: str
    site: str
    accreditation: str
    standards: list[str]
    offices: list[OfficeOut]
    source: ProvenanceOut


class MoneyRange(Schema):
    currency: str
    min: str
    max: str


class CostPartOut(Schema):
    item: str
    min: str
    max: str
    unit: str | None = None


class CostOut(Schema):
    country: str = Field(description="ISO code, or * for an estimate not tied to a country")
    cost_range: MoneyRange
    parts: list[CostPartOut]
    duration_range: dict[str, int | None] = Field(description="{min, max} months")
    basis: str
    indicative: bool = True
    source: ProvenanceOut


class FinancingOut(Schema):
    id: str
    country: str
    name: str
    institution: str
    instrument: str
    purposes: list[str]
    standards: list[str]
    eligibility: str
    coverage_percent: int | None
    maximum: dict[str, str] | None
    url: str
    active: str
    source: ProvenanceOut


class CourseOut(Schema):
    id: str
    title: str
    provider: str
    kind: str
    languages: list[str]
    cost: str
    url: str
    source: ProvenanceOut


class RelationOut(Schema):
    standard: str
    relation: str
    other: str
    source: ProvenanceOut


class StandardDetailOut(StandardOut):
    description: str
    scheme_version: str
    validity_months: int | None
    audit_cycle: str
    levels: list[str]
    hs: list[str]
    country: str | None
    relations: list[RelationOut]
    certifiers: list[CertifierOut]
    costs: list[CostOut]
    financing: list[FinancingOut]
    courses: list[CourseOut]
    required_by: list[dict[str, Any]] = Field(description="Buyers whose requirements this scheme meets")


class RequirementOut(Schema):
    level: str
    standards: list[str]
    recognised_by: str | None
    note: str


class RequirementSetOut(Schema):
    id: str
    title: str
    hs: list[str]
    requirements: list[RequirementOut]
    source: ProvenanceOut


class BuyerOut(Schema):
    id: str
    name: str
    demo: bool = Field(description="True for a fictional demo buyer")
    sectors: list[str]
    requirement_sets: list[RequirementSetOut]
    source: ProvenanceOut


# --- Serialisers ------------------------------------------------------------------------------------


def standard_out(s: Any, lang: str) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "short_name": s.short_name,
        "owner": s.owner,
        "kind": s.kind,
        "sectors": [x.id for x in s.sectors.all()],
        "recognitions": [
            {"by": r.by, "name": selectors.recognition_name(r.by), "scope": r.scope} for r in s.recognitions.all()
        ],
        "scope": translated(s.scope, lang),
        "site": s.site,
        "source": provenance(s),
    }


def office_out(o: Any) -> dict[str, Any]:
    return {
        "country": o.country,
        "country_name": country_name(o.country),
        "city": o.city,
        "address": o.address,
        "phone": o.phone,
        "email": o.email,
        "url": o.url,
        "source": provenance(o),
    }


def certifier_out(c: Any, lang: str) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "site": c.site,
        "accreditation": translated(c.accreditation, lang),
        "standards": sorted(s.id for s in c.schemes.all()),
        "offices": [office_out(o) for o in c.offices.all()],
        "source": provenance(c),
    }


def cost_out(c: Any, lang: str) -> dict[str, Any]:
    return {
        "country": c.country,
        "cost_range": {
            "currency": c.currency,
            "min": selectors.money(c.total_min),
            "max": selectors.money(c.total_max),
        },
        "parts": c.parts,
        "duration_range": {"min": c.months_min, "max": c.months_max},
        "basis": translated(c.basis, lang),
        "indicative": True,
        "source": provenance(c),
    }


def financing_out(p: Any, lang: str) -> dict[str, Any]:
    return {
        "id": p.id,
        "country": p.country,
        "name": p.name,
        "institution": p.institution,
        "instrument": p.instrument,
        "purposes": p.purposes,
        "standards": sorted(s.id for s in p.schemes.all()),
        "eligibility": translated(p.eligibility, lang),
        "coverage_percent": p.coverage_percent,
        "maximum": (
            {"amount": selectors.money(p.maximum_amount), "currency": p.maximum_currency}
            if p.maximum_amount is not None
            else None
        ),
        "url": p.url,
        "active": p.active,
        "source": provenance(p),
    }


def course_out(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "provider": c.provider,
        "kind": c.kind,
        "languages": c.languages,
        "cost": c.cost,
        "url": c.url,
        "source": provenance(c),
    }


def buyer_out(b: Any, lang: str) -> dict[str, Any]:
    return {
        "id": b.id,
        "name": b.name,
        "demo": b.demo,
        "sectors": [s.id for s in b.sectors.all()],
        "requirement_sets": [
            {
                "id": rs.id,
                "title": translated(rs.title, lang),
                "hs": rs.hs,
                "requirements": [
                    {
                        "level": r.level,
                        "standards": sorted(s.id for s in r.schemes.all()),
                        "recognised_by": r.recognised_by or None,
                        "note": translated(r.note, lang),
                    }
                    for r in rs.requirements.all()
                ],
                "source": provenance(rs),
            }
            for rs in b.requirement_sets.all()
        ],
        "source": provenance(b),
    }


# --- Operations ---------------------------------------------------------------------------------------


class LangParams(Schema):
    model_config = ConfigDict(extra="forbid")
    lang: Lang | None = None


@router.get("/sectors", response={200: list[SectorOut], codes_4xx: ErrorEnvelope}, auth=None, summary="Sectors")
def list_sectors(request: HttpRequest, params: Query[LangParams]) -> list[dict[str, Any]]:
    lang = _lang(request, params.lang)
    return [
        {
            "id": s.id,
            "name": translated(s.name, lang),
            "hs": s.hs,
            "subsectors": [{"id": c.id, "name": translated(c.name, lang), "hs": c.hs} for c in s.children.all()],
            "source": provenance(s),
        }
        for s in selectors.sectors()
    ]


class StandardsParams(Schema):
    model_config = ConfigDict(extra="forbid")
    sector: str | None = Field(None, max_length=60, description="Sector or subsector id (GET /sectors)")
    hs: HsCode = Field(None, description="HS code of the product (2, 4 or 6 digits)")
    country: Country = Field(None, description="Only schemes certifiable in this country (ISO alpha-2)")
    q: str | None = Field(None, max_length=200, description="Words in the name, owner or scope")
    recognised_by: str | None = Field(None, max_length=40, description="e.g. gfsi")
    lang: Lang | None = None


@router.get(
    "/standards",
    response={200: list[StandardOut], codes_4xx: ErrorEnvelope},
    auth=None,
    summary="Standards and certification schemes (filter by sector, HS code, country, words)",
)
def list_standards(request: HttpRequest, params: Query[StandardsParams]) -> list[dict[str, Any]]:
    lang = _lang(request, params.lang)
    rows = selectors.list_schemes(
        sector=params.sector, hs=params.hs, country=params.country, q=params.q, recognised_by=params.recognised_by
    )
    return [standard_out(s, lang) for s in rows]


class DetailParams(Schema):
    model_config = ConfigDict(extra="forbid")
    country: Country = Field(None, description="Certifiers, costs and financing for this country (ISO alpha-2)")
    lang: Lang | None = None


def standard_detail(scheme_id: str, country: str | None, lang: str) -> dict[str, Any]:
    try:
        s = selectors.scheme(scheme_id)
    except UnknownValue as exc:
        raise exc.at("path", "standard") from None
    out = standard_out(s, lang)
    out.update(
        {
            "description": translated(s.description, lang),
            "scheme_version": s.scheme_version,
            "validity_months": s.validity_months,
            "audit_cycle": translated(s.audit_cycle, lang),
            "levels": s.levels,
            "hs": s.hs,
            "country": country,
            "relations": [
                {"standard": r.scheme_id, "relation": r.relation, "other": r.other_id, "source": provenance(r)}
                for r in selectors.relations_of(s.id)
            ],
            "certifiers": [certifier_out(c, lang) for c in selectors.certifiers(standard=s.id, country=country)],
            "costs": [cost_out(c, lang) for c in selectors.costs(s.id, country)],
            "financing": [
                financing_out(p, lang)
                for p in selectors.financing(country=country, purpose="certification", scheme_id=s.id)
            ],
            "courses": [course_out(c) for c in selectors.courses(s.id)],
            "required_by": [{"id": b.id, "name": b.name, "demo": b.demo} for b in selectors.buyers_requiring(s.id)],
        }
    )
    return out


@router.get(
    "/standards/{standard_id}",
    response={200: StandardDetailOut, codes_4xx: ErrorEnvelope},
    auth=None,
    summary="One scheme with certifiers, costs, financing and courses for a country",
)
def get_standard(request: HttpRequest, standard_id: str, params: Query[DetailParams]) -> dict[str, Any]:
    return standard_detail(standard_id, params.country, _lang(request, params.lang))


class CertifierParams(Schema):
    model_config = ConfigDict(extra="forbid")
    standard: str | None = Field(None, max_length=60)
    country: Country = None
    lang: Lang | None = None


@router.get(
    "/certifiers",
    response={200: list[CertifierOut], codes_4xx: ErrorEnvelope},
    auth=None,
    summary="Certification bodies (for a scheme, with offices in a country)",
)
def list_certifiers(request: HttpRequest, params: Query[CertifierParams]) -> list[dict[str, Any]]:
    lang = _lang(request, params.lang)
    return [certifier_out(c, lang) for c in selectors.certifiers(standard=params.standard, country=params.country)]


@router.get(
    "/certifiers/{certifier_id}",
    response={200: CertifierOut, codes_4xx: ErrorEnvelope},
    auth=None,
    summary="One certification body with all its offices",
)
def get_certifier(request: HttpRequest, certifier_id: str, params: Query[LangParams]) -> dict[str, Any]:
    try:
        found = selectors.certifier(certifier_id)
    except UnknownValue as exc:
        raise exc.at("path") from None
    return certifier_out(found, _lang(request, params.lang))


class FinancingParams(Schema):
    model_config = ConfigDict(extra="forbid")
    country: Country = Field(None, description="ISO alpha-2; regional (LATAM) programmes are included")
    purpose: Purpose | None = None
    standard: str | None = Field(None, max_length=60, description="Programmes naming this scheme come first")
    lang: Lang | None = None


@router.get(
    "/financing",
    response={200: list[FinancingOut], codes_4xx: ErrorEnvelope},
    auth=None,
    summary="Financing and support programmes",
)
def list_financing(request: HttpRequest, params: Query[FinancingParams]) -> list[dict[str, Any]]:
    if params.standard:
        selectors.scheme(params.standard)
    lang = _lang(request, params.lang)
    rows = selectors.financing(country=params.country, purpose=params.purpose, scheme_id=params.standard)
    return [financing_out(p, lang) for p in rows]


class BuyersParams(Schema):
    model_config = ConfigDict(extra="forbid")
    sector: str | None = Field(None, max_length=60)
    include_demo: bool = True
    lang: Lang | None = None


@router.get(
    "/buyers",
    response={200: list[BuyerOut], codes_4xx: ErrorEnvelope},
    auth=None,
    summary="Buyers and their requirement sets (demo buyers are fictional and marked)",
)
def list_buyers(request: HttpRequest, params: Query[BuyersParams]) -> list[dict[str, Any]]:
    lang = _lang(request, params.lang)
    return [buyer_out(b, lang) for b in selectors.buyers(sector=params.sector, include_demo=params.include_demo)]


@router.get("/buyers/{buyer_id}", response={200: BuyerOut, codes_4xx: ErrorEnvelope}, auth=None, summary="One buyer")
def get_buyer(request: HttpRequest, buyer_id: str, params: Query[LangParams]) -> dict[str, Any]:
    try:
        found = selectors.buyer(buyer_id)
    except UnknownValue as exc:
        raise exc.at("path") from None
    return buyer_out(found, _lang(request, params.lang))


# --- Gap analysis ---------------------------------------------------------------------------------


class HeldIn(Schema):
    model_config = ConfigDict(extra="forbid")
    standard: str = Field(max_length=60)
    expires: date | None = None


class TargetIn(Schema):
    model_config = ConfigDict(extra="forbid")
    buyer: str | None = Field(None, max_length=60)
    sector: str | None = Field(None, max_length=60)
    hs: HsCode = Field(None, description="Only requirements that apply to this product (HS code)")

    @model_validator(mode="after")
    def one_target(self) -> "TargetIn":
        if bool(self.buyer) == bool(self.sector):
            raise ValueError("give exactly one of buyer or sector")
        return self


class GapIn(Schema):
    model_config = ConfigDict(extra="forbid")
    held: list[HeldIn] | None = Field(None, max_length=100, description="The certificates held")
    organisation: str | None = Field(
        None, max_length=60, description="Or: the slug of an organisation whose certificates to use (needs auth)"
    )
    target: TargetIn
    country: Country = Field(None, description="Where the SME is: certifiers, costs and financing of it")
    on: date | None = Field(None, description="Date of the analysis (default today)")
    expiring_before: date | None = Field(
        None, description="Report certificates expiring before (default on + 180 days)"
    )
    lang: Lang | None = None

    @model_validator(mode="after")
    def held_or_organisation(self) -> "GapIn":
        if self.held is not None and self.organisation:
            raise ValueError("give held or organisation, not both")
        return self


class MetOut(Schema):
    requirement: str
    level: str
    asked_by: list[str]
    by: str = Field(description="The held scheme that meets it")
    via: str = Field(description="held | equivalence | recognition")
    satisfies: str
    expires: date | None


class MissingOut(Schema):
    requirement: str
    level: str
    asked_by: list[str]
    options: list[str]
    recognised_by: str | None
    candidates: list[str]
    expired: list[str] = Field(description="Held schemes that would meet it but have expired")


class ExpiringOut(Schema):
    standard: str
    expires: date
    needed_for: list[str]


class StepCertifier(Schema):
    id: str
    name: str
    offices: list[OfficeOut]


class StepOut(Schema):
    order: int
    standard: str
    name: str
    level: str
    meets: list[str]
    certifiers: list[StepCertifier]
    cost_range: MoneyRange | None
    duration_range: dict[str, int | None] | None
    cost_source: ProvenanceOut | None
    financing: list[FinancingOut]
    courses: list[CourseOut]


class GapOut(Schema):
    target: dict[str, Any]
    country: str | None
    on: date
    expiring_before: date
    ready: bool = Field(description="Every mandatory requirement met by a valid certificate")
    met: list[MetOut]
    missing: list[MissingOut]
    expiring: list[ExpiringOut]
    steps: list[StepOut]
    total_cost_range: dict[str, Any] = Field(description="{ranges: [{currency, min, max}], without_estimate: [ids]}")
    unmeetable: list[str]


def _actor(request: HttpRequest) -> Any:
    for auth in key_or_session:
        actor = auth(request)
        if actor:
            return actor
    return None


def gap_payload(result: Any, target: Any, country: str | None, on: date, before: date, lang: str) -> dict[str, Any]:
    """The JSON shape of a gap analysis (the page renders the same data)."""
    details = selectors.step_details([step.scheme for step in result.steps], country)
    plan = []
    for order, step in enumerate(result.steps, start=1):
        d = details[step.scheme]
        plan.append(
            {
                "order": order,
                "standard": step.scheme,
                "name": d.name or step.scheme,
                "level": step.level,
                "meets": list(step.meets),
                "certifiers": [
                    {"id": c.id, "name": c.name, "offices": [office_out(o) for o in c.offices.all()]}
                    for c in d.certifiers
                ],
                "cost_range": (
                    {
                        "currency": step.estimate.currency,
                        "min": selectors.money(step.estimate.cost_min),
                        "max": selectors.money(step.estimate.cost_max),
                    }
                    if step.estimate
                    else None
                ),
                "duration_range": (
                    {"min": step.estimate.months_min, "max": step.estimate.months_max} if step.estimate else None
                ),
                "cost_source": provenance(d.cost) if d.cost else None,
                "financing": [financing_out(p, lang) for p in d.financing],
                "courses": [course_out(c) for c in d.courses],
            }
        )

    def req(r: Any) -> dict[str, Any]:
        return {"requirement": r.id, "level": r.level, "asked_by": list(r.asked_by)}

    return {
        "target": {"kind": target.kind, "id": target.id, "name": target.label, "demo": target.demo},
        "country": country,
        "on": on,
        "expiring_before": before,
        "ready": result.ready,
        "met": [
            {**req(m.requirement), "by": m.by, "via": m.via, "satisfies": m.satisfies, "expires": m.expires}
            for m in result.met
        ],
        "missing": [
            {
                **req(m.requirement),
                "options": sorted(m.requirement.options),
                "recognised_by": m.requirement.recognised_by,
                "candidates": list(m.candidates),
                "expired": list(m.expired),
            }
            for m in result.missing
        ],
        "expiring": [
            {"standard": e.scheme, "expires": e.expires, "needed_for": list(e.needed_for)} for e in result.expiring
        ],
        "steps": plan,
        "total_cost_range": {
            "ranges": [
                {"currency": c.currency, "min": selectors.money(c.min), "max": selectors.money(c.max)}
                for c in result.total_cost
            ],
            "without_estimate": result.without_estimate,
        },
        "unmeetable": result.unmeetable,
    }


@router.post(
    "/gap-analysis",
    response={200: GapOut, codes_4xx: ErrorEnvelope},
    auth=None,
    summary="What an SME lacks to meet a buyer's or a sector's requirements, and a plan",
)
def gap_analysis(request: HttpRequest, payload: GapIn) -> dict[str, Any]:
    lang = _lang(request, payload.lang)
    on = payload.on or timezone.localdate()
    before = payload.expiring_before or on + selectors.DEFAULT_EXPIRY_HORIZON
    country: str | None
    if payload.organisation:
        actor = _actor(request)
        organisation = accounts.organisation_for(actor, payload.organisation) if actor else None
        if organisation is None or not can(actor, Perm.VIEW_ORG, organisation):
            raise UnknownValue("organisation", payload.organisation, "body")
        held = selectors.held_by(organisation)
        country = payload.country or organisation.country
    else:
        held = [selectors.HeldInput(h.standard, h.expires) for h in payload.held or []]
        country = payload.country
    hs = payload.target.hs
    try:
        if payload.target.buyer:
            target = selectors.target_for_buyer(payload.target.buyer, hs)
        else:
            target = selectors.target_for_sector(payload.target.sector or "", hs)
    except UnknownValue as exc:
        raise exc.at("body", f"target.{exc.field}") from None
    try:
        result = selectors.analyse_gap(held=held, target=target, country=country, on=on, expiring_before=before)
    except UnknownValue as exc:
        raise exc.at("body") from None
    return gap_payload(result, target, country, on, before, lang)
