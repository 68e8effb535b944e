"""Core models: the technician's business (Account), its users, the base of every model
holding a technician's data (AccountOwned), and of every file the worker builds for her
(BuiltFile)."""

import datetime
import secrets
import uuid
import zoneinfo

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from phonenumber_field.modelfields import PhoneNumberField
from phonenumbers import SUPPORTED_REGIONS


def new_feed_token():
    return secrets.token_urlsafe(32)


def _time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


# The currencies our technicians are paid in: the euro zone and its neighbours, the French
# overseas franc, Francophone Africa, the UK and North America, and the countries of the
# Russian-speaking, Spanish- and Italian-speaking communities.
CURRENCIES = [
    "EUR", "GBP", "CHF", "USD", "CAD", "AUD",
    "RUB", "UAH", "BYN", "KZT", "GEL", "AMD", "MDL",
    "PLN", "CZK", "HUF", "RON", "BGN", "SEK", "NOK", "DKK", "ISK", "RSD", "TRY", "ILS",
    "XPF", "XOF", "XAF", "MAD", "DZD", "TND",
    "MXN", "ARS", "COP", "CLP", "PEN", "UYU", "BRL",
]  # fmt: skip


def _currency_choices():
    """ISO codes with their name in the active language: "EUR — euro"."""
    locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        locale = "en"
    return [(code, f"{code} — {get_currency_name(code, locale=locale)}") for code in CURRENCIES]


class Account(models.Model):
    """A technician's business: the tenant every piece of client data belongs to."""

    class Language(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")
        ITALIAN = "it", _("Italian")
        RUSSIAN = "ru", _("Russian")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("business name"), max_length=120)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", choices=_time_zone_choices
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        choices=_currency_choices,
        help_text=_("The currency of your prices, receipts and figures."),
    )
    phone_region = models.CharField(
        _("phone region"),
        max_length=2,
        default="FR",
        help_text=_("Country of the phone numbers you type without a +prefix."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.FRENCH
    )
    address = models.CharField(
        _("your place"),
        max_length=250,
        blank=True,
        help_text=_("Salon or home studio, for the appointments clients come to."),
    )
    place_access_notes = models.TextField(
        _("how to find your place"),
        blank=True,
        help_text=_("Door code, floor, parking: sent with the reminders of appointments there."),
    )
    phone = PhoneNumberField(
        _("your phone"),
        blank=True,
        help_text=_("Given in the reminders, so that clients can call or text you."),
    )
    travel_buffer_minutes = models.PositiveSmallIntegerField(
        _("travel time between appointments (minutes)"),
        default=30,
        validators=[MaxValueValidator(600)],
        help_text=_("A shorter gap between two appointments is flagged when you book."),
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        _("send reminders (hours before)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text=_("Reminders go to clients who agreed to receive them, the way each prefers."),
    )
    rebook_after_weeks = models.PositiveSmallIntegerField(
        _("usual time between visits (weeks)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_(
            "For clients with a single visit: after this, the dashboard proposes to book again."
        ),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("keep inactive clients (years)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Clients with no visit or appointment for longer are listed for erasure."),
    )
    calendar_feed_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_feed_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        self.currency = (self.currency or "").upper()
        self.phone_region = (self.phone_region or "").upper()
        errors = {}
        if self.currency not in CURRENCIES:
            errors["currency"] = ValidationError(
                _("Choose a currency from the list."), code="invalid_currency"
            )
        if self.phone_region not in SUPPORTED_REGIONS:
            errors["phone_region"] = ValidationError(
                _("Enter a two-letter country code, e.g. FR or BE."), code="invalid_region"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def first_weekday(self):
        """0 for Monday, 6 for Sunday: where her agenda's weeks start. Monday in French,
        Spanish, Italian and Russian; in English, as her country does (Sunday in the US)."""
        if self.language != self.Language.ENGLISH:
            return 0
        try:
            return Locale.parse(f"en_{self.phone_region}").first_week_day
        except (ValueError, UnknownLocaleError):
            return 0


class EmailUserManager(UserManager):
    """Users log in with their e-mail address, whatever its case."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who logs in: a technician (with an account) or a NailPro staff member."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("account"),
    )
    # Asked to leave the kiosk mode (a client signing on her phone); hashed like a password.
    kiosk_pin = models.CharField(_("kiosk PIN"), max_length=128, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.email

    def set_kiosk_pin(self, raw_pin):
        """Keep a hash of `raw_pin` (Django's password hashers), or forget the PIN if blank."""
        self.kiosk_pin = make_password(raw_pin) if raw_pin else ""

    def check_kiosk_secret(self, secret):
        """Her PIN if she set one, else her password: what unlocks the kiosk mode."""
        if self.kiosk_pin:
            return check_password(secret, self.kiosk_pin)
        return self.check_password(secret)

    def clean(self):
        super().clean()
        self.email = (self.email or "").lower()

    def get_full_name(self):
        return self.email

    def get_short_name(self):
        return self.email


class AccountOwned(models.Model):
    """Base of every model holding a technician's data (rule 1 in ARCHITECTURE.md).

    Queries must name the account: the scoped manager raises outside a scope, and inside one
    it only sees that account's rows. Ids are random UUIDs, never sequential (rule 2).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )

    objects = ScopedManager(account="account")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.validate_same_account()

    def validate_same_account(self):
        """Refuse a link to another account's object."""
        errors = {}
        for field in self._meta.concrete_fields:
            related = field.related_model
            if not (field.many_to_one or field.one_to_one) or field.name == "account":
                continue
            if not (isinstance(related, type) and issubclass(related, AccountOwned)):
                continue
            target = getattr(self, field.name, None)
            if target is not None and target.account_id != self.account_id:
                errors[field.name] = ValidationError(
                    _("This item belongs to another account."), code="other_account"
                )
        if errors:
            raise ValidationError(errors)


class SmsSent(AccountOwned):
    """One SMS sent for her through the provider (what the account page counts). It keeps
    neither the number nor the text: the count is the point."""

    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    segments = models.PositiveSmallIntegerField(_("segments"), default=1)
    provider_id = models.CharField(_("provider's id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("SMS sent")
        verbose_name_plural = _("SMS sent")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.sent_at:%Y-%m-%d %H:%M} · {self.provider_id}"


class BuiltFile(AccountOwned):
    """A file the worker builds for her to download (an export): its progress, then the file,
    kept `KEPT_FOR` and purged. Each kind declares its own `file` field (where it is stored)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    KEPT_FOR = datetime.timedelta(days=7)

    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_status_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def expires_at(self):
        return self.created_at + self.KEPT_FOR

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def in_progress(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


def export_path(export, filename):
    """Where migration 0005 stored account exports; the model now lives in `business`."""
    return f"accounts/{export.account_id}/exports/{export.pk}.zip"


class Throttle(models.Model):
    """How often one address used one public form in the current window (nailpro.throttle).

    Kept in the database so every app server counts the same; the address is stored hashed."""

    key = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")

    def __str__(self):
        return f"{self.key[:12]}… · {self.hits}"


class ReplayedRequest(AccountOwned):
    """The outcome of a write queued on her phone while offline, by its idempotency key:
    the same key sent again gets this outcome back and changes nothing (rule 15)."""

    KEPT_FOR = datetime.timedelta(days=30)

    key = models.CharField(_("idempotency key"), max_length=64)
    path = models.CharField(_("address"), max_length=300)
    outcome = models.JSONField(_("outcome"), default=dict)
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("offline write")
        verbose_name_plural = _("offline writes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="replayed_request_key_once")
        ]

    def __str__(self):
        return f"{self.path} · {self.created_at:%Y-%m-%d %H:%M}"
