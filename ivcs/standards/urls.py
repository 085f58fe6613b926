from django.urls import path

from ivcs.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("gap/", views.gap, name="gap"),
    path("held/", views.held, name="held"),
    path("financing/", views.financing, name="financing"),
    path("sector/<str:sector_id>/", views.sector, name="sector"),
    path("certifiers/<str:certifier_id>/", views.certifier, name="certifier"),
    path("buyers/<str:buyer_id>/", views.buyer, name="buyer"),
    path("buyers/<str:buyer_id>/requirements/new/", views.requirements_edit, name="requirements_new"),
    path("buyers/<str:buyer_id>/requirements/<str:set_id>/edit/", views.requirements_edit, name="requirements_edit"),
    # The same page under the edit page's name: reverse("standards:requirements_edit", args=[buyer]) is "new".
    path("buyers/<str:buyer_id>/requirements/new/", views.requirements_edit, name="requirements_edit"),
    path("<str:scheme_id>/", views.scheme, name="scheme"),
]
