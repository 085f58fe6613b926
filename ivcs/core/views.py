"""Site-wide pages: home, and the error pages (JSON under /api/, HTML elsewhere)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message, "details": None}}, status=status)
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "bad_request", _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "forbidden", _("You are not allowed to do this."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "not_found", _("This page does not exist."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "internal_error", _("Something went wrong on our side. It has been logged."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "csrf_failed",
        _("Your form expired or came from another site. Go back, reload the page and try again."),
    )


def rate_limited(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 429, "rate_limited", _("Too many requests. Please wait a moment and try again."))
