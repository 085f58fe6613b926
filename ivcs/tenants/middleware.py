"""Resolving the tenant of each request and entering its query scope.

The tenant comes from the host name (a TenantDomain row) or, on the default tenant's hosts, from a
`/t/<slug>/` path prefix, which is then moved into SCRIPT_NAME so that every URL the site reverses
keeps the prefix. Unknown hosts and slugs get a clear 404, in JSON under /api/. The rest of the
request runs inside django-scopes' `scope(tenant=...)`: a query on a tenant-owned model outside a
scope raises instead of leaking another tenant's rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import get_script_prefix, set_script_prefix
from django.utils.translation import gettext as _
from django_scopes import scope

from ivcs.tenants.selectors import tenant_for_host, tenant_for_slug

PREFIX = re.compile(r"^/t/(?P<slug>[-a-zA-Z0-9_]+)(?P<rest>/.*)?$")


def _not_found(request: HttpRequest, message: str, path: str) -> HttpResponse:
    if path.startswith("/api/"):
        return JsonResponse({"error": {"code": "unknown_tenant", "message": message, "details": None}}, status=404)
    return render(request, "tenants/unknown.html", {"message": message}, status=404)


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        previous_prefix = get_script_prefix()
        host = request.get_host()
        tenant = tenant_for_host(host)
        path = request.path_info
        match = PREFIX.match(path)
        if match:
            path = match["rest"] or "/"  # what the error page kind (JSON or HTML) depends on
        if tenant is None:
            return _not_found(request, _("No IVCS site is configured for the host %(host)s.") % {"host": host}, path)
        if match:
            if not tenant.is_default:
                return _not_found(request, _("This address does not exist on this site."), path)
            prefixed = tenant_for_slug(match["slug"])
            if prefixed is None:
                return _not_found(
                    request, _("There is no partner site called “%(slug)s”.") % {"slug": match["slug"]}, path
                )
            tenant = prefixed
            script = request.META.get("SCRIPT_NAME", "").rstrip("/") + f"/t/{match['slug']}"
            request.META["SCRIPT_NAME"] = script
            request.path_info = match["rest"] or "/"
            request.path = script + request.path_info
            set_script_prefix(script + "/")
        request.tenant = tenant  # type: ignore[attr-defined]
        try:
            with scope(tenant=tenant):
                return self.get_response(request)
        finally:
            # The prefix is thread-local: never let it leak into the next request on this thread.
            set_script_prefix(previous_prefix)


def module_required(module: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Pages of a module answer 404 on a tenant that has switched the module off."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            tenant = getattr(request, "tenant", None)
            if module not in settings.IVCS_MODULES or (tenant is not None and not tenant.module_enabled(module)):
                raise Http404("module not enabled")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
