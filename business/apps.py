from django.apps import AppConfig


class BusinessConfig(AppConfig):
    """Her business as a whole: dashboard, account page, export, deletion, retention."""

    name = "business"

    def ready(self):
        from nailpro import privacy

        from .privacy import BusinessPrivacy

        privacy.register(BusinessPrivacy(self.label))
