from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from nailpro import maintenance, privacy

        from .privacy import ClientsPrivacy

        privacy.register(ClientsPrivacy(self.label))
        from . import signals  # noqa: F401 - connects the receivers
        from .importing import imports_purge, imports_recover
        from .list_export import list_exports_purge

        maintenance.register(imports_purge)  # first: what is purged is not resumed
        maintenance.register(imports_recover)
        maintenance.register(list_exports_purge)
        from .services import consent_links_purge

        maintenance.register(consent_links_purge)
