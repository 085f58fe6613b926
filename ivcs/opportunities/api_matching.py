"""API of the recommendation driver: opportunities for an SME, suppliers for an opportunity.

Both answer with the score, the reasons in the request's language, and the gaps (missing or
expiring certifications, capacity) — the same words the pages show.
"""

# No `from __future__ import annotations`: django-ninja reads parameter annotations at run time.
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.responses import codes_4xx
from pydantic import ConfigDict, Field

from ivcs.accounts import selectors as accounts
from ivcs.accounts.permissions import Perm
from ivcs.api.auth import key_or_session
from ivcs.api.errors import ErrorEnvelope
from ivcs.core.errors import UnknownValue
from ivcs.opportunities import recommend, selectors
from ivcs.opportunities.api import opportunity_out

router = Router(tags=["matching"])


class GapOut(Schema):
    code: str = Field(description="missing_certification | expiring_certification | capacity_short")
    text: str
    mandatory: bool


class RecommendationOut(Schema):
    opportunity: dict[str, Any]
    score: float = Field(description="0..1")
    reachable: bool = Field(description="False while a mandatory certification is missing")
    reasons: list[str]
    gaps: list[GapOut]
    missing_certifications: list[dict[str, Any]]
    state: str | None = Field(description="The SME's own: saved, dismissed, interested, or null")


class RecommendationsOut(Schema):
    organisation: str
    results: list[RecommendationOut]


class SupplierOut(Schema):
    organisation: dict[str, Any] = Field(description="slug, name, country (never contact details)")
    score: float
    reachable: bool
    interested: bool = Field(description="Contact details: GET /opportunities/{id}/interested")
    reasons: list[str]
    gaps: list[GapOut]


class SuppliersOut(Schema):
    opportunity: int
    results: list[SupplierOut]


class LimitParams(Schema):
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(20, ge=1, le=100)


def _gap(g: Any) -> dict[str, Any]:
    return {"code": g.code, "text": g.text, "mandatory": g.mandatory}


@router.get(
    "/profiles/{org_slug}/recommendations",
    response={200: RecommendationsOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Open opportunities for an SME, best first, with reasons and gaps",
)
def recommendations(request: HttpRequest, org_slug: str, params: Query[LimitParams]) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    organisation = accounts.organisation_for(actor, org_slug, Perm.VIEW_ORG)
    if organisation is None:
        raise UnknownValue("organisation", org_slug, "path")
    results = recommend.recommendations_for(organisation, limit=params.limit)
    return {
        "organisation": organisation.slug,
        "results": [
            {
                "opportunity": opportunity_out(r.opportunity),
                "score": r.score,
                "reachable": r.reachable,
                "reasons": r.reasons,
                "gaps": [_gap(g) for g in r.gaps],
                "missing_certifications": r.missing,
                "state": r.state,
            }
            for r in results
        ],
    }


@router.get(
    "/opportunities/{opportunity_id}/suppliers",
    response={200: SuppliersOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="SMEs that could supply an opportunity (its buyer only), best first",
)
def suppliers(
    request: HttpRequest, params: Query[LimitParams], opportunity_id: int = Path(..., ge=1, le=2**53)
) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    opportunity = selectors.opportunity_for(actor, opportunity_id)
    if not selectors.can_view_buyer_side(actor, opportunity):
        raise PermissionDenied("only the buyer sees its suppliers")
    results = recommend.suggested_suppliers(opportunity, limit=params.limit)
    return {
        "opportunity": opportunity.pk,
        "results": [
            {
                "organisation": {
                    "slug": s.organisation.slug,
                    "name": s.organisation.name,
                    "country": s.organisation.country,
                },
                "score": s.score,
                "reachable": s.reachable,
                "interested": s.interested,
                "reasons": s.reasons,
                "gaps": [_gap(g) for g in s.gaps],
            }
            for s in results
        ],
    }
