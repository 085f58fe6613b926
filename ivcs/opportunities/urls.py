from django.urls import path

from ivcs.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("", views.search, name="search"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("<int:opportunity_id>/", views.detail, name="detail"),
    path("<int:opportunity_id>/edit/", views.edit, name="edit"),
    path("<int:opportunity_id>/engage/", views.engage, name="engage"),
    path("<int:opportunity_id>/status/", views.change_status, name="status"),
    path("<int:opportunity_id>/suppliers/", views.suppliers, name="suppliers"),
    path("<int:opportunity_id>/suppliers/<slug:org_slug>/", views.answer, name="answer"),
]
