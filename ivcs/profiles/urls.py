from django.urls import path

from ivcs.profiles import views

app_name = "profiles"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("<slug:org_slug>/", views.detail, name="detail"),
    path("<slug:org_slug>/edit/", views.edit, name="edit"),
]
