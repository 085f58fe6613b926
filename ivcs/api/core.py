"""Public API operations of the core: health, the current site (tenant), countries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Router, Schema
from ninja.responses import Status

from ivcs import __version__
from ivcs.core import health
from ivcs.core.i18n import country_choices

router = Router(tags=["core"])


class HealthOut(Schema):
    status: str
    version: str
    database: dict[str, Any]
    queue: dict[str, Any]
    outbox: dict[str, Any]


@router.get("/health", response={200: HealthOut, 503: HealthOut}, auth=None, summary="Database and queue status")
def get_health(request: HttpRequest) -> Status[dict[str, Any]]:
    report = health.overall()
    return Status(200 if report["status"] == "ok" else 503, {"version": __version__, **report})


class TenantOut(Schema):
    slug: str
    name: str
    primary_colour: str
    accent_colour: str
    default_language: str
    languages: list[str]
    enabled_modules: list[str]
    logo_url: str | None


@router.get("/site", response=TenantOut, auth=None, summary="The partner site (tenant) serving this request")
def get_site(request: HttpRequest) -> dict[str, Any]:
    tenant = request.tenant  # type: ignore[attr-defined]
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "primary_colour": tenant.primary_colour,
        "accent_colour": tenant.accent_colour,
        "default_language": tenant.default_language,
        "languages": [code for code, _name in settings.LANGUAGES],
        "enabled_modules": [m for m in tenant.enabled_modules if m in settings.IVCS_MODULES],
        "logo_url": request.build_absolute_uri(tenant.logo.url) if tenant.logo else None,
    }


class CountryOut(Schema):
    code: str
    name: str


@router.get(
    "/countries",
    response=list[CountryOut],
    auth=None,
    summary="ISO 3166-1 countries, named in the request's language (?lang= or Accept-Language)",
)
def list_countries(request: HttpRequest, response: HttpResponse) -> list[dict[str, str]]:
    response.headers["Cache-Control"] = "public, max-age=86400"
    return [{"code": code, "name": name} for code, name in country_choices(get_language())]
