"""Reads of the opportunities domain: listings with filters, one opportunity, the interested
suppliers a buyer may contact, the matching engine's rows and feedback, and the indicator of SMEs
that joined a value chain.

Visibility: every published, closed or awarded opportunity of the current tenant is public; a
draft is visible only to those who may view its buyer organisation (its members, its API key,
operators). Queries run inside the request's tenant scope (django-scopes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from ivcs.accounts.models import ApiKey, Membership, Organisation, User
from ivcs.accounts.permissions import Perm, can, require
from ivcs.accounts.selectors import organisations_for
from ivcs.core.errors import UnknownValue
from ivcs.core.i18n import is_country_code
from ivcs.engines.matching.data import CertificationAsk, Feedback, OpportunityRow
from ivcs.engines.standards.hsranges import HsRange, matches, parse_ranges
from ivcs.engines.text import fold
from ivcs.opportunities.models import (
    Engagement,
    Frequency,
    Opportunity,
    OpportunityProduct,
    OpportunityRequirement,
    OpportunityRevision,
)
from ivcs.opportunities.services import is_open, normalise_hs
from ivcs.standards.models import Scheme, Sector

# A quantity per delivery times this is the quantity per year.
PER_YEAR: dict[str, int] = {
    Frequency.ONCE: 1,
    Frequency.WEEKLY: 52,
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.YEARLY: 1,
}


# --- Visibility -----------------------------------------------------------------------------------


def _viewable_buyer_ids(actor: Any) -> list[int]:
    if isinstance(actor, ApiKey):
        organisation = actor.organisation
        return [organisation.pk] if can(actor, Perm.VIEW_ORG, organisation) else []
    if not isinstance(actor, User) or not actor.is_authenticated or not actor.is_active:
        return []
    return list(organisations_for(actor).filter(kind=Organisation.Kind.BUYER).values_list("pk", flat=True))


def visible_opportunities(actor: Any) -> QuerySet[Opportunity]:
    """Opportunities `actor` (a user, an API key or None) may see on the current tenant."""
    own = _viewable_buyer_ids(actor)
    public = ~Q(status=Opportunity.Status.DRAFT)
    return Opportunity.objects.filter(public | Q(buyer_id__in=own) if own else public)


def with_details(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """Buyer, products (with HS codes) and requirements (with schemes) in a fixed number of queries."""
    return queryset.select_related("buyer").prefetch_related(
        Prefetch("products", queryset=OpportunityProduct.objects.select_related("hs_code").order_by("position", "id")),
        Prefetch(
            "requirements",
            queryset=OpportunityRequirement.objects.prefetch_related("schemes").order_by("position", "id"),
        ),
    )


def opportunity_for(actor: Any, opportunity_id: int) -> Opportunity:
    """The opportunity if `actor` may see it; UnknownValue (a 404) otherwise, whether it does not
    exist, is on another tenant or is someone else's draft."""
    found = with_details(visible_opportunities(actor)).filter(pk=opportunity_id).first()
    if found is None:
        raise UnknownValue("opportunity", opportunity_id, "path")
    return found


def can_edit(actor: Any, opportunity: Opportunity) -> bool:
    """Whether `actor` may edit, publish, close and award it and answer interested SMEs."""
    return can(actor, Perm.EDIT_ORG, opportunity.buyer)


def can_view_buyer_side(actor: Any, opportunity: Opportunity) -> bool:
    """Whether `actor` sees the buyer's side: drafts' existence, revisions' authors, interested SMEs."""
    return can(actor, Perm.VIEW_ORG, opportunity.buyer)


# --- Listing and search ---------------------------------------------------------------------------


def _successor(digits: str) -> str | None:
    """The next digit string of the same length ('24' -> '25'), None after '99..'."""
    number = int(digits) + 1
    return None if len(str(number)) > len(digits) else str(number).zfill(len(digits))


def hs_overlap_q(ranges: Iterable[HsRange], field: str = "products__hs_code_id") -> Q:
    """SQL for "a product's HS code overlaps one of the ranges" (HsRange.contains, in the database):
    codes at or below the range's level whose head lies in it, and broader codes above it."""
    q = Q(pk__in=[])
    for r in ranges:
        upper = _successor(r.high)
        inside = Q(**{f"{field}__gte": r.low})
        if upper is not None:
            inside &= Q(**{f"{field}__lt": upper})
        q |= inside
        for n in (2, 4):  # a chapter or heading that contains (part of) the range
            if n < r.digits:
                level = field.removesuffix("_id") + "__level"
                q |= Q(**{level: n, f"{field}__gte": r.low[:n], f"{field}__lte": r.high[:n]})
    return q


def _sector_q(sector_id: str) -> Q:
    sector = Sector.objects.filter(id=sector_id).first()
    if sector is None:
        raise UnknownValue("sector", sector_id)
    family = [sector, *Sector.objects.filter(parent=sector)]
    ranges = [r for s in family for r in parse_ranges(s.hs or [])]
    schemes = Scheme.objects.filter(sectors__in=[s.id for s in family]).values("id")
    return hs_overlap_q(ranges) | Q(requirements__schemes__in=schemes)


def _hs_q(hs: str) -> Q:
    digits = normalise_hs(hs)
    if digits is None:
        raise UnknownValue("hs", hs)
    broader = [digits[:n] for n in (2, 4) if n < len(digits)]
    return Q(products__hs_code__code__startswith=digits) | Q(products__hs_code_id__in=broader)


def list_opportunities(
    actor: Any,
    *,
    sector: str | None = None,
    hs: str | None = None,
    country: str | None = None,
    status: str | None = None,
    q: str | None = None,
    buyer: Organisation | None = None,
    open_only: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Opportunity]:
    """Opportunities `actor` may see, newest first.

    Without `status`: the published ones, and every opportunity (drafts too) of the buyers the
    actor belongs to. `sector`: a product's HS code lies in the sector (or a subsector), or a
    required scheme belongs to it. `hs`: a product's code starts with it, or is the chapter or
    heading that holds it. `country`: a supplier in this country may answer (no eligible countries
    = any). `q`: every word in the title, description or product texts, accents and case ignored.
    """
    qs = visible_opportunities(actor)
    if status:
        if status not in Opportunity.Status.values:
            raise UnknownValue("status", status)
        qs = qs.filter(status=status)
    else:
        own = _viewable_buyer_ids(actor)
        qs = qs.filter(Q(status=Opportunity.Status.PUBLISHED) | Q(buyer_id__in=own))
    if buyer is not None:
        qs = qs.filter(buyer=buyer)
    if open_only:
        today = today or timezone.localdate()
        qs = qs.filter(status=Opportunity.Status.PUBLISHED, deadline__gte=today)
    joined = False
    if sector:
        qs = qs.filter(_sector_q(sector))
        joined = True
    if hs:
        qs = qs.filter(_hs_q(hs))
        joined = True
    if country:
        if not is_country_code(country):
            raise UnknownValue("country", country)
        qs = qs.filter(Q(eligible_index="") | Q(eligible_index__contains=f"|{country.upper()}|"))
    for word in fold(q or "").split()[:20]:
        qs = qs.filter(search_text__contains=word)
    if joined:
        qs = qs.distinct()
    return qs.order_by("-published_at", "-created_at", "-id")


def revisions_of(opportunity: Opportunity) -> QuerySet[OpportunityRevision]:
    return OpportunityRevision.objects.filter(opportunity=opportunity).order_by("-changed_at", "-id")


# --- Engagements ----------------------------------------------------------------------------------


def engagement_of(organisation: Organisation, opportunity: Opportunity) -> Engagement | None:
    return Engagement.objects.filter(organisation=organisation, opportunity=opportunity).first()


def engagements_of(organisation: Organisation, state: str | None = None) -> QuerySet[Engagement]:
    """An SME's saved, dismissed and interested opportunities (newest change first)."""
    qs = Engagement.objects.filter(organisation=organisation).select_related("opportunity__buyer")
    return qs.filter(state=state) if state else qs


def engagement_for_supplier(actor: Any, opportunity: Opportunity, organisation_slug: str) -> Engagement:
    """The engagement of the SME `organisation_slug` with an opportunity, for its buyer's side."""
    require(actor, Perm.VIEW_ORG, opportunity.buyer)
    found = (
        Engagement.objects.filter(opportunity=opportunity, organisation__slug=organisation_slug)
        .select_related("organisation", "opportunity__buyer")
        .first()
    )
    if found is None:
        raise UnknownValue("organisation", organisation_slug, "path")
    return found


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True)
class InterestedSupplier:
    """An SME that expressed interest, with the contact details the buyer may now use."""

    organisation: Organisation
    message: str
    buyer_status: str
    interested_at: dt.datetime | None
    website: str
    contacts: tuple[Contact, ...]


def interested_suppliers(actor: Any, opportunity: Opportunity) -> list[InterestedSupplier]:
    """SMEs that expressed interest in `opportunity`, with their contact details (members' e-mails,
    website): for those who may view the buyer organisation only. SMEs that only saved it, or
    withdrew, never appear here."""
    require(actor, Perm.VIEW_ORG, opportunity.buyer)
    engagements = list(
        Engagement.objects.filter(opportunity=opportunity, state=Engagement.State.INTERESTED)
        .select_related("organisation")
        .order_by("interested_at", "id")
    )
    members: dict[int, list[Contact]] = {}
    rows = (
        Membership.objects.filter(
            organisation_id__in=[e.organisation_id for e in engagements],
            role__in=[Membership.Role.OWNER, Membership.Role.EDITOR],
            user__is_active=True,
        )
        .select_related("user")
        .order_by("role", "user__email")
    )
    for m in rows:
        members.setdefault(m.organisation_id, []).append(Contact(m.user.full_name, m.user.email))
    return [
        InterestedSupplier(
            organisation=e.organisation,
            message=e.message,
            buyer_status=e.buyer_status,
            interested_at=e.interested_at,
            website=e.organisation.website,
            contacts=tuple(members.get(e.organisation_id, ())),
        )
        for e in engagements
    ]


def engagement_counts(opportunity_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int, int]]:
    """opportunity id -> (saves, dismissals, interests) across the tenant's SMEs."""
    qs = Engagement.objects.all()
    if opportunity_ids is not None:
        qs = qs.filter(opportunity_id__in=list(opportunity_ids))
    out: dict[int, list[int]] = {}
    order = {Engagement.State.SAVED: 0, Engagement.State.DISMISSED: 1, Engagement.State.INTERESTED: 2}
    for row in qs.values("opportunity_id", "state").annotate(n=Count("id")):
        out.setdefault(row["opportunity_id"], [0, 0, 0])[order[row["state"]]] = row["n"]
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def feedback(profile_ids: Mapping[int, int]) -> Feedback:
    """The matching engine's Feedback: counts per opportunity, and the (profile, opportunity) pairs
    dismissed. `profile_ids` maps an SME organisation's id to its profile's id (the profiles app
    knows it); dismissals of organisations without a profile are left out."""
    dismissed = Engagement.objects.filter(state=Engagement.State.DISMISSED).values_list(
        "organisation_id", "opportunity_id"
    )
    return Feedback(
        per_opportunity=engagement_counts(),
        dismissed=frozenset((profile_ids[org], opp) for org, opp in dismissed if org in profile_ids),
    )


# --- The indicator: SMEs that joined a value chain -----------------------------------------------


@dataclass(frozen=True)
class ValueChainIndicator:
    awarded: int  # engagements a buyer awarded
    smes: int  # distinct SMEs with at least one award


def value_chain_indicator(tenant: Any) -> ValueChainIndicator:
    """How many times buyers of `tenant` awarded an SME that expressed interest, and how many SMEs."""
    tenant_id = getattr(tenant, "pk", tenant)
    with scopes_disabled():
        awarded = Engagement.objects.filter(
            organisation__tenant_id=tenant_id, buyer_status=Engagement.BuyerStatus.AWARDED
        )
        return ValueChainIndicator(awarded=awarded.count(), smes=awarded.values("organisation_id").distinct().count())


# --- Rows for the matching engine -----------------------------------------------------------------


def quantity_per_year(opportunity: Opportunity) -> float | None:
    if opportunity.quantity is None:
        return None
    return float(opportunity.quantity) * PER_YEAR.get(opportunity.frequency, 1)


def _sector_ranges() -> list[tuple[str, list[HsRange]]]:
    return [(s.id, parse_ranges(s.hs)) for s in Sector.objects.only("id", "hs") if s.hs]


def _scheme_sectors() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for scheme_id, sector_id in Scheme.sectors.through.objects.values_list("scheme_id", "sector_id"):
        out.setdefault(scheme_id, set()).add(sector_id)
    return out


def opportunity_rows(
    *,
    ids: Iterable[int] | None = None,
    open_only: bool = False,
    today: dt.date | None = None,
    queryset: QuerySet[Opportunity] | None = None,
) -> list[OpportunityRow]:
    """The matching engine's plain rows of the current tenant's non-draft opportunities (or of
    `queryset`): quantities per year, certifications as CertificationAsk, sectors from the products'
    HS codes and the required schemes' sectors, text = title, description, product texts and HS
    descriptions (in the opportunity's language)."""
    today = today or timezone.localdate()
    qs = queryset if queryset is not None else Opportunity.objects.exclude(status=Opportunity.Status.DRAFT)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if open_only:
        qs = qs.filter(status=Opportunity.Status.PUBLISHED, deadline__gte=today)
    sector_ranges = _sector_ranges()
    scheme_sectors = _scheme_sectors()
    rows = []
    for opp in with_details(qs).order_by("id"):
        products = list(opp.products.all())
        hs = tuple(p.hs_code_id for p in products if p.hs_code_id)
        requirements = list(opp.requirements.all())
        sectors = {sid for sid, ranges in sector_ranges if any(matches(ranges, code) for code in hs)}
        for r in requirements:
            for s in r.schemes.all():
                sectors |= scheme_sectors.get(s.pk, set())
        descriptions = [p.hs_code.description(opp.language)[0] for p in products if p.hs_code is not None]
        texts = [opp.title, opp.description, *(p.text for p in products), *descriptions]
        rows.append(
            OpportunityRow(
                id=opp.pk,
                buyer_id=opp.buyer_id,
                title=opp.title,
                text="\n".join(t for t in texts if t),
                language=opp.language,
                hs=hs,
                sectors=frozenset(sectors),
                services=opp.services_allowed,
                eligible_countries=frozenset(opp.eligible_countries or ()),
                delivery_country=opp.delivery_country or None,
                quantity=quantity_per_year(opp),
                unit=opp.unit or None,
                deadline=opp.deadline,
                open=is_open(opp, today),
                certifications=tuple(
                    CertificationAsk(
                        options=frozenset(s.pk for s in r.schemes.all()),
                        recognised_by=r.recognised_by or None,
                        level=r.level,  # type: ignore[arg-type]
                    )
                    for r in requirements
                ),
            )
        )
    return rows
