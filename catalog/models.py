"""The catalog: the allergen reference list shared by all, and each account's services and
products."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nailpro.models import AccountOwned
from nailpro.text import fold


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
    def short_name(self):
        """Return the name without its explanation: 'HEMA' for 'HEMA (méthacrylate de…)'.

        An acronym in brackets is the short name ('DBP'); brackets inside a name stay
        ('Autres (méth)acrylates').
        """
        match = re.fullmatch(r"(.+?) \(([^()]+)\)", self.name)
        if match is None:
            return self.name
        head, inner = match.groups()
        return inner if inner.isupper() else head

    @property
    def description(self):
        """Return the description in the active language, as `name` does."""
        if (get_language() or "").startswith("en"):
            return self.description_en
        return self.description_fr


class Service(AccountOwned):
    """A service the technician sells: its usual duration and price, and its agenda colour."""

    name = models.CharField(_("name"), max_length=120)
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5)]
    )
    price = models.DecimalField(
        _("price"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    category = models.CharField(
        _("category"),
        max_length=40,
        blank=True,
        help_text=_("E.g. Hands, Feet, Nail art: the visit groups its services by category."),
    )
    rebook_after_weeks = models.PositiveSmallIntegerField(
        _("book again after (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("E.g. 3 for a refill: “book again” proposes this delay."),
    )
    colour = models.CharField(
        _("colour in the agenda"),
        max_length=7,
        default="#c2577f",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Choose a colour like #c2577f."))],
    )
    archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_("No longer offered for new visits; past visits keep it."),
    )
    public = models.BooleanField(
        _("show on your public page"),
        default=False,
        help_text=_("Its name, price and duration appear on your public page."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["archived", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.archived and self.active_namesakes():
            raise ValidationError(
                {
                    "name": ValidationError(
                        _("You already offer a service called “%(name)s”: choose another name."),
                        code="duplicate",
                        params={"name": self.name.strip()},
                    )
                }
            )

    def active_namesakes(self):
        """Return the account's other active services with this name, whatever its case."""
        key = fold(self.name) or (self.name or "").strip().casefold()
        if not key:
            return []
        # Read whatever the active scope (the admin has none), for this account only.
        others = Service._base_manager.filter(account_id=self.account_id, archived=False)
        return [
            other
            for other in others.exclude(pk=self.pk).only("name")
            if (fold(other.name) or other.name.strip().casefold()) == key
        ]


class Product(AccountOwned):
    """A product she uses, with its allergens: the allergy check of each visit reads them."""

    class Category(models.TextChoices):
        BASE = "base", _("Base")
        BUILDER_GEL = "builder_gel", _("Builder gel")
        COLOUR_GEL = "colour_gel", _("Colour gel")
        TOP_COAT = "top_coat", _("Top coat")
        POLISH = "polish", _("Polish")
        PRIMER = "primer", _("Primer")
        ACRYLIC_POWDER = "acrylic_powder", _("Acrylic powder")
        ACRYLIC_LIQUID = "acrylic_liquid", _("Acrylic liquid")
        CARE = "care", _("Care")
        TOOL = "tool", _("Tool")
        OTHER = "other", _("Other")

    brand = models.CharField(_("brand"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    shade = models.CharField(_("shade or reference"), max_length=80, blank=True)
    allergens = models.ManyToManyField(
        Allergen, blank=True, related_name="+", verbose_name=_("allergens")
    )
    notes = models.TextField(_("notes"), blank=True)
    archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_("No longer offered for new visits; past visits keep it."),
    )
    # Brand, name and shade folded for search ("ongle" finds "Ongle Étoile").
    search_text = models.CharField(max_length=300, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["archived", "brand", "name", "shade"]

    def __str__(self):
        return " ".join(part for part in (self.brand, self.name, self.shade) if part)

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.brand} {self.name} {self.shade}")
        super().save(*args, **kwargs)
