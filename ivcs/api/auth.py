"""API authentication: `Authorization: Bearer <key>` for machine clients, the session for pages.

A key is looked up on the current tenant only (the ApiKey manager is tenant-scoped), so a key of one
partner site is refused on another.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from ivcs.accounts.services import authenticate_api_key


class ApiKeyAuth(HttpBearer):
    openapi_description = "An organisation's API key: `Authorization: Bearer ivcs_xxxxxxxx_...`"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return authenticate_api_key(token)


class VerifiedSessionAuth(SessionAuth):
    """The signed-in user of the browser session (CSRF-checked on unsafe methods)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if "HTTP_AUTHORIZATION" in request.META:
            # A request that sends credentials is judged by them alone: never by a cookie, and not
            # refused for a missing CSRF token it has no reason to send.
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        user = super().authenticate(request, key)
        return user if user is not None and getattr(user, "email_verified", False) else None


key_or_session = [ApiKeyAuth(), VerifiedSessionAuth()]
session_only = [VerifiedSessionAuth()]
