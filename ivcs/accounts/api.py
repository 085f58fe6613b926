"""API operations of the accounts domain: each is a service or selector call with the same
permission check as the page."""

# No `from __future__ import annotations` here: django-ninja reads parameter annotations at run
# time, and through @paginate's wrapper it cannot see this module's names.
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from ivcs.accounts import selectors, services
from ivcs.accounts.models import ApiKey, Organisation, User
from ivcs.accounts.permissions import Perm, require
from ivcs.accounts.schemas import (
    ApiKeyCreated,
    ApiKeyIn,
    ApiKeyOut,
    MemberOut,
    MeOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
)
from ivcs.api.auth import key_or_session, session_only
from ivcs.api.errors import ErrorEnvelope
from ivcs.api.pagination import BoundedLimitOffset
from ivcs.core.i18n import country_name

router = Router(tags=["accounts"])


def organisation_out(org: Organisation) -> dict[str, Any]:
    return {
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "country": org.country,
        "country_name": country_name(org.country),
        "website": org.website,
        "description": org.description,
        "is_demo": org.is_demo,
        "created_at": org.created_at,
    }


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = selectors.organisation_for(request.auth, slug)  # type: ignore[attr-defined]
    if organisation is None:
        raise Http404("No such organisation, or not visible to you.")
    return organisation


@router.get("/me", response={200: MeOut, codes_4xx: ErrorEnvelope}, auth=key_or_session, summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    if isinstance(actor, ApiKey):
        return {"kind": "api_key", "organisation": actor.organisation.slug, "scopes": actor.scopes}
    user: User = actor
    memberships = [{"organisation": m.organisation.slug, "role": m.role} for m in selectors.memberships_of(user)]
    return {"kind": "user", "email": user.email, "full_name": user.full_name, "memberships": memberships}


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], codes_4xx: ErrorEnvelope},
    auth=key_or_session,
    summary="Organisations you can see on this site",
)
@paginate(BoundedLimitOffset)
def list_organisations(request: HttpRequest, kind: Organisation.Kind | None = None) -> Any:
    queryset = selectors.organisations_for(request.auth).order_by("name", "pk")  # type: ignore[attr-defined]
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset  # paginated in the database; OrganisationOut resolves the country name


@router.post(
    "/organisations",
    response={201: OrganisationOut, codes_4xx: ErrorEnvelope},
    auth=session_only,
    summary="Create an organisation (you become its owner)",
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[dict[str, Any]]:
    organisation = services.create_organisation(
        request.auth,  # type: ignore[attr-defined]
        tenant=request.tenant,  # type: ignore[attr-defined]
        name=payload.name,
        kind=payload.kind,
        country=payload.country,
        website=str(payload.website) if payload.website else "",
        description=payload.description,
    )
    return Status(201, organisation_out(organisation))


@router.get("/organisations/{slug}", response={200: OrganisationOut, codes_4xx: ErrorEnvelope}, auth=key_or_session)
def get_organisation(request: HttpRequest, slug: str) -> dict[str, Any]:
    return organisation_out(_organisation(request, slug))


@router.patch("/organisations/{slug}", response={200: OrganisationOut, codes_4xx: ErrorEnvelope}, auth=key_or_session)
def update_organisation(request: HttpRequest, slug: str, payload: OrganisationPatch) -> dict[str, Any]:
    organisation = _organisation(request, slug)
    changes = payload.model_dump(exclude_unset=True)
    if "website" in changes:
        changes["website"] = str(changes["website"]) if changes["website"] else ""
    for field in ("name", "country", "description"):
        if field in changes and changes[field] is None:
            del changes[field]
    updated = services.update_organisation(request.auth, organisation, changes)  # type: ignore[attr-defined]
    return organisation_out(updated)


@router.get(
    "/organisations/{slug}/members",
    response={200: list[MemberOut], codes_4xx: ErrorEnvelope},
    auth=key_or_session,
)
def list_members(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    organisation = _organisation(request, slug)
    return [
        {"email": m.user.email, "full_name": m.user.full_name, "role": m.role}
        for m in selectors.members_of(organisation)
    ]


def _key_out(key: ApiKey) -> dict[str, Any]:
    return {
        "prefix": key.prefix,
        "name": key.name,
        "scopes": key.scopes,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "revoked_at": key.revoked_at,
    }


@router.get(
    "/organisations/{slug}/api-keys", response={200: list[ApiKeyOut], codes_4xx: ErrorEnvelope}, auth=session_only
)
def list_api_keys(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    organisation = _organisation(request, slug)
    require(request.auth, Perm.MANAGE_KEYS, organisation)  # type: ignore[attr-defined]
    return [_key_out(k) for k in selectors.api_keys_of(organisation)]


@router.post(
    "/organisations/{slug}/api-keys",
    response={201: ApiKeyCreated, codes_4xx: ErrorEnvelope},
    auth=session_only,
    summary="Create an API key (the secret is in this response only)",
)
def create_api_key(request: HttpRequest, slug: str, payload: ApiKeyIn) -> Status[dict[str, Any]]:
    organisation = _organisation(request, slug)
    created = services.create_api_key(request.auth, organisation, name=payload.name, scopes=payload.scopes)  # type: ignore[attr-defined]
    return Status(201, {**_key_out(created.key), "key": created.secret})


@router.delete(
    "/organisations/{slug}/api-keys/{prefix}",
    response={200: ApiKeyOut, codes_4xx: ErrorEnvelope},
    auth=session_only,
    summary="Revoke an API key",
)
def revoke_api_key(request: HttpRequest, slug: str, prefix: str) -> dict[str, Any]:
    organisation = _organisation(request, slug)
    key = selectors.api_keys_of(organisation).filter(prefix=prefix).first()
    if key is None:
        raise Http404("No such API key.")
    return _key_out(services.revoke_api_key(request.auth, key))  # type: ignore[attr-defined]
