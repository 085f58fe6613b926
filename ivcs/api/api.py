"""The NinjaAPI of IVCS v1: routers of every domain, one error envelope, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

from ivcs import __version__
from ivcs.accounts.api import router as accounts_router
from ivcs.api import errors
from ivcs.api.core import router as core_router

api = NinjaAPI(
    title="IVCS API",
    version="1",
    description=(
        'Integrated Value Chain System. Errors are JSON `{"error": {"code", "message", "details"}}` '
        "with a 4xx status. Authenticate with `Authorization: Bearer <API key>` or a browser session. "
        "Language: `?lang=es|pt|en` or `Accept-Language`."
    ),
    urls_namespace="api",
    openapi_extra={"info": {"x-ivcs-version": __version__}},
)
errors.install(api)
api.add_router("/", core_router)
api.add_router("/", accounts_router)
