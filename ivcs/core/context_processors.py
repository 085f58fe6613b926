"""Template context for every page: the tenant, the language switcher, the navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Module key -> (navigation label, URL name of its entry page), in navigation order.
MODULE_NAV = {
    "opportunities": (_("Opportunities"), "opportunities:search"),
    "standards": (_("Standards and certifications"), "standards:search"),
    "chains": (_("Product chains"), "chains:explore"),
    "origin": (_("Rules of origin"), "origin:assess"),
    "library": (_("Studies"), "library:search"),
}

LANGUAGE_LABELS = {"es": "Español", "pt-br": "Português", "en": "English"}
LANGUAGE_SHORT = {"es": "ES", "pt-br": "PT", "en": "EN"}


def _switch_url(request: HttpRequest, code: str) -> str:
    query = request.GET.copy()
    query["lang"] = "pt" if code == "pt-br" else code
    return f"{request.path}?{query.urlencode()}"


def site(request: HttpRequest) -> dict[str, Any]:
    tenant = getattr(request, "tenant", None)
    current = get_language() or settings.LANGUAGE_CODE
    languages = [
        {
            "code": code,
            "label": LANGUAGE_LABELS.get(code, code),
            "short": LANGUAGE_SHORT.get(code, code),
            "url": _switch_url(request, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    # Navigation shows only what exists: modules add entries as they land.
    nav = [{"label": _("Home"), "url": reverse("core:home"), "key": "home"}]
    for module, (label, url_name) in MODULE_NAV.items():
        if module in settings.IVCS_MODULES and (tenant is None or tenant.module_enabled(module)):
            nav.append({"label": label, "url": reverse(url_name), "key": module})
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        nav.append({"label": _("My account"), "url": reverse("accounts:dashboard"), "key": "account"})
        if user.is_staff:
            nav.append({"label": _("Operator area"), "url": reverse("admin:index"), "key": "operator"})
    return {"tenant": tenant, "languages": languages, "current_language": current, "nav": nav}
