"""Where an understood sentence leads: the module for each intent, when that module exists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# intent -> (module key, URL name of the module's entry page)
INTENT_MODULES: dict[str, tuple[str, str]] = {
    "find_buyers": ("opportunities", "opportunities:search"),
    "certifications": ("standards", "standards:search"),
    "financing": ("standards", "standards:financing"),
    "rules_of_origin": ("origin", "origin:assess"),
    "inputs": ("chains", "chains:explore"),
    "studies": ("library", "library:search"),
    "explore": ("products", "products:hs_code"),
}


def next_step(intent: str, tenant: Any, *, product_code: str | None) -> dict[str, Any]:
    """{"module", "available", "url"}: url is None while the module has not landed (or is switched off)."""
    module, url_name = INTENT_MODULES.get(intent, INTENT_MODULES["explore"])
    if module == "products":
        url = reverse("products:hs_code", kwargs={"code": product_code}) if product_code else None
        return {"module": module, "available": url is not None, "url": url}
    enabled = module in settings.IVCS_MODULES and (tenant is None or tenant.module_enabled(module))
    if not enabled:
        return {"module": module, "available": False, "url": None}
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return {"module": module, "available": False, "url": None}
    if product_code:
        url += f"?hs={product_code}"
    return {"module": module, "available": True, "url": url}
