"""Object-level permissions: roles, operators, API-key scopes; and the services that enforce them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from ivcs.accounts import services
from ivcs.accounts.models import Membership, Organisation
from ivcs.accounts.permissions import Perm, can
from ivcs.core.models import AuditLog

pytestmark = pytest.mark.django_db

ROLE_MATRIX = {
    "owner": {Perm.VIEW_ORG, Perm.EDIT_ORG, Perm.MANAGE_MEMBERS, Perm.MANAGE_KEYS},
    "editor": {Perm.VIEW_ORG, Perm.EDIT_ORG},
    "viewer": {Perm.VIEW_ORG},
}


@pytest.mark.parametrize("role", sorted(ROLE_MATRIX))
def test_roles_grant_exactly_their_permissions(make_user: Any, make_org: Any, role: str) -> None:
    user = make_user()
    org = make_org(members={role: user})
    granted = {perm for perm in Perm if perm is not Perm.CREATE_ORG and can(user, perm, org)}
    assert granted == ROLE_MATRIX[role]


def test_strangers_anonymous_and_inactive_users_get_nothing(make_user: Any, make_org: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    owner = make_user()
    org = make_org(owner=owner)
    stranger = make_user()
    assert not any(can(stranger, perm, org) for perm in Perm if perm is not Perm.CREATE_ORG)
    assert not can(AnonymousUser(), Perm.VIEW_ORG, org)
    owner.is_active = False
    assert not can(owner, Perm.VIEW_ORG, org)


def test_operators_may_view_but_not_edit_others(make_user: Any, make_org: Any) -> None:
    operator = make_user(is_staff=True)
    org = make_org(owner=make_user())
    assert can(operator, Perm.VIEW_ORG, org) and not can(operator, Perm.EDIT_ORG, org)


def test_only_verified_users_create_organisations(make_user: Any) -> None:
    assert can(make_user(), Perm.CREATE_ORG)
    assert not can(make_user(email_verified=False), Perm.CREATE_ORG)


def test_api_keys_act_only_for_their_organisation_within_their_scopes(make_user: Any, make_org: Any) -> None:
    org, other = make_org(), make_org()
    reader = services.create_api_key(None, org, name="r", scopes=["org:read"]).key
    writer = services.create_api_key(None, org, name="w", scopes=["org:write"]).key
    assert can(reader, Perm.VIEW_ORG, org) and not can(reader, Perm.EDIT_ORG, org)
    assert can(writer, Perm.EDIT_ORG, org)
    assert not can(writer, Perm.VIEW_ORG, other)
    assert not can(writer, Perm.MANAGE_KEYS, org), "keys never manage keys"
    services.revoke_api_key(None, writer)
    assert not can(writer, Perm.EDIT_ORG, org)


def test_creator_becomes_owner_and_the_change_is_audited(make_user: Any, default_tenant: Any) -> None:
    user = make_user()
    org = services.create_organisation(user, tenant=default_tenant, name="Café Andino", kind="sme", country="co")
    assert org.slug == "cafe-andino" and org.country == "CO"
    assert Membership.objects.get(organisation=org).role == "owner"
    assert AuditLog.objects.filter(action="organisation.created", object_id=str(org.pk)).exists()
    second = services.create_organisation(user, tenant=default_tenant, name="Café Andino", kind="sme", country="CO")
    assert second.slug != org.slug and second.slug.startswith("cafe-andino-")


def test_only_superusers_create_operator_organisations(make_user: Any, default_tenant: Any) -> None:
    with pytest.raises(services.AccountError) as refused:
        services.create_organisation(make_user(), tenant=default_tenant, name="X", kind="operator", country="CL")
    assert refused.value.field == "kind"
    boss = make_user(is_superuser=True)
    assert services.create_organisation(boss, tenant=default_tenant, name="Ops", kind="operator", country="CL")


def test_viewers_cannot_edit_and_nothing_is_written(make_user: Any, make_org: Any) -> None:
    viewer = make_user()
    org = make_org(name="Original", members={"viewer": viewer})
    with pytest.raises(PermissionDenied):
        services.update_organisation(viewer, org, {"name": "Hacked"})
    assert Organisation.objects.get(pk=org.pk).name == "Original"
    assert not AuditLog.objects.filter(action="organisation.updated").exists()


def test_the_last_owner_cannot_leave_or_be_demoted(make_user: Any, make_org: Any) -> None:
    owner = make_user()
    org = make_org(owner=owner)
    membership = Membership.objects.get(organisation=org)
    with pytest.raises(services.AccountError) as demoted:
        services.change_role(owner, membership, role="viewer")
    with pytest.raises(services.AccountError) as removed:
        services.remove_member(owner, membership)
    assert demoted.value.code == removed.value.code == "last_owner"
    second = make_user()
    services.add_member(owner, org, email=second.email, role="owner")
    services.change_role(owner, membership, role="viewer")
    assert Membership.objects.get(pk=membership.pk).role == "viewer"


def test_adding_members_checks_the_address_and_duplicates(make_user: Any, make_org: Any) -> None:
    owner = make_user()
    org = make_org(owner=owner)
    with pytest.raises(services.AccountError) as unknown:
        services.add_member(owner, org, email="ghost@example.com", role="viewer")
    with pytest.raises(services.AccountError) as duplicate:
        services.add_member(owner, org, email=owner.email, role="viewer")
    assert (unknown.value.code, duplicate.value.code) == ("unknown_user", "already_member")


def test_grant_operator_command(make_user: Any, capsys: Any) -> None:
    from django.core.management import CommandError, call_command

    user = make_user(email="ops@example.com")
    call_command("grant_operator", email="OPS@example.com")
    user.refresh_from_db()
    assert user.is_staff and user.has_perm("tenants.change_tenant") and user.has_perm("core.view_auditlog")
    assert not user.has_perm("auth.change_group") and not user.is_superuser
    with pytest.raises(CommandError, match="sign up first"):
        call_command("grant_operator", email="nobody@example.com")
