from django.urls import path

from . import portfolio

app_name = "portfolio"

urlpatterns = [
    # An address cannot start with a hyphen, so "-/" never shadows a portfolio.
    path("-/settings/", portfolio.portfolio_settings, name="settings"),
    path("<slug:slug>/", portfolio.portfolio_page, name="page"),
    path("<slug:slug>/<uuid:photo_id>.webp", portfolio.portfolio_image, name="image"),
]
