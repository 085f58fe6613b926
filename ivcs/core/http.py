"""Small request helpers shared by pages and the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse, set_script_prefix


def remember_language(response: HttpResponse, language: str) -> None:
    """Set the language cookie that LanguageMiddleware reads (after ?lang=, a login, a profile save)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SECURE_COOKIES,
        httponly=True,
    )


def client_address(request: HttpRequest) -> str:
    """The client's address for rate limits.

    Behind a reverse proxy, set IVCS_CLIENT_IP_HEADER (e.g. HTTP_X_REAL_IP, or HTTP_X_FORWARDED_FOR,
    of which the last hop the proxy added is used); otherwise REMOTE_ADDR. A request with no address
    at all (gunicorn on a Unix socket, no header) is counted under one shared key rather than
    failing.
    """
    header = settings.IVCS_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or "unknown"


def client_address_key(_group: str, request: HttpRequest) -> str:
    """django-ratelimit key function: the client's address."""
    return client_address(request)


def over_limit(
    request: HttpRequest, group: str, rate: str, *, key: Any = client_address_key, methods: tuple[str, ...] = ("POST",)
) -> bool:
    """Count this request against `rate` for `group` (django-ratelimit); True when it goes over."""
    from django_ratelimit.core import is_ratelimited

    return bool(is_ratelimited(request, group=group, key=key, rate=rate, method=list(methods), increment=True))


def site_base_url(request: HttpRequest) -> str:
    """The absolute base URL of the current site, with a tenant's /t/<slug> prefix if any."""
    return request.build_absolute_uri(get_script_prefix()).rstrip("/")


def absolute_url(base_url: str, viewname: str, **kwargs: object) -> str:
    """`base_url` (which carries any tenant prefix) + the path of `viewname` from the site root.

    Used where a link is built away from its request (outbox handlers): the current script prefix
    may be another request's, or none, so the path is reversed against '/' explicitly.
    """
    previous = get_script_prefix()
    set_script_prefix("/")
    try:
        path = reverse(viewname, kwargs=kwargs or None)
    finally:
        set_script_prefix(previous)
    return base_url.rstrip("/") + path
