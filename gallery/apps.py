from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = _("Gallery")

    def ready(self):
        from nailpro import maintenance, privacy

        from .booking_requests import booking_requests_purge
        from .privacy import GalleryPrivacy

        privacy.register(GalleryPrivacy(self.label))
        maintenance.register(booking_requests_purge)
        from . import services  # noqa: F401 - connects the file clean-up receiver
