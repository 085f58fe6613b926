"""Reads of the accounts domain, scoped to the current tenant by the models' managers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ivcs.accounts.models import ApiKey, Membership, Organisation, User
from ivcs.accounts.permissions import Perm, can


def organisations_for(actor: Any) -> QuerySet[Organisation]:
    """Organisations the actor may view on the current tenant."""
    if isinstance(actor, ApiKey):
        return Organisation.objects.filter(pk=actor.organisation_id)
    if not isinstance(actor, User) or not actor.is_authenticated:
        return Organisation.objects.none()
    if actor.is_superuser or actor.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=actor).distinct()


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def organisation_for(actor: Any, slug: str, perm: Perm = Perm.VIEW_ORG) -> Organisation | None:
    """The organisation with `slug` on this tenant if `actor` has `perm` on it, else None.

    Returning None for both 'does not exist' and 'not allowed' keeps other tenants' and other
    organisations' slugs from being probed.
    """
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not can(actor, perm, organisation):
        return None
    return organisation


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email")


def api_keys_of(organisation: Organisation) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organisation=organisation).order_by("-created_at")
