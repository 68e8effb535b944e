from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.billing_index, name="index"),
    path("checkout/", views.checkout, name="checkout"),
    path("portal/", views.portal, name="portal"),
    path("webhook/", views.webhook, name="webhook"),
]
