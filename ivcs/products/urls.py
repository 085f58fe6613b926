from django.urls import path

from ivcs.products import views

app_name = "products"

urlpatterns = [
    path("search/", views.answer, name="answer"),
    path("hs/suggest/", views.hs_suggest, name="hs_suggest"),
    path("hs/<str:code>/", views.hs_code, name="hs_code"),
]
