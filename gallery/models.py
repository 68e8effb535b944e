"""Photos: before/after of a visit, inspiration and results, private to their technician;
and her public portfolio of the photos she chooses, with her clients' consent."""

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager
from phonenumber_field.modelfields import PhoneNumberField

from clients.models import Client, ConsentEvent
from nailpro.images import THUMB_EDGE
from nailpro.models import AccountOwned
from visits.models import Visit

TAGS = [
    ("french", pgettext_lazy("nail style", "French")),
    ("baby_boomer", _("Baby boomer")),
    ("chrome", _("Chrome")),
    ("ombre", _("Ombré")),
    ("nail_art", _("Nail art")),
    ("glitter", _("Glitter")),
    ("nude", _("Nude")),
    ("matte", _("Matte")),
    ("cat_eye", _("Cat eye")),
    ("floral", _("Floral")),
]


def photo_path(photo, filename):
    """Store a photo under her account's folder with a generated name, never the uploaded one."""
    return f"accounts/{photo.account_id}/photos/{photo.pk}/{uuid.uuid4().hex}{filename[-5:]}"


class PhotoQuerySet(models.QuerySet):
    def in_public_portfolio(self):
        """Photos chosen for the portfolio whose client's image-rights consent is in force."""
        return [
            photo
            for photo in self.filter(in_portfolio=True).select_related("client")
            if photo.client.has_consent(ConsentEvent.Kind.IMAGE_RIGHTS)
        ]


class Photo(AccountOwned):
    class Kind(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")
        INSPIRATION = "inspiration", _("Inspiration")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="photos", verbose_name=_("client")
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        related_name="photos",
        null=True,
        blank=True,
        verbose_name=_("visit"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.AFTER)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    # Space-separated tag codes, with spaces at both ends so " chrome " finds one tag.
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    image = models.FileField(upload_to=photo_path, max_length=255, editable=False)
    thumbnail = models.FileField(upload_to=photo_path, max_length=255, editable=False)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    in_portfolio = models.BooleanField(_("in the portfolio"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = ScopedManager(
        account="account", _manager_class=models.Manager.from_queryset(PhotoQuerySet)
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "created_at"], name="photo_account_date")]

    def __str__(self):
        return self.caption or self.get_kind_display()

    def get_absolute_url(self):
        return reverse("gallery:detail", kwargs={"photo_id": self.pk})

    @property
    def tag_list(self):
        return self.tags.split()

    @property
    def tag_labels(self):
        labels = dict(TAGS)
        return [labels.get(tag, tag) for tag in self.tag_list]

    def set_tags(self, tags):
        self.tags = f" {' '.join(tags)} " if tags else ""

    @property
    def thumb_width(self):
        return self._thumb_size()[0]

    @property
    def thumb_height(self):
        return self._thumb_size()[1]

    def _thumb_size(self):
        scale = min(1, THUMB_EDGE / max(self.width, self.height, 1))
        return round(self.width * scale), round(self.height * scale)

    def stored_files(self):
        return [f for f in (self.image, self.thumbnail) if f]


class Portfolio(AccountOwned):
    """Her public page: off until she turns it on and chooses its address."""

    slug = models.SlugField(
        _("address of your page"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9-]{3,60}$", _("3 to 60 lower-case letters, digits or hyphens.")
            )
        ],
        help_text=_("Your page will be at /p/<address>/, e.g. lea-ongles."),
    )
    enabled = models.BooleanField(_("public page on"), default=False)
    title = models.CharField(_("title"), max_length=120, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    area = models.CharField(
        _("where you work"),
        max_length=300,
        blank=True,
        help_text=_("The towns or postal codes you travel to, e.g. Lyon, Villeurbanne, 69100."),
    )
    # Her contact buttons: only those she fills in are shown.
    phone = PhoneNumberField(_("phone for clients"), blank=True)
    whatsapp = models.BooleanField(_("clients can write to this number on WhatsApp"), default=False)
    email = models.EmailField(_("e-mail for clients"), blank=True)
    instagram = models.CharField(
        _("Instagram account"),
        max_length=31,
        blank=True,
        validators=[
            RegexValidator(
                r"^@?[A-Za-z0-9._]{1,30}$",
                _("Your Instagram name, e.g. @lea.ongles."),
                code="invalid_instagram",
            )
        ],
    )

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        constraints = [
            models.UniqueConstraint(fields=["account"], name="portfolio_one_per_account")
        ]

    def __str__(self):
        return self.title or self.slug or str(self.account)

    @property
    def whatsapp_number(self):
        return self.phone.as_e164.lstrip("+") if self.phone and self.whatsapp else ""

    @property
    def instagram_url(self):
        name = self.instagram.lstrip("@")
        return f"https://www.instagram.com/{name}/" if name else ""


class BookingRequestQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=BookingRequest.Status.WAITING)


class BookingRequest(AccountOwned):
    """An appointment asked for on her public page by someone without an account: it waits
    on her dashboard until she books it (creating the client) or dismisses it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        ACCEPTED = "accepted", _("booked")
        DISMISSED = "dismissed", _("dismissed")

    name = models.CharField(_("name"), max_length=120)
    phone = PhoneNumberField(_("phone"))
    # The services she ticked, as {"id", "name"}: the request reads the same if the service
    # is renamed or archived later.
    services = models.JSONField(_("wished services"), default=list, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    preferred_times = models.CharField(_("preferred days and times"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    client = models.ForeignKey(
        Client,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking_requests",
        verbose_name=_("client"),
    )

    objects = ScopedManager(
        account="account", _manager_class=models.Manager.from_queryset(BookingRequestQuerySet)
    )

    class Meta:
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "status", "created_at"])]

    def __str__(self):
        return f"{self.name} · {self.created_at:%Y-%m-%d}"

    @property
    def service_names(self):
        return [service.get("name", "") for service in self.services]

    @property
    def service_ids(self):
        return [service.get("id") for service in self.services if service.get("id")]
