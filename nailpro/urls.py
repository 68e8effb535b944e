from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clients.views import consent_remote, data_export

from . import views

admin.site.site_header = "NailPro — staff"
admin.site.site_title = "NailPro staff"

urlpatterns = [
    # Her business as a whole: dashboard, account page, exports (un-namespaced URL names).
    path("", include("business.urls")),
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
    path("accounts/pin/", views.kiosk_pin, name="kiosk_pin"),
    path("accounts/kiosk/unlock/", views.kiosk_unlock_view, name="kiosk_unlock"),
    path("language/", views.switch_language, name="switch_language"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline_page, name="offline"),
    # Un-namespaced, as it always was: the card and the list link to it by this name.
    path("clients/<uuid:client_id>/export/", data_export.client_export, name="client_export"),
    # The consent form sent to her as a link, signed on her own phone without an account.
    path("f/signed/", consent_remote.consent_remote_done, name="consent_remote_done"),
    path("f/<str:token>/", consent_remote.consent_remote, name="consent_remote"),
    path("clients/", include("clients.urls")),
    path("billing/", include("billing.urls")),
    path("catalog/", include("catalog.urls")),
    path("visits/", include("visits.urls")),
    path("gallery/", include("gallery.urls")),
    path("agenda/", include("agenda.urls")),
    path("p/", include("gallery.portfolio_urls")),
    path("r/", include("agenda.reply_urls")),
    path("admin/", admin.site.urls),
]
