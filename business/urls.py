from django.urls import path

from . import booking_requests, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("to-rebook/", views.rebook_list, name="rebook_list"),
    path("lapsed/", views.lapsed_list, name="lapsed_list"),
    path("requests/", booking_requests.booking_request_list, name="booking_requests"),
    path(
        "requests/<uuid:bookingrequest_id>/book/",
        booking_requests.booking_request_book,
        name="booking_request_book",
    ),
    path(
        "requests/<uuid:bookingrequest_id>/dismiss/",
        booking_requests.booking_request_dismiss,
        name="booking_request_dismiss",
    ),
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
