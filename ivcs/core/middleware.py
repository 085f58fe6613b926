"""Choosing the language of each request.

Precedence: `?lang=` (remembered in a cookie for pages), the language cookie, the signed-in user's
preferred language, the browser's Accept-Language, the tenant's default language, then Spanish.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import trans_real

from ivcs.core.http import remember_language
from ivcs.core.i18n import normalise_language


def choose_language(request: HttpRequest) -> tuple[str, bool]:
    """The language for this request, and whether it came from an explicit `?lang=`."""
    explicit = normalise_language(request.GET.get("lang"))
    if explicit:
        return explicit, True
    cookie = normalise_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if cookie:
        return cookie, False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        preferred = normalise_language(getattr(user, "language", ""))
        if preferred:
            return preferred, False
    accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in trans_real.parse_accept_lang_header(accept):
        if code == "*":
            break
        found = normalise_language(code)
        if found:
            return found, False
    tenant = getattr(request, "tenant", None)
    tenant_default = normalise_language(getattr(tenant, "default_language", ""))
    return tenant_default or settings.LANGUAGE_CODE, False


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language, explicit = choose_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        if explicit and not request.path_info.startswith("/api/"):
            remember_language(response, language)
        return response
