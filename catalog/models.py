"""Reference lists shared by every account: the allergens a technician can flag on a client."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Allergen(models.Model):
    """A substance of nail products known to cause allergies: a global reference list.

    It holds no technician's data, so it is not account-owned; staff maintain it in the admin
    and the common entries ship in a data migration.
    """

    class Family(models.TextChoices):
        ACRYLATES = "acrylates", _("(meth)acrylates")
        ADHESIVES = "adhesives", _("adhesives (cyanoacrylates)")
        PHOTOINITIATORS = "photoinitiators", _("photoinitiators")
        SOLVENTS = "solvents", _("solvents")
        PRESERVATIVES = "preservatives", _("preservatives")
        PLASTICISERS = "plasticisers", _("plasticisers")
        METALS = "metals", _("metals")
        LATEX = "latex", _("latex")
        FRAGRANCE = "fragrance", _("fragrance")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_fr = models.CharField(_("French name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    family = models.CharField(
        _("family"), max_length=32, choices=Family.choices, default=Family.OTHER
    )
    description_fr = models.TextField(
        _("French description"),
        blank=True,
        help_text=_("Where it is found in nail products, in one line."),
    )
    description_en = models.TextField(
        _("English description"),
        blank=True,
        help_text=_("Where it is found in nail products, in one line."),
    )
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive allergens stay on existing records but are no longer offered."),
    )

    class Meta:
        verbose_name = _("allergen")
        verbose_name_plural = _("allergens")
        ordering = ["order", "name_fr"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """Return the name in the active language: English for English, French otherwise."""
        if (get_language() or "").startswith("en"):
            return self.name_en
        return self.name_fr

    @property
    def description(self):
        """Return the description in the active language, as `name` does."""
        if (get_language() or "").startswith("en"):
            return self.description_en
        return self.description_fr
