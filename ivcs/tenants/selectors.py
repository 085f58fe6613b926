"""Reading tenants: resolution from a request's host name or /t/<slug>/ prefix."""

from __future__ import annotations

from django.conf import settings

from ivcs.tenants.models import DEFAULT_TENANT_SLUG, Tenant, TenantDomain


def default_tenant() -> Tenant:
    """The default tenant "IVCS". Created by the first migration; re-created if someone deleted it
    (or a test flushed the tables), because every unclaimed request needs it."""
    tenant, _created = Tenant.objects.get_or_create(
        slug=DEFAULT_TENANT_SLUG, defaults={"name": "IVCS", "default_language": settings.LANGUAGE_CODE}
    )
    return tenant


def tenant_for_host(host: str) -> Tenant | None:
    """The active tenant serving `host` (port ignored unless mapped with it), or None."""
    host = host.strip().lower()
    bare = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    domain = TenantDomain.objects.select_related("tenant").filter(host__in={host, bare}, tenant__is_active=True).first()
    if domain is not None:
        return domain.tenant
    if bare in settings.IVCS_DEFAULT_TENANT_HOSTS or host in settings.IVCS_DEFAULT_TENANT_HOSTS:
        tenant = default_tenant()
        return tenant if tenant.is_active else None
    return None


def tenant_for_slug(slug: str) -> Tenant | None:
    return Tenant.objects.filter(slug=slug, is_active=True).first()


def all_tenants() -> list[Tenant]:
    return list(Tenant.objects.filter(is_active=True).order_by("name"))
