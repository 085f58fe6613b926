from django.urls import path

from ivcs.library import views

app_name = "library"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:document_id>/", views.document, name="document"),
    path("<int:document_id>/download/", views.download, name="download"),
    path("publishers/<slug:slug>/", views.publisher, name="publisher"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.upload, name="upload"),
    path("manage/<int:document_id>/", views.review, name="review"),
    path("manage/<int:document_id>/progress/", views.progress, name="progress"),
]
