"""One error envelope for the whole API: {"error": {"code", "message", "details"}} with a 4xx.

Validation errors name the field they concern. Anything unexpected is logged and answered with a
500 in the same envelope; a 500 is always a bug to fix.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from ivcs.accounts.services import AccountError
from ivcs.core.errors import FieldErrors, UnknownValue

log = logging.getLogger("ivcs.api")
# Domain refusals that are about the state of the data rather than the request's form: 409.
CONFLICT_CODES = frozenset({"duplicate", "not_ready", "stale"})


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorEnvelope(Schema):
    error: ErrorBody


def envelope(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """('body', 'payload', 'name') -> 'name'; ('query', 'limit') -> 'limit'."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {"field": field_name(err.get("loc", ())), "message": err.get("msg", ""), "type": err.get("type", "")}
            for err in exc.errors
        ]
        return envelope(api, request, 422, "validation_error", _("Some fields are not valid."), details)

    @api.exception_handler(DjangoValidationError)
    def model_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            details = [
                {"field": field, "message": " ".join(str(m) for e in errors for m in e.messages), "type": "invalid"}
                for field, errors in exc.error_dict.items()
            ]
        else:
            details = [{"field": "body", "message": " ".join(exc.messages), "type": "invalid"}]
        return envelope(api, request, 422, "validation_error", _("Some fields are not valid."), details)

    @api.exception_handler(AccountError)
    def domain_error(request: HttpRequest, exc: AccountError) -> HttpResponse:
        status = 409 if exc.code in {"email_taken", "already_member"} else 422
        details = [{"field": exc.field, "message": exc.message, "type": exc.code}] if exc.field else None
        return envelope(api, request, status, exc.code, exc.message, details)

    @api.exception_handler(FieldErrors)
    def field_errors(request: HttpRequest, exc: FieldErrors) -> HttpResponse:
        status = 409 if exc.code in CONFLICT_CODES else 422
        return envelope(api, request, status, exc.code, exc.message, exc.as_details())

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return envelope(
            api, request, 401, "unauthenticated", _("Send a valid API key (Authorization: Bearer ...) or sign in.")
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return envelope(api, request, 403, "forbidden", _("You are not allowed to do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return envelope(api, request, 404, "not_found", str(exc) or _("Not found."))

    @api.exception_handler(UnknownValue)
    def unknown_value(request: HttpRequest, exc: UnknownValue) -> HttpResponse:
        status = 404 if exc.location == "path" else 422
        message = _("Unknown %(field)s: %(value)s") % {"field": exc.field, "value": exc.value}
        details = [{"field": exc.field, "message": message, "type": "unknown", "value": str(exc.value)}]
        return envelope(api, request, status, "not_found" if status == 404 else "unknown_value", message, details)

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return envelope(api, request, 429, "rate_limited", _("Too many requests."), {"retry_after": exc.wait})

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "bad_request",
            401: "unauthenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
        }
        message = exc.message
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            code_name, message = "malformed_json", _("The request body is not valid JSON.")
        elif exc.status_code == 403 and "CSRF" in message:
            code_name = "csrf_failed"
            message = _("Send the CSRF token (X-CSRFToken header) with browser-session requests, or use an API key.")
        else:
            code_name = code.get(exc.status_code, "http_error")
        return envelope(api, request, exc.status_code, code_name, message)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return envelope(api, request, 413, "body_too_large", _("The request body is too large."))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return envelope(api, request, 400, "bad_request", _("The request could not be understood."))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("unhandled API error on %s %s", request.method, request.path)
        return envelope(api, request, 500, "internal_error", _("Something went wrong on our side. It has been logged."))


ERRORS: dict[int, type[ErrorEnvelope]] = {
    400: ErrorEnvelope,
    401: ErrorEnvelope,
    403: ErrorEnvelope,
    404: ErrorEnvelope,
    409: ErrorEnvelope,
    413: ErrorEnvelope,
    422: ErrorEnvelope,
}
