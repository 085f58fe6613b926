"""Writes of the accounts domain. Pages, the API, commands and tasks all call these.

Each service runs in one transaction, checks permission with ivcs.accounts.permissions, records an
audit row and appends outbox events for e-mails; nothing is sent from inside the transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ivcs.accounts.models import ApiKey, Membership, Organisation, User
from ivcs.accounts.permissions import Perm, require
from ivcs.accounts.scopes import unknown_scopes
from ivcs.core import audit, outbox
from ivcs.core.i18n import is_country_code, normalise_language
from ivcs.tenants.models import Tenant

SEND_VERIFICATION = "accounts.send_verification_email"
SEND_PASSWORD_RESET = "accounts.send_password_reset_email"  # noqa: S105 - a topic name


class AccountError(Exception):
    """A request the domain refuses, with a message for the user and the field it concerns."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


# --- Users ------------------------------------------------------------------------------------


def register_user(
    *, email: str, password: str, full_name: str, language: str, tenant: Tenant | None, base_url: str
) -> User:
    """Create an unverified account and queue the verification e-mail."""
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(_("An account with this e-mail address already exists."), code="email_taken", field="email")
    candidate = User(email=email, full_name=full_name.strip())
    validate_password(password, candidate)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name.strip(),
                language=normalise_language(language) or "",
                signup_tenant=tenant,
            )
            audit.record("user.registered", actor=user, obj=user, tenant_id=tenant.pk if tenant else None)
            outbox.append(SEND_VERIFICATION, {"user_id": user.pk, "base_url": base_url})
    except IntegrityError as exc:  # two sign-ups with one address at the same moment
        raise AccountError(
            _("An account with this e-mail address already exists."), code="email_taken", field="email"
        ) from exc
    return user


def resend_verification(user: User, *, base_url: str) -> bool:
    if user.email_verified:
        return False
    with transaction.atomic():
        outbox.append(SEND_VERIFICATION, {"user_id": user.pk, "base_url": base_url})
    return True


def mark_email_verified(user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(email_verified=True)
        user.email_verified = True
        audit.record("user.email_verified", actor=user, obj=user)


def request_password_reset(*, email: str, base_url: str) -> None:
    """Queue a reset e-mail if an active account has this address; say nothing either way."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    with transaction.atomic():
        outbox.append(SEND_PASSWORD_RESET, {"user_id": user.pk, "base_url": base_url})


def update_profile(user: User, *, full_name: str, language: str) -> User:
    with transaction.atomic():
        user.full_name = full_name.strip()
        user.language = normalise_language(language) or ""
        user.save(update_fields=["full_name", "language"])
        audit.record("user.profile_updated", actor=user, obj=user)
    return user


# --- Operators --------------------------------------------------------------------------------

OPERATOR_GROUP = "Operators"
# What operators curate in the operator area: model -> actions. Superusers keep everything else.
OPERATOR_PERMISSIONS = {
    "tenants.tenant": ("view", "add", "change"),
    "tenants.tenantdomain": ("view", "add", "change", "delete"),
    "accounts.organisation": ("view", "add", "change"),
    "accounts.membership": ("view", "add", "change", "delete"),
    "accounts.user": ("view", "change"),
    "accounts.apikey": ("view", "change"),
    "core.outboxevent": ("view", "change"),
    "core.auditlog": ("view",),
    "products.hscode": ("view", "change"),
    # The standards catalogue: operators curate everything in it, with sources.
    **{
        f"standards.{model}": ("view", "add", "change", "delete")
        for model in (
            "sector",
            "scheme",
            "recognition",
            "equivalence",
            "certifier",
            "office",
            "costestimate",
            "programme",
            "course",
            "buyer",
            "requirementset",
            "requirement",
        )
    },
    "standards.heldcertification": ("view",),
    "profiles.profile": ("view", "change"),
    "profiles.profileproduct": ("view", "change"),
    "opportunities.opportunity": ("view", "change"),
    "opportunities.opportunityrevision": ("view",),
    "opportunities.engagement": ("view",),
    "standards.certifierupdate": ("view", "change"),
}


def ensure_operator_group() -> Group:
    """The "Operators" group with the permissions above (created or brought up to date)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():  # permissions exist only after post_migrate otherwise
        create_permissions(app_config, verbosity=0)
    group, _created = Group.objects.get_or_create(name=OPERATOR_GROUP)
    wanted = []
    for label, actions in OPERATOR_PERMISSIONS.items():
        app_label, model = label.split(".")
        wanted += list(
            Permission.objects.filter(
                content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions]
            )
        )
    group.permissions.set(wanted)
    return group


def grant_operator(user: User, *, actor: Any = None) -> User:
    """Let `user` into the operator area with the operators' permissions."""
    with transaction.atomic():
        group = ensure_operator_group()
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)
        audit.record("user.operator_granted", actor=actor, obj=user)
    return user


# --- Organisations ----------------------------------------------------------------------------

USER_CREATABLE_KINDS = {
    Organisation.Kind.SME,
    Organisation.Kind.BUYER,
    Organisation.Kind.TPO,
    Organisation.Kind.CERTIFIER,
}
EDITABLE_FIELDS = {"name", "country", "website", "description"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug = base
    while Organisation._base_manager.filter(slug=slug).exists():  # unscoped: slugs are global
        slug = f"{base}-{get_random_string(4, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


def _check_country(country: str) -> str:
    if not is_country_code(country):
        raise AccountError(_("Choose a country (ISO 3166-1 code)."), code="invalid_country", field="country")
    return country.upper()


def create_organisation(
    actor: User,
    *,
    tenant: Tenant,
    name: str,
    kind: str,
    country: str,
    website: str = "",
    description: str = "",
    is_demo: bool = False,
) -> Organisation:
    """Create an organisation on `tenant`; its creator becomes its owner."""
    require(actor, Perm.CREATE_ORG)
    if kind not in Organisation.Kind.values:
        raise AccountError(_("Unknown kind of organisation."), code="invalid_kind", field="kind")
    if kind not in USER_CREATABLE_KINDS and not actor.is_superuser:
        raise AccountError(
            _("Only operators can create operator organisations."), code="kind_not_allowed", field="kind"
        )
    if not name.strip():
        raise AccountError(_("Give the organisation a name."), code="required", field="name")
    with transaction.atomic():
        organisation = Organisation.objects.create(
            tenant=tenant,
            slug=_unique_slug(name),
            name=name.strip(),
            kind=kind,
            country=_check_country(country),
            website=website,
            description=description,
            is_demo=is_demo,
        )
        Membership.objects.create(user=actor, organisation=organisation, role=Membership.Role.OWNER)
        audit.record("organisation.created", actor=actor, obj=organisation, tenant_id=tenant.pk)
    return organisation


def update_organisation(actor: Any, organisation: Organisation, changes: dict[str, Any]) -> Organisation:
    require(actor, Perm.EDIT_ORG, organisation)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise AccountError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="not_editable",
        )
    if "name" in changes and not str(changes["name"]).strip():
        raise AccountError(_("Give the organisation a name."), code="required", field="name")
    if "country" in changes:
        changes["country"] = _check_country(str(changes["country"]))
    with transaction.atomic():
        before = {field: getattr(organisation, field) for field in changes}
        for field, value in changes.items():
            setattr(organisation, field, value.strip() if isinstance(value, str) else value)
        organisation.full_clean(exclude=["tenant", "slug"])
        organisation.save()
        audit.record(
            "organisation.updated",
            actor=actor,
            obj=organisation,
            tenant_id=organisation.tenant_id,
            data={"before": before, "after": {f: getattr(organisation, f) for f in changes}},
        )
    return organisation


def add_member(actor: Any, organisation: Organisation, *, email: str, role: str) -> Membership:
    """Give an existing user a role in the organisation (invitations come with a later issue)."""
    require(actor, Perm.MANAGE_MEMBERS, organisation)
    if role not in Membership.Role.values:
        raise AccountError(_("Unknown role."), code="invalid_role", field="role")
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise AccountError(_("No account uses this e-mail address."), code="unknown_user", field="email")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        if not created:
            raise AccountError(_("This person is already a member."), code="already_member", field="email")
        audit.record(
            "membership.added", actor=actor, obj=membership, tenant_id=organisation.tenant_id, data={"role": role}
        )
    return membership


def change_role(actor: Any, membership: Membership, *, role: str) -> Membership:
    require(actor, Perm.MANAGE_MEMBERS, membership.organisation)
    if role not in Membership.Role.values:
        raise AccountError(_("Unknown role."), code="invalid_role", field="role")
    with transaction.atomic():
        if membership.role == Membership.Role.OWNER and role != Membership.Role.OWNER:
            _keep_an_owner(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record("membership.role_changed", actor=actor, obj=membership, data={"role": role})
    return membership


def remove_member(actor: Any, membership: Membership) -> None:
    require(actor, Perm.MANAGE_MEMBERS, membership.organisation)
    with transaction.atomic():
        if membership.role == Membership.Role.OWNER:
            _keep_an_owner(membership)
        audit.record("membership.removed", actor=actor, obj=membership, data={"user": membership.user.email})
        membership.delete()


def _keep_an_owner(membership: Membership) -> None:
    owners = Membership.objects.select_for_update().filter(
        organisation=membership.organisation, role=Membership.Role.OWNER
    )
    if owners.exclude(pk=membership.pk).count() == 0:
        raise AccountError(_("An organisation needs at least one owner."), code="last_owner", field="role")


# --- API keys ---------------------------------------------------------------------------------

KEY_PREFIX = "ivcs"


@dataclass(frozen=True)
class NewApiKey:
    key: ApiKey
    secret: str  # shown once, never stored


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(actor: Any, organisation: Organisation, *, name: str, scopes: list[str]) -> NewApiKey:
    """Create a key for `organisation`; `actor` None means the operator's command line."""
    if actor is not None:
        require(actor, Perm.MANAGE_KEYS, organisation)
    if not name.strip():
        raise AccountError(_("Give the key a name."), code="required", field="name")
    if not scopes:
        raise AccountError(_("Choose at least one scope."), code="required", field="scopes")
    unknown = unknown_scopes(scopes)
    if unknown:
        raise AccountError(
            _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}, code="invalid_scope", field="scopes"
        )
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            organisation=organisation,
            name=name.strip(),
            prefix=prefix,
            key_hash=hash_key(secret),
            scopes=sorted(set(scopes)),
            created_by=actor if isinstance(actor, User) else None,
        )
        audit.record(
            "api_key.created",
            actor=actor,
            obj=key,
            tenant_id=organisation.tenant_id,
            data={"scopes": key.scopes, "prefix": prefix},
        )
    return NewApiKey(key, secret)


def revoke_api_key(actor: Any, key: ApiKey) -> ApiKey:
    if actor is not None:
        require(actor, Perm.MANAGE_KEYS, key.organisation)
    with transaction.atomic():
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            audit.record("api_key.revoked", actor=actor, obj=key, tenant_id=key.organisation.tenant_id)
    return key


def authenticate_api_key(secret: str) -> ApiKey | None:
    """The active key for this secret on the current tenant, or None (constant-time compare)."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    key = ApiKey.objects.select_related("organisation").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.key_hash, hash_key(secret)):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 300:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)  # at most one write per 5 minutes
        key.last_used_at = now
    return key
