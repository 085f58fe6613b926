"""API operations of the opportunities domain: each is a selector or service call with the same
permission check as the pages.

Visibility: published, closed and awarded opportunities of this site are public; a draft exists
only for its buyer's members and API key (anyone else gets 404). Writes need the buyer's (or, for
engagements, the SME's) owner or editor role, or its API key with org:write; a valid actor without
that right gets 403. Refusals of the domain: 422 with the fields named, or 409 for a state conflict.
"""

# No `from __future__ import annotations` here: django-ninja reads parameter annotations at run time.
import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx
from pydantic import Field

from ivcs.accounts import selectors as accounts
from ivcs.accounts.models import ApiKey, Organisation, User
from ivcs.accounts.permissions import Perm
from ivcs.api.auth import ApiKeyAuth, VerifiedSessionAuth, key_or_session
from ivcs.api.errors import ErrorEnvelope
from ivcs.api.pagination import BoundedLimitOffset, ShapedPage
from ivcs.core.errors import UnknownValue
from ivcs.opportunities import selectors, services
from ivcs.opportunities.models import Engagement, Opportunity
from ivcs.opportunities.schemas import (
    AnswerIn,
    EngagementIn,
    EngagementOut,
    InterestedOut,
    OpportunityDetailOut,
    OpportunityIn,
    OpportunityOut,
    OpportunityPatch,
    StatusCode,
)

router = Router(tags=["opportunities"])

MAX_ID = 2**53
OpportunityId = Path(..., ge=1, le=MAX_ID, description="The opportunity's id")


def _anyone(request: HttpRequest) -> Any:
    """Authentication for public reads: the API key or session user if given, else an anonymous
    user; credentials that are sent but do not authenticate are refused (401), not ignored."""
    if "HTTP_AUTHORIZATION" in request.META:
        actor = ApiKeyAuth()(request)
        if not actor:
            raise AuthenticationError()
        return actor
    return VerifiedSessionAuth()(request) or AnonymousUser()


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def refusals(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an OpportunityError into the error envelope: 422 naming every bad field, or 409 for a
    state conflict (not open any more, a transition that does not apply)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except services.OpportunityError as exc:
            if exc.field is None:
                return Status(409, {"error": {"code": exc.code, "message": exc.message, "details": None}})
            details = [
                {
                    "field": e.field,
                    "message": e.message,
                    "type": e.code,
                    **({"value": str(e.value)} if e.value is not None else {}),
                }
                for e in exc.errors
            ]
            return Status(
                422,
                {"error": {"code": "validation_error", "message": _("Some fields are not valid."), "details": details}},
            )

    return wrapped


# --- Output ---------------------------------------------------------------------------------------


def _lang() -> str:
    code = get_language() or "en"
    return "pt" if code.startswith("pt") else code[:2]


def opportunity_out(opp: Opportunity) -> dict[str, Any]:
    """The JSON shape of an opportunity (needs selectors.with_details for its products and requirements)."""
    lang = _lang()
    return {
        "id": opp.pk,
        "buyer": {"slug": opp.buyer.slug, "name": opp.buyer.name, "country": opp.buyer.country},
        "title": opp.title,
        "description": opp.description,
        "language": opp.language,
        "services_allowed": opp.services_allowed,
        "quantity": f"{opp.quantity.normalize():f}" if opp.quantity is not None else None,
        "unit": opp.unit,
        "frequency": opp.frequency,
        "quantity_per_year": selectors.quantity_per_year(opp),
        "delivery_country": opp.delivery_country,
        "delivery_place": opp.delivery_place,
        "incoterm": opp.incoterm,
        "eligible_countries": list(opp.eligible_countries or []),
        "other_requirements": opp.other_requirements,
        "deadline": opp.deadline,
        "contact_method": opp.contact_method,
        "status": opp.status,
        "open": services.is_open(opp),
        "published_at": opp.published_at,
        "closed_at": opp.closed_at,
        "created_at": opp.created_at,
        "updated_at": opp.updated_at,
        "is_demo": opp.is_demo,
        "products": [
            {
                "hs": p.hs_code_id,
                "hs_description": p.hs_code.description(lang)[0] if p.hs_code is not None else None,
                "text": p.text,
            }
            for p in opp.products.all()
        ],
        "requirements": [
            {
                "schemes": [{"id": s.pk, "name": s.label} for s in r.schemes.all()],
                "recognised_by": r.recognised_by or None,
                "level": r.level,
            }
            for r in opp.requirements.all()
        ],
    }


def engagement_out(e: Engagement) -> dict[str, Any]:
    return {
        "organisation": e.organisation.slug,
        "opportunity": e.opportunity_id,
        "state": e.state,
        "message": e.message,
        "buyer_status": e.buyer_status,
        "updated_at": e.updated_at,
    }


def _sme_ids(actor: Any) -> list[int]:
    """The SME organisations the actor acts for (their engagements show on the detail)."""
    if isinstance(actor, ApiKey):
        return [actor.organisation_id] if actor.organisation.kind == Organisation.Kind.SME else []
    if isinstance(actor, User):
        return list(accounts.organisations_for(actor).filter(kind=Organisation.Kind.SME).values_list("pk", flat=True))
    return []


def _detail(request: HttpRequest, opp: Opportunity) -> dict[str, Any]:
    actor = _actor(request)
    fresh = selectors.opportunity_for(actor, opp.pk)
    engagements = None
    sme_ids = _sme_ids(actor)
    if sme_ids:
        engagements = [
            engagement_out(e)
            for e in Engagement.objects.filter(opportunity=fresh, organisation_id__in=sme_ids).select_related(
                "organisation"
            )
        ]
    return {
        **opportunity_out(fresh),
        "revisions": [{"changed_at": r.changed_at, "changes": r.changes} for r in selectors.revisions_of(fresh)],
        "engagements": engagements,
    }


# --- Operations -----------------------------------------------------------------------------------


class ListParams(Schema):
    sector: str | None = Field(None, max_length=60, description="A sector id (e.g. food_beverage), subsectors included")
    hs: str | None = Field(
        None, max_length=12, pattern=r"^[0-9][0-9. ]*$", description="HS code prefix: 2, 4 or 6 digits"
    )
    country: str | None = Field(
        None, min_length=2, max_length=2, description="Supplier country: only those it may answer"
    )
    status: StatusCode | None = Field(None, description="Default: published ones, and all of your own")
    q: str | None = Field(None, max_length=200, description="Words in the title, description or products")
    open: bool | None = Field(None, description="Only open ones: published, deadline not past")


@router.get(
    "/opportunities",
    response={200: list[OpportunityOut], codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=_anyone,
    summary="Purchasing opportunities of this site (drafts only to their buyer)",
)
@paginate(BoundedLimitOffset)
def list_opportunities(request: HttpRequest, params: Query[ListParams]) -> Any:
    qs = selectors.list_opportunities(
        _actor(request),
        sector=params.sector or None,
        hs=params.hs or None,
        country=params.country or None,
        status=params.status,
        q=params.q,
        open_only=bool(params.open),
    )
    return ShapedPage(qs, opportunity_out, prepare=selectors.with_details)


@router.get(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityDetailOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=_anyone,
    summary="One opportunity, with its revisions",
)
def get_opportunity(request: HttpRequest, opportunity_id: int = OpportunityId) -> dict[str, Any]:
    return _detail(request, selectors.opportunity_for(_actor(request), opportunity_id))


@router.post(
    "/opportunities",
    response={201: OpportunityDetailOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Create a draft opportunity for a buyer organisation",
)
@refusals
def create_opportunity(request: HttpRequest, payload: OpportunityIn) -> Any:
    actor = _actor(request)
    buyer = accounts.organisation_for(actor, payload.buyer, Perm.VIEW_ORG)
    if buyer is None:
        raise UnknownValue("buyer", payload.buyer, "body")
    data = payload.model_dump(exclude_unset=True, exclude={"buyer"})
    opp = services.create_opportunity(actor, buyer, data)
    return Status(201, _detail(request, opp))


@router.patch(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityDetailOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Change an opportunity (edits after publication are kept as revisions)",
)
@refusals
def update_opportunity(request: HttpRequest, payload: OpportunityPatch, opportunity_id: int = OpportunityId) -> Any:
    actor = _actor(request)
    opp = selectors.opportunity_for(actor, opportunity_id)
    opp = services.update_opportunity(actor, opp, payload.model_dump(exclude_unset=True))
    return _detail(request, opp)


def _transition(
    request: HttpRequest, opportunity_id: int, service: Callable[[Any, Opportunity], Opportunity]
) -> dict[str, Any]:
    actor = _actor(request)
    opp = service(actor, selectors.opportunity_for(actor, opportunity_id))
    return _detail(request, opp)


@router.post(
    "/opportunities/{opportunity_id}/publish",
    response={200: OpportunityDetailOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Publish a draft (needs a title, a product or services, a deadline not past)",
)
@refusals
def publish_opportunity(request: HttpRequest, opportunity_id: int = OpportunityId) -> Any:
    return _transition(request, opportunity_id, services.publish_opportunity)


@router.post(
    "/opportunities/{opportunity_id}/close",
    response={200: OpportunityDetailOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Close a published opportunity",
)
@refusals
def close_opportunity(request: HttpRequest, opportunity_id: int = OpportunityId) -> Any:
    return _transition(request, opportunity_id, services.close_opportunity)


@router.post(
    "/opportunities/{opportunity_id}/award",
    response={200: OpportunityDetailOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="Mark a published or closed opportunity as awarded",
)
@refusals
def award_opportunity(request: HttpRequest, opportunity_id: int = OpportunityId) -> Any:
    return _transition(request, opportunity_id, services.award_opportunity)


@router.post(
    "/opportunities/{opportunity_id}/engagement",
    response={200: EngagementOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="An SME saves, dismisses or expresses interest in an open opportunity",
)
@refusals
def engage(request: HttpRequest, payload: EngagementIn, opportunity_id: int = OpportunityId) -> Any:
    actor = _actor(request)
    opp = selectors.opportunity_for(actor, opportunity_id)
    organisation = accounts.organisation_for(actor, payload.organisation, Perm.VIEW_ORG)
    if organisation is None:
        raise UnknownValue("organisation", payload.organisation, "body")
    engagement = services.engage(actor, organisation, opp, state=payload.state, message=payload.message)
    return engagement_out(engagement)


@router.get(
    "/opportunities/{opportunity_id}/interested",
    response={200: list[InterestedOut], codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="The SMEs that expressed interest, with their contact details (the buyer only)",
)
def list_interested(request: HttpRequest, opportunity_id: int = OpportunityId) -> list[dict[str, Any]]:
    actor = _actor(request)
    opp = selectors.opportunity_for(actor, opportunity_id)
    return [
        {
            "organisation": s.organisation.slug,
            "name": s.organisation.name,
            "country": s.organisation.country,
            "website": s.website,
            "contacts": [{"name": c.name, "email": c.email} for c in s.contacts],
            "message": s.message,
            "interested_at": s.interested_at,
            "buyer_status": s.buyer_status,
        }
        for s in selectors.interested_suppliers(actor, opp)
    ]


@router.post(
    "/opportunities/{opportunity_id}/interested/{org_slug}",
    response={200: EngagementOut, codes_4xx: ErrorEnvelope, 422: ErrorEnvelope},
    auth=key_or_session,
    summary="The buyer shortlists, awards or declines an interested SME",
)
@refusals
def answer_interest(request: HttpRequest, org_slug: str, payload: AnswerIn, opportunity_id: int = OpportunityId) -> Any:
    actor = _actor(request)
    opp = selectors.opportunity_for(actor, opportunity_id)
    engagement = selectors.engagement_for_supplier(actor, opp, org_slug)
    return engagement_out(services.answer_interest(actor, engagement, status=payload.status))
