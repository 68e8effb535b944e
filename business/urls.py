from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("to-rebook/", views.rebook_list, name="rebook_list"),
    path("lapsed/", views.lapsed_list, name="lapsed_list"),
    path("account/", views.account_settings, name="account"),
    path("account/privacy/", views.privacy, name="privacy"),
    path("account/retention/", views.retention, name="retention"),
    path("account/retention/erase/", views.retention_erase, name="retention_erase"),
    path("account/export/", views.account_export, name="account_export"),
    path(
        "account/export/<uuid:accountexport_id>/download/",
        views.account_export_download,
        name="account_export_download",
    ),
    path("account/delete/", views.account_delete, name="account_delete"),
]
