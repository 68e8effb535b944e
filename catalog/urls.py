from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.service_list, name="index"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/<uuid:service_id>/", views.service_edit, name="service_edit"),
    path(
        "services/<uuid:service_id>/archive/",
        views.service_archive,
        {"archived": True},
        name="service_archive",
    ),
    path(
        "services/<uuid:service_id>/restore/",
        views.service_archive,
        {"archived": False},
        name="service_restore",
    ),
    path("products/", views.product_list, name="products"),
    path("products/new/", views.product_new, name="product_new"),
    path("products/<uuid:product_id>/", views.product_edit, name="product_edit"),
    path(
        "products/<uuid:product_id>/archive/",
        views.product_archive,
        {"archived": True},
        name="product_archive",
    ),
    path(
        "products/<uuid:product_id>/restore/",
        views.product_archive,
        {"archived": False},
        name="product_restore",
    ),
]
