from django.urls import path

from ivcs.origin import views

app_name = "origin"

urlpatterns = [
    path("", views.assess, name="assess"),
    path("agreements/", views.agreements, name="agreements"),
    path("glossary/", views.glossary, name="glossary"),
]
