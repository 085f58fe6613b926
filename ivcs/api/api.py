"""The NinjaAPI of IVCS v1: routers of every domain, one error envelope, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from ivcs import __version__
from ivcs.accounts.api import router as accounts_router
from ivcs.api import errors
from ivcs.api.core import router as core_router
from ivcs.chains.api import router as chains_router
from ivcs.library.api import router as library_router
from ivcs.opportunities.api import router as opportunities_router
from ivcs.opportunities.api_matching import router as matching_router
from ivcs.origin.api import router as origin_router
from ivcs.products.api import router as products_router
from ivcs.profiles.api import router as profiles_router
from ivcs.standards.api import router as standards_router


class IvcsApi(NinjaAPI):
    """NinjaAPI whose OpenAPI document is built once per URL prefix and language, not per request
    (building it costs as much as ~50 ordinary requests)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[tuple[str, str], OpenAPISchema] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language() or "")
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._schemas[key]


api = IvcsApi(
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
api.add_router("/", products_router)
api.add_router("/", standards_router)
api.add_router("/", opportunities_router)
api.add_router("/", matching_router)
api.add_router("/", profiles_router)
api.add_router("/", chains_router)
api.add_router("/", origin_router)
api.add_router("/", library_router)
