"""The operator area: Django's admin, themed, seeing across tenants.

Operators curate data for every partner site, so admin views run with tenant scoping disabled;
only staff users get in.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled


class OperatorAdminSite(admin.AdminSite):
    site_header = _("IVCS operator area")
    site_title = _("IVCS operators")
    index_title = _("Tenants, organisations and accounts")

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def unscoped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            with scopes_disabled():
                return inner(request, *args, **kwargs)

        return unscoped


class OperatorAdminConfig(AdminConfig):
    default_site = "ivcs.admin_site.OperatorAdminSite"
