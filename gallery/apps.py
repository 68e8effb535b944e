from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = _("Gallery")

    def ready(self):
        from nailpro import privacy

        from .privacy import GalleryPrivacy

        privacy.register(GalleryPrivacy(self.label))
        from . import services  # noqa: F401 - connects the file clean-up receiver
