from django.apps import AppConfig


class BusinessConfig(AppConfig):
    """Her business as a whole: dashboard, account page, export, deletion, retention."""

    name = "business"
