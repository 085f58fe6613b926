"""Tenant fields refuse bad values with a message, before anything is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ivcs.tenants.models import Tenant, TenantDomain

pytestmark = pytest.mark.django_db


def _tenant(**fields: Any) -> Tenant:
    return Tenant(slug="nuevo", name="Nuevo", **fields)


def test_a_valid_tenant_passes_validation() -> None:
    _tenant(primary_colour="#1b6e3c", logo=SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * 100)).full_clean()


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"primary_colour": "red"}, "primary_colour"),
        ({"accent_colour": "#12345"}, "accent_colour"),
        ({"default_language": "fr"}, "default_language"),
        ({"enabled_modules": ["no-such-module"]}, "enabled_modules"),
        ({"enabled_modules": "matching"}, "enabled_modules"),
        ({"logo": SimpleUploadedFile("logo.svg", b"<svg/>")}, "logo"),
        ({"logo": SimpleUploadedFile("big.png", b"0" * (512 * 1024 + 1))}, "logo"),
    ],
)
def test_bad_values_are_refused_by_field(fields: dict[str, Any], bad_field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _tenant(**fields).full_clean()
    assert set(refused.value.message_dict) == {bad_field}


@pytest.mark.parametrize("host", ["https://comex.example.org", "comex.example.org/path", "bad host", "-x.org"])
def test_host_names_must_be_bare_host_names(host: str, default_tenant: Tenant) -> None:
    with pytest.raises(ValidationError):
        TenantDomain(tenant=default_tenant, host=host).full_clean()


def test_operators_see_field_errors_in_the_admin_not_a_crash(client: Any, make_user: Any) -> None:
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.post(
        "/operator/tenants/tenant/add/",
        {
            "slug": "comex",
            "name": "Comex",
            "primary_colour": "not-a-colour",
            "accent_colour": "#e69138",
            "default_language": "es",
            "enabled_modules": "[]",
            "is_active": "on",
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "0",
            "domains-0-host": "comex.example.org",
        },
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Tenant.objects.filter(slug="comex").exists()
    assert not TenantDomain.objects.filter(host="comex.example.org").exists()
