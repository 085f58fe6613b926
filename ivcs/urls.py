"""Root URLs. Tenants on a path prefix (/t/<slug>/) see the same tree under their prefix."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from ivcs.api.api import api
from ivcs.core import views as core_views

urlpatterns = [
    path("", include("ivcs.core.urls")),
    path("account/", include("ivcs.accounts.urls")),
    path("", include("ivcs.products.urls")),
    path("standards/", include("ivcs.standards.urls")),
    path("opportunities/", include("ivcs.opportunities.urls")),
    path("profile/", include("ivcs.profiles.urls")),
    path("chains/", include("ivcs.chains.urls")),
    path("origin/", include("ivcs.origin.urls")),
    path("library/", include("ivcs.library.urls")),
    path("operator/", admin.site.urls),
    path("api/v1/", api.urls),
    # Unknown API paths answer in the API's error envelope, also with DEBUG on.
    re_path(r"^api/", core_views.page_not_found),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
