"""Keep every error under /api/ in the API's envelope, whoever produced it.

django-ninja answers a wrong method with a plain-text 405, and Django's own machinery may answer a
bad request with HTML; API clients must always get {"error": {"code", "message", "details"}}.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    429: "rate_limited",
}


def _message(status: int) -> str:
    messages = {
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
        429: _("Too many requests."),
    }
    return messages.get(status, _("The request could not be understood."))


def _contains_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def _has_nul(request: HttpRequest) -> bool:
    """A NUL character in the path, the query string or a string of a JSON body."""
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method in {"POST", "PUT", "PATCH"} and request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except Exception:  # malformed or too large: the API's own checks answer that
            return False
        return _contains_nul(data)
    return False


class ApiErrorEnvelopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/") and _has_nul(request):
            # No text column can store a NUL character (PostgreSQL refuses it outright): refuse the
            # request at the door, with a clear message, instead of failing deep in a query.
            return JsonResponse(
                {
                    "error": {
                        "code": "bad_request",
                        "message": _("The request contains a NUL character (\\u0000), which is not allowed."),
                        "details": None,
                    }
                },
                status=400,
            )
        response = self.get_response(request)
        if (
            request.path_info.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            wrapped = JsonResponse(
                {"error": {"code": CODES.get(status, "http_error"), "message": _message(status), "details": None}},
                status=status,
            )
            if "Allow" in response:
                wrapped["Allow"] = response["Allow"]
            return wrapped
        return response
