"""Reads of the profiles domain: a profile as its owner or as another organisation sees it, and the
plain rows the matching index is built from.

Queries go through the tenant-scoped managers: call these inside a scope (requests are; tasks and
commands enter one), or pass `tenant` to `profile_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django_scopes import scope

from ivcs.accounts.models import Organisation
from ivcs.accounts.permissions import Perm, can
from ivcs.core.i18n import country_name
from ivcs.engines.matching.data import ProfileRow
from ivcs.profiles.models import Profile, ProfileProduct

EXPIRY_HORIZON = timedelta(days=180)

# What other organisations of the tenant see of a public profile. Contact details, revenue band,
# interests and the visibility switch are the organisation's own business.
PUBLIC_FIELDS = (
    "organisation",
    "name",
    "country",
    "country_name",
    "region",
    "sectors",
    "description",
    "description_language",
    "capacity_volume",
    "capacity_unit",
    "employees",
    "years_exporting",
    "markets_served",
    "languages",
    "products",
    "certifications",
    "updated_at",
)
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


@dataclass(frozen=True)
class ProfileView:
    organisation: Organisation
    profile: Profile | None  # None: the SME has not filled in its profile yet (members only)
    full: bool  # True for members (and operators): every field; False: public fields only


def _with_details(qs: QuerySet[Profile]) -> QuerySet[Profile]:
    return qs.select_related("organisation").prefetch_related(
        "sectors", Prefetch("products", queryset=ProfileProduct.objects.select_related("hs_code"))
    )


def profile_of(organisation: Organisation) -> Profile | None:
    return _with_details(Profile.objects.filter(organisation=organisation)).first()


def profile_for(actor: Any, org_slug: str) -> ProfileView | None:
    """The profile of the SME `org_slug` as `actor` may see it, or None (no such SME on this tenant,
    or a profile that is not public and `actor` is not one of its members).

    Members, the organisation's API keys and operators see every field; any other signed-in actor
    sees the public fields of a public profile.
    """
    organisation = Organisation.objects.filter(slug=org_slug, kind=Organisation.Kind.SME).first()
    if organisation is None:
        return None
    profile = profile_of(organisation)
    if can(actor, Perm.VIEW_ORG, organisation):
        return ProfileView(organisation, profile, full=True)
    if profile is None or not profile.public or not getattr(actor, "is_authenticated", False):
        return None
    return ProfileView(organisation, profile, full=False)


def profile_ids_by_organisation(*, tenant: Any = None) -> dict[int, int]:
    """SME organisation id -> its profile's id, on `tenant` (else the current scope)."""
    if tenant is not None:
        with scope(tenant=tenant):
            return profile_ids_by_organisation()
    return dict(Profile.objects.values_list("organisation_id", "pk"))


def public_profiles() -> QuerySet[Profile]:
    """Profiles shown to buyers in supplier discovery (the current tenant's)."""
    return _with_details(Profile.objects.filter(public=True))


def certifications_of(organisation: Organisation) -> list[dict[str, Any]]:
    from ivcs.standards.models import HeldCertification

    return [
        {"standard": h.scheme_id, "name": h.scheme.label, "expires": h.expires}
        for h in HeldCertification.objects.filter(organisation=organisation)
        .select_related("scheme")
        .order_by("scheme_id")
    ]


def profile_data(view: ProfileView, *, language: str = "en") -> dict[str, Any]:
    """The profile as plain data (the API's payload): every field for members, the public ones else."""
    org = view.organisation
    p = view.profile
    products = []
    if p is not None:
        for item in p.products.all():
            text, _used = item.hs_code.description(language)
            products.append({"hs": item.hs_code_id, "description": item.description, "hs_description": text})
    country = p.country if p is not None else org.country
    data: dict[str, Any] = {
        "organisation": org.slug,
        "name": org.name,
        "exists": p is not None,
        "full": view.full,
        "country": country,
        "country_name": country_name(country, language) if country else "",
        "region": p.region if p else "",
        "sectors": sorted(s.id for s in p.sectors.all()) if p else [],
        "description": p.description if p else "",
        "description_language": p.description_language if p else "",
        "capacity_volume": str(p.capacity_volume) if p and p.capacity_volume is not None else None,
        "capacity_unit": p.capacity_unit if p else "",
        "employees": p.employees if p else None,
        "revenue_band": p.revenue_band if p else "",
        "years_exporting": p.years_exporting if p else 0,
        "markets_served": list(p.markets_served) if p else [],
        "languages": list(p.languages) if p else [],
        "interest_countries": list(p.interest_countries) if p else [],
        "interest_buyer_types": list(p.interest_buyer_types) if p else [],
        "public": p.public if p else False,
        "contact_name": p.contact_name if p else "",
        "contact_email": p.contact_email if p else "",
        "contact_phone": p.contact_phone if p else "",
        "products": products,
        "certifications": certifications_of(org),
        "created_at": p.created_at if p else None,
        "updated_at": p.updated_at if p else None,
    }
    if view.full:
        return data
    return {"exists": True, "full": False, **{k: data[k] for k in PUBLIC_FIELDS}}


# --- Rows for the matching index ---------------------------------------------------------------------


def _bloc_members() -> dict[str, frozenset[str]]:
    from ivcs.engines.nlq import load_gazetteer

    return load_gazetteer().bloc_members


def profile_rows(
    *,
    tenant: Any = None,
    ids: Iterable[int] | None = None,
    public_only: bool = False,
    on: date | None = None,
) -> list[ProfileRow]:
    """ProfileRow for each profile of the tenant (`tenant`, else the current scope), for matching.

    Certificates are resolved on `on` (default today): a certificate counts while it has not expired;
    `certificates` holds the held schemes and every scheme they satisfy (equivalences and inclusions,
    transitively, via SatisfactionGraph), `recognitions` the recognition bodies of all those schemes,
    `expiring` the held schemes that expire within 180 days. `sectors` adds each sector's parent;
    `interests` adds the member countries of blocs (EU -> AT, BE, ...) to the codes themselves;
    `text` is the description, the products' own descriptions and their HS descriptions in the
    profile's language.
    """
    if tenant is not None:
        with scope(tenant=tenant):
            return profile_rows(ids=ids, public_only=public_only, on=on)
    from ivcs.engines.standards.gap import SatisfactionGraph
    from ivcs.standards import selectors as standards
    from ivcs.standards.models import HeldCertification, Sector

    today = on or timezone.localdate()
    qs = _with_details(Profile.objects.all()).order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if public_only:
        qs = qs.filter(public=True)
    profiles = list(qs)
    if not profiles:
        return []

    schemes, relations = standards.catalogue_for_engine()
    graph = SatisfactionGraph(relations)
    parents = dict(Sector.objects.filter(parent__isnull=False).values_list("id", "parent_id"))
    blocs = _bloc_members()
    held: dict[int, list[tuple[str, date | None]]] = {}
    for org_id, scheme_id, expires in HeldCertification.objects.filter(
        organisation_id__in=[p.organisation_id for p in profiles]
    ).values_list("organisation_id", "scheme_id", "expires"):
        held.setdefault(org_id, []).append((scheme_id, expires))

    rows = []
    for p in profiles:
        valid = [s for s, expires in held.get(p.organisation_id, []) if expires is None or expires >= today]
        satisfied = frozenset().union(*(graph.satisfied_by(s) for s in valid)) if valid else frozenset()
        recognitions = frozenset(r for s in satisfied if s in schemes for r in schemes[s].recognitions)
        expiring = frozenset(
            s
            for s, expires in held.get(p.organisation_id, [])
            if expires is not None and today <= expires <= today + EXPIRY_HORIZON
        )
        sector_ids = {s.id for s in p.sectors.all()}
        sector_ids |= {parents[s] for s in sector_ids if s in parents}
        products = list(p.products.all())
        texts = [p.description]
        for item in products:
            texts.append(item.description)
            texts.append(item.hs_code.description(p.description_language)[0])
        interests = set(p.interest_countries)
        for code in p.interest_countries:
            interests |= blocs.get(code, frozenset())
        rows.append(
            ProfileRow(
                id=p.pk,
                organisation_id=p.organisation_id,
                country=p.country,
                sectors=frozenset(sector_ids),
                hs=tuple(item.hs_code_id for item in products),
                text="\n".join(t for t in texts if t),
                capacity=float(p.capacity_volume) if p.capacity_volume is not None else None,
                unit=p.capacity_unit or None,
                employees=p.employees,
                years_exporting=p.years_exporting,
                markets=frozenset(p.markets_served),
                languages=frozenset(p.languages),
                certificates=satisfied,
                recognitions=recognitions,
                expiring=expiring,
                interests=frozenset(interests),
            )
        )
    return rows
