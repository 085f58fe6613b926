from django.urls import path

from ivcs.chains import views

app_name = "chains"

urlpatterns = [
    path("", views.explore, name="explore"),
    path("mine/", views.mine, name="mine"),
    path("mine/new/", views.new, name="new"),
    path("mine/<int:bom_id>/", views.bom, name="bom"),
    path("mine/<int:bom_id>/delete/", views.bom_delete, name="bom_delete"),
    path("mine/<int:bom_id>/export.<str:fmt>", views.bom_export, name="bom_export"),
    path("<str:code>/", views.product, name="product"),
]
