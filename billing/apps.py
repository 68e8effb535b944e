from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from nailpro import privacy

        from .privacy import BillingPrivacy

        privacy.register(BillingPrivacy(self.label))
        from . import signals  # noqa: F401 - connects the receivers
