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

        from django.db.models.signals import post_delete, post_save

        from clients.models import Client
        from nailpro.models import Account

        from . import figures
        from .models import Visit

        # The kept figures follow visits deleted with their client, her time zone, and whether
        # a client is blacklisted or erased.
        post_delete.connect(figures.visit_deleted, sender=Visit, dispatch_uid="visits_days")
        post_save.connect(figures.account_saved, sender=Account, dispatch_uid="visits_tz")
        post_save.connect(figures.client_saved, sender=Client, dispatch_uid="visits_listed")
