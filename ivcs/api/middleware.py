"""Keep every error under /api/ in the API's envelope, whoever produced it.

django-ninja answers a wrong method with a plain-text 405, and Django's own machinery may answer a
bad request with HTML; API clients must always get {"error": {"code", "message", "details"}}.
"""

from __future__ import annotations

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


class ApiErrorEnvelopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
