"""Object-level permissions, in one place: pages, the API and services all ask `can()`.

An actor is a signed-in user or an API key. Users act through their memberships (owner, editor,
viewer); operators (staff) may view every organisation of the tenant they are on; superusers may do
everything. An API key acts for its one organisation, limited to its scopes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from ivcs.accounts.models import ApiKey, Membership, Organisation, User


class Perm(StrEnum):
    CREATE_ORG = "org.create"
    VIEW_ORG = "org.view"
    EDIT_ORG = "org.edit"
    MANAGE_MEMBERS = "org.manage_members"
    MANAGE_KEYS = "org.manage_keys"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Membership.Role.OWNER: frozenset({Perm.VIEW_ORG, Perm.EDIT_ORG, Perm.MANAGE_MEMBERS, Perm.MANAGE_KEYS}),
    Membership.Role.EDITOR: frozenset({Perm.VIEW_ORG, Perm.EDIT_ORG}),
    Membership.Role.VIEWER: frozenset({Perm.VIEW_ORG}),
}

SCOPE_PERMS: dict[str, frozenset[Perm]] = {
    "org:read": frozenset({Perm.VIEW_ORG}),
    "org:write": frozenset({Perm.VIEW_ORG, Perm.EDIT_ORG}),
}

OPERATOR_PERMS = frozenset({Perm.VIEW_ORG})


def role_in(user: User, organisation: Organisation) -> str | None:
    membership = Membership.objects.filter(user=user, organisation=organisation).only("role").first()
    return membership.role if membership else None


def can(actor: Any, perm: Perm, obj: Organisation | None = None) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if isinstance(actor, ApiKey):
        if not actor.is_active or obj is None or obj.pk != actor.organisation_id:
            return False
        return any(perm in SCOPE_PERMS.get(scope, frozenset()) for scope in actor.scopes)
    if not isinstance(actor, User) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if perm is Perm.CREATE_ORG:
        return actor.email_verified
    if obj is None:
        return False
    role = role_in(actor, obj)
    if role is not None and perm in ROLE_PERMS[role]:
        return True
    return actor.is_staff and perm in OPERATOR_PERMS


def require(actor: Any, perm: Perm, obj: Organisation | None = None) -> None:
    """Raise PermissionDenied unless `actor` may do `perm` on `obj`."""
    if not can(actor, perm, obj):
        raise PermissionDenied(f"not allowed: {perm}")
