from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits")

    def ready(self):
        from nailpro import privacy

        from .privacy import VisitsPrivacy

        privacy.register(VisitsPrivacy(self.label))

        from .list_export import register

        register()  # long visit lists are exported by the worker
