from django.urls import path

from . import views

app_name = "gallery"

urlpatterns = [
    path("", views.photo_list, name="list"),
    path("upload/", views.photo_upload, name="upload"),
    path("<uuid:photo_id>/", views.photo_detail, name="detail"),
    path("<uuid:photo_id>/image/", views.photo_image, name="image"),
    path("<uuid:photo_id>/thumbnail/", views.photo_thumbnail, name="thumbnail"),
    path("<uuid:photo_id>/portfolio/", views.photo_portfolio, name="portfolio"),
    path("<uuid:photo_id>/delete/", views.photo_delete, name="delete"),
]
