from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "NailPro — staff"
admin.site.site_title = "NailPro staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("to-rebook/", views.rebook_list, name="rebook_list"),
    path("lapsed/", views.lapsed_list, name="lapsed_list"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
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
    path("language/", views.switch_language, name="switch_language"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("clients/<uuid:client_id>/export/", views.client_export, name="client_export"),
    path("clients/", include("clients.urls")),
    path("billing/", include("billing.urls")),
    path("catalog/", include("catalog.urls")),
    path("visits/", include("visits.urls")),
    path("gallery/", include("gallery.urls")),
    path("agenda/", include("agenda.urls")),
    path("p/", include("gallery.portfolio_urls")),
    path("admin/", admin.site.urls),
]
