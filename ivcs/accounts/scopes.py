"""API key scopes: what a key may do. Each module adds its own scopes here as it lands."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SCOPES = {
    "org:read": _("Read the organisation's profile and its members"),
    "org:write": _("Change the organisation's profile"),
}


def unknown_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    return sorted(set(scopes) - set(SCOPES))
