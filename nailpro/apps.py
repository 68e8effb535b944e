from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NailproConfig(AppConfig):
    name = "nailpro"
    verbose_name = _("NailPro")

    def ready(self):
        from . import maintenance
        from .offline import replayed_requests_purge
        from .throttle import throttles_purge

        maintenance.register(throttles_purge)
        maintenance.register(replayed_requests_purge)
