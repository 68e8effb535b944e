from django.urls import path

from . import portfolio

app_name = "portfolio"

urlpatterns = [
    # An address cannot start with a hyphen, so "-/" never shadows a portfolio.
    path("-/settings/", portfolio.portfolio_settings, name="settings"),
    path("<slug:slug>/", portfolio.portfolio_page, name="page"),
    path("<slug:slug>/<uuid:photo_id>.webp", portfolio.portfolio_image, name="image"),
    path("<slug:slug>/photos/<uuid:photo_id>/", portfolio.portfolio_photo, name="photo"),
    path("<slug:slug>/request/", portfolio.portfolio_request, name="request"),
    path("<slug:slug>/request/sent/", portfolio.portfolio_request_sent, name="request_sent"),
]
