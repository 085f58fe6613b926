"""Tenant resolution: host names, the /t/<slug>/ prefix, unknown hosts and slugs, scoping."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import ScopeError, scope, scopes_disabled

from ivcs.accounts.models import Organisation
from ivcs.tenants.models import Tenant, TenantDomain

pytestmark = pytest.mark.django_db


def test_default_tenant_exists_from_the_first_migration() -> None:
    tenant = Tenant.objects.get(slug="ivcs")
    assert tenant.name == "IVCS" and tenant.is_default and tenant.is_active


def test_default_hosts_resolve_to_the_default_tenant(client: Client) -> None:
    response = client.get("/api/v1/site")
    assert response.status_code == 200 and response.json()["slug"] == "ivcs"


def test_a_mapped_host_resolves_to_its_tenant(client: Client, other_tenant: Tenant) -> None:
    response = client.get("/api/v1/site", HTTP_HOST="otro.example.org")
    body = response.json()
    assert body["slug"] == "otro" and body["primary_colour"] == "#123456"
    assert body["default_language"] == "pt-br"


def test_host_matching_ignores_case_and_port(client: Client, other_tenant: Tenant, settings: Any) -> None:
    response = client.get("/api/v1/site", HTTP_HOST="OTRO.example.org:8443")
    assert response.json()["slug"] == "otro"


def test_path_prefix_selects_a_tenant_and_urls_keep_the_prefix(client: Client, other_tenant: Tenant) -> None:
    response = client.get("/t/otro/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Otro Sitio" in html
    assert 'href="/t/otro/account/signup/"' in html, "reversed URLs carry the tenant prefix"
    assert client.get("/t/otro/api/v1/site").json()["slug"] == "otro"


def test_unknown_host_gets_a_clear_404(client: Client, other_tenant: Tenant) -> None:
    page = client.get("/", HTTP_HOST="unknown.example.org")
    assert page.status_code == 404 and "unknown.example.org" in page.content.decode()
    api = client.get("/api/v1/health", HTTP_HOST="unknown.example.org")
    assert api.status_code == 404 and api.json()["error"]["code"] == "unknown_tenant"


def test_unknown_or_inactive_slug_gets_a_404_in_the_right_format(client: Client, other_tenant: Tenant) -> None:
    assert client.get("/t/nope/").status_code == 404
    body = client.get("/t/nope/api/v1/health").json()
    assert body["error"]["code"] == "unknown_tenant"
    Tenant.objects.filter(pk=other_tenant.pk).update(is_active=False)
    assert client.get("/t/otro/").status_code == 404
    assert client.get("/api/v1/site", HTTP_HOST="otro.example.org").status_code == 404


def test_prefixes_are_not_honoured_on_a_partner_host(client: Client, other_tenant: Tenant) -> None:
    Tenant.objects.create(slug="tercero", name="Tercero")
    response = client.get("/t/tercero/api/v1/site", HTTP_HOST="otro.example.org")
    assert response.status_code == 404


def test_disallowed_hosts_are_refused_before_anything_else(client: Client) -> None:
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400


def test_tenant_owned_queries_outside_a_scope_raise() -> None:
    """Isolation by construction: no scope, no rows."""
    with scope(), pytest.raises(ScopeError):  # scoping on, no tenant entered
        list(Organisation.objects.all())


def test_scoped_queries_see_only_their_tenant(other_tenant: Tenant, make_org: Any) -> None:
    here = make_org(name="Aquí")
    there = make_org(name="Allá", tenant=other_tenant)
    with scope(tenant=other_tenant):
        assert list(Organisation.objects.all()) == [there]
    with scopes_disabled():
        assert set(Organisation.objects.all()) == {here, there}


def test_domains_are_stored_lower_case_and_unique(other_tenant: Tenant) -> None:
    domain = TenantDomain.objects.create(tenant=other_tenant, host="Comex.Example.ORG")
    assert domain.host == "comex.example.org"
