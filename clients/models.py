"""The client card: identity, address, preferences, relationship, consents, health, nails, gifts."""

import calendar
import datetime
import hashlib
import json
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from phonenumber_field.modelfields import PhoneNumberField
from phonenumbers import PhoneNumberFormat, format_number

from billing.plans import client_limit
from catalog.models import Allergen
from nailpro.crypto import EncryptedJSONField, EncryptedTextField
from nailpro.models import Account, AccountOwned, BuiltFile
from nailpro.phones import format_phone, has_number
from nailpro.text import fold

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def national(phone):
    """Show a phone number the way it is dialled in its own country."""
    return format_number(phone, PhoneNumberFormat.NATIONAL) if phone else ""


def photo_path(client, filename):
    """Store a client's photos under her account's folder, never named after her."""
    return f"accounts/{client.account_id}/clients/{client.pk}/{filename}"


class Category(AccountOwned):
    """A technician's own grouping of clients (VIP, regular, occasional…)."""

    DEFAULTS = [_("VIP"), _("Regular"), _("Occasional")]

    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="category_unique_name")
        ]

    def __str__(self):
        return self.name

    @classmethod
    def create_defaults(cls, account):
        """Create the default categories of a new account, named in its language."""
        with translation.override(account.language):
            cls.objects.bulk_create(
                cls(account=account, name=str(name), position=index)
                for index, name in enumerate(cls.DEFAULTS)
            )


class Client(AccountOwned):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Woman")
        MALE = "male", _("Man")
        OTHER = "other", _("Other")

    class NailSystem(models.TextChoices):
        NATURAL = "natural", _("Natural nails")
        SEMI_PERMANENT = "semi_permanent", _("Semi-permanent")
        GEL = "gel", _("Gel")
        ACRYLIC = "acrylic", _("Acrylic")
        POLYGEL = "polygel", _("Polygel")
        PRESS_ON = "press_on", _("Press-on")

    class NailShape(models.TextChoices):
        ALMOND = "almond", _("Almond")
        SQUARE = "square", _("Square")
        SQUOVAL = "squoval", _("Squoval")
        ROUND = "round", _("Round")
        OVAL = "oval", _("Oval")
        STILETTO = "stiletto", _("Stiletto")
        COFFIN = "coffin", _("Coffin / ballerina")
        LIPSTICK = "lipstick", _("Lipstick")
        EDGE = "edge", _("Edge")
        NATURAL = "natural", _("Natural")

    class Source(models.TextChoices):
        WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")
        INSTAGRAM = "instagram", _("Instagram")
        FACEBOOK = "facebook", _("Facebook")
        GOOGLE = "google", _("Google")
        REFERRAL = "referral", _("Referred by a client")
        WALK_IN = "walk_in", _("Walk-in")
        OTHER = "other", _("Other")

    class ReminderChannel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp (sent from your phone)")

    # Identity
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    patronymic = models.CharField(
        _("patronymic"),
        max_length=80,
        blank=True,
        help_text=_("Her father's name as a middle name, e.g. Petrovna (Russian names)."),
    )
    language = models.CharField(
        _("her language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Her consent form, reminders and export are written in it."),
    )
    phone = PhoneNumberField(_("phone"), blank=True)
    phone2 = PhoneNumberField(_("second phone"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    reminder_channel = models.CharField(
        _("reminders by"),
        max_length=10,
        choices=ReminderChannel.choices,
        default=ReminderChannel.EMAIL,
        help_text=_("Only if she agreed to receive reminders."),
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Her birthday when the year is not known (a phone contact often has only "--07-19"):
    # day and month, empty whenever `birth_date` holds the whole date.
    birthday_month = models.PositiveSmallIntegerField(
        _("birthday month"),
        null=True,
        blank=True,
        choices=list(MONTHS.items()),
    )
    birthday_day = models.PositiveSmallIntegerField(
        _("birthday day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, max_length=255, blank=True)
    photo_thumbnail = models.FileField(
        upload_to=photo_path, max_length=255, blank=True, editable=False
    )
    # Address for home visits
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    access_notes = models.TextField(
        _("access notes"), blank=True, help_text=_("Door code, floor, parking…")
    )
    # Preferences
    nail_system = models.CharField(
        _("nail system usually worn"), max_length=20, choices=NailSystem.choices, blank=True
    )
    nail_shape = models.CharField(
        _("preferred nail shape"), max_length=20, choices=NailShape.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    # Relationship
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("category"),
    )
    source = models.CharField(
        _("how she found you"), max_length=20, choices=Source.choices, blank=True
    )
    referred_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    loyalty_card_number = models.CharField(_("loyalty card number"), max_length=40, blank=True)
    loyalty_card_expiry = models.DateField(_("loyalty card expiry"), null=True, blank=True)
    blacklisted = models.BooleanField(
        _("blacklisted"), default=False, help_text=_("A blacklisted client cannot be booked.")
    )
    blacklist_reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Search: accent- and case-folded names, and the phone digits as typed nationally and
    # internationally ("0612…" and "33612…").
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    # Her birthday as month * 100 + day (719 for 19 July), year known or not: the birthday lists
    # read an index instead of every birth date.
    birthday_key = models.PositiveSmallIntegerField(null=True, editable=False)
    phone_digits = models.CharField(max_length=80, editable=False, db_index=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["search_name", "created_at"]
        indexes = [
            models.Index(fields=["account", "search_name"], name="client_account_search"),
            models.Index(fields=["account", "phone_digits"], name="client_account_phone"),
            models.Index(fields=["account", "birthday_key"], name="client_account_birthday"),
            models.Index(fields=["account", "created_at"], name="client_account_added"),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.fill_search_fields()
        fields = kwargs.get("update_fields")
        if fields is not None and {"birth_date", "birthday_month", "birthday_day"} & set(fields):
            kwargs["update_fields"] = {*fields, "birthday_key"}
        if not self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            # Lock the account row: two creations at once wait for each other here, so each
            # counts the other and together they cannot pass the plan's limit.
            Account.objects.select_for_update().filter(pk=self.account_id).exists()
            self.validate_plan_limit()
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("clients:detail", kwargs={"client_id": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self._state.adding:
            try:
                self.validate_plan_limit()
            except ValidationError as error:
                errors["__all__"] = [error]
        if not (self.first_name.strip() or self.last_name.strip() or self.phone):
            errors.setdefault("__all__", []).append(
                ValidationError(_("Give at least a name or a phone number."), code="name_or_phone")
            )
        if self.birth_date and self.birth_date > timezone.localdate():
            errors["birth_date"] = ValidationError(
                _("The birth date cannot be in the future."), code="future_birth_date"
            )
        year_less = not self.birth_date and (self.birthday_month or self.birthday_day)
        if year_less and not birthday_of(None, self.birthday_month, self.birthday_day):
            errors["birthday_day"] = ValidationError(
                _("Give a day that exists in the month."), code="invalid_birthday"
            )
        if self.referred_by_id and self.referred_by_id == self.pk:
            errors["referred_by"] = ValidationError(
                _("A client cannot refer herself."), code="self_referral"
            )
        if self.blacklisted and not self.blacklist_reason.strip():
            errors["blacklist_reason"] = ValidationError(
                _("Say why, so you remember later."), code="blacklist_reason"
            )
        if errors:
            raise ValidationError(errors)

    def fill_search_fields(self):
        """Derive the search columns and tidy the e-mail (bulk creation calls it too)."""
        if self.birth_date:
            # The whole date wins: a day and month kept beside it could only contradict it.
            self.birthday_month = self.birthday_day = None
        self.birthday_key = birthday_key(self.birthday)
        self.search_name = fold(" ".join(self.name_parts()))
        if not self.language and self.account_id:
            self.language = self.account.language
        self.phone_digits = " ".join(
            _digits(number) for number in (self.phone, self.phone2) if number
        )
        self.email = (self.email or "").strip().lower()

    def plan_is_full(self):
        """Return whether her account's plan has no place left for a new client."""
        limit = client_limit(self.account)
        # Counted whatever the active scope, for this account only.
        return limit is not None and (
            Client._base_manager.filter(account_id=self.account_id).count() >= limit
        )

    def validate_plan_limit(self):
        """Refuse a new client beyond the plan's limit (clients already there all stay)."""
        if self.plan_is_full():
            limit = client_limit(self.account)
            raise ValidationError(
                _(
                    "The Free plan holds %(limit)s clients. Go Pro to add more: "
                    "your clients and their data stay as they are."
                ),
                code="plan_limit",
                params={"limit": limit},
            )

    def name_parts(self):
        """Her names in the order she writes them: "Elena Ivanova", or, with a patronymic,
        "Ivanova Elena Petrovna" as Russian forms and lists write a full name."""
        if self.patronymic.strip():
            parts = (self.last_name, self.first_name, self.patronymic)
        else:
            parts = (self.first_name, self.last_name)
        return [part.strip() for part in parts if part and part.strip()]

    @property
    def display_name(self):
        name = " ".join(self.name_parts())
        if name:
            return name
        return _("Client %(phone)s") % {"phone": format_phone(self.phone)}

    @property
    def initials(self):
        letters = [part[0] for part in (self.first_name, self.last_name) if part]
        return "".join(letters).upper() or "?"

    @property
    def spoken_language(self):
        """The language to write to her in: hers if known, else her technician's. The one
        place that decides it for her consent form, reminders, export and printed pages."""
        if self.language in LANGUAGE_CODES:
            return self.language
        return self.account.language if self.account.language in LANGUAGE_CODES else "fr"

    def in_her_language(self):
        """`with client.in_her_language():` renders what she receives in her language."""
        return translation.override(self.spoken_language)

    @property
    def phone_national(self):
        return format_phone(self.phone)

    @property
    def phone2_national(self):
        return format_phone(self.phone2)

    @property
    def whatsapp_number(self):
        # The international digits of _digits(), without formatting the number nationally.
        return str(self.phone.as_e164).lstrip("+") if has_number(self.phone) else ""

    @property
    def address(self):
        return ", ".join(
            part for part in (self.street, f"{self.postal_code} {self.city}".strip()) if part
        )

    @property
    def birthday(self):
        """Return (month, day) of her birthday, with or without a known year; None if unknown."""
        return birthday_of(self.birth_date, self.birthday_month, self.birthday_day)

    def birthday_in(self, year):
        """Return her birthday in `year` (28 February for 29 February in common years)."""
        birthday = self.birthday
        return birthday_in(datetime.date(2000, *birthday), year) if birthday else None

    def duplicates(self):
        """Return other clients of the account with the same phone or e-mail."""
        query = models.Q()
        if self.phone:
            query |= models.Q(phone=self.phone) | models.Q(phone2=self.phone)
        if self.phone2:
            query |= models.Q(phone=self.phone2) | models.Q(phone2=self.phone2)
        if self.email:
            query |= models.Q(email__iexact=self.email)
        if not query:
            return Client.objects.none()
        return Client.objects.filter(query, account=self.account).exclude(pk=self.pk)

    def consent_state(self, events=None):
        """Return {kind: ConsentEvent or None}, the latest event of each kind; `events` are her
        events when already read (newest first)."""
        latest = {}
        for event in self.consent_events.all() if events is None else events:  # newest first
            latest.setdefault(event.kind, event)
        return {kind: latest.get(kind) for kind in ConsentEvent.Kind.values}

    def has_consent(self, kind):
        event = self.consent_state()[kind]
        return event.given if event else ConsentEvent.DEFAULTS[kind]

    def known_health(self, *, consent=None):
        """Return her health profile if she has a current health consent, else None.

        `consent` is her health consent when already read (annotated on a list)."""
        if consent is None:
            consent = self.has_consent(ConsentEvent.Kind.HEALTH)
        return getattr(self, "health", None) if consent else None

    def known_allergens(self, *, consent=None, reference=None):
        """Return the allergens of her health profile if she has a current health consent,
        else none: what every page, check and export may know of her allergies.

        `reference` is the allergen list read once for a whole page ({id: Allergen}, see
        allergen_reference()); without it her allergens are read in one query."""
        health = self.known_health(consent=consent)
        return health.allergen_list(reference=reference) if health is not None else []


def birthday_of(birth_date, month, day):
    """Return (month, day) from a whole birth date or a year-less birthday; None if neither."""
    if birth_date:
        return (birth_date.month, birth_date.day)
    if month and day and _is_month_day(month, day):
        return (month, day)
    return None


def month_day_text(birthday):
    """Write a year-less birthday (month, day) as ISO 8601 and vCard do: "--07-19"."""
    return "--{:02d}-{:02d}".format(*birthday)


def birthday_key(birthday):
    """(month, day) as the indexed column holds it: 719 for 19 July; None for None."""
    return birthday[0] * 100 + birthday[1] if birthday else None


def born_on_any(days):
    """Return the filter of clients whose birthday is one of these (month, day) pairs."""
    return models.Q(birthday_key__in=[birthday_key(day) for day in days])


def _is_month_day(month, day):
    """Return whether `day` exists in `month` of some year (29 February does)."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]


def birthday_in(birth_date, year):
    """The birthday of someone born on `birth_date` in `year`; 29 February is celebrated on
    the 28th in common years."""
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return datetime.date(year, 2, 28)


def _digits(phone):
    """Return '0612345678 33612345678' for +33 6 12 34 56 78."""
    if not phone:
        return ""
    national_digits = "".join(c for c in national(phone) if c.isdigit())
    international_digits = str(phone.as_e164).lstrip("+")
    return f"{national_digits} {international_digits}"


class ConsentEvent(AccountOwned):
    """One consent given or withdrawn: the card keeps the whole ledger, not a mere flag."""

    class Kind(models.TextChoices):
        DATA_PROCESSING = "data_processing", _("Her client card")
        REMINDERS = "reminders", _("Appointment reminders")
        MARKETING = "marketing", _("Marketing messages")
        IMAGE_RIGHTS = "image_rights", _("Photos in the portfolio")
        HEALTH = "health", _("Health data")

    class Method(models.TextChoices):
        IN_APP = "in_app", _("In the app")
        PAPER = "paper", _("Signed paper form")
        ORAL = "oral", _("Told in person")

    # What applies while nothing was recorded: her card is kept to serve her (the contract,
    # GDPR Art. 6(1)(b)) and reminders are on; the rest needs a yes.
    DEFAULTS = {
        Kind.DATA_PROCESSING: True,
        Kind.REMINDERS: True,
        Kind.MARKETING: False,
        Kind.IMAGE_RIGHTS: False,
        Kind.HEALTH: False,
    }

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="consent_events", verbose_name=_("client")
    )
    kind = models.CharField(_("consent"), max_length=20, choices=Kind.choices)
    given = models.BooleanField(_("given"))
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # The consent form this answer comes from, if any: its text version and hash are the proof.
    form = models.ForeignKey(
        "SignedConsent",
        # A form goes only with its ledger entries: deleting the client takes both together.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("consent form"),
    )

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["-date", "-recorded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.given} ({self.date})"

    def clean(self):
        super().clean()
        if self.kind == self.Kind.HEALTH and self.given and self.method == self.Method.ORAL:
            raise ValidationError(
                {
                    "method": ValidationError(
                        _("Consent to health data must be written: in the app or on paper."),
                        code="health_consent_written",
                    )
                }
            )
        if self.date and self.date > timezone.localdate():
            raise ValidationError(
                {"date": ValidationError(_("This date is in the future."), code="future_date")}
            )
        latest = (
            ConsentEvent.objects.filter(client_id=self.client_id, kind=self.kind)
            .exclude(pk=self.pk)
            .first()
        )
        if self.date and latest and self.date < latest.date:
            # The ledger reads the newest answer as the one in force: an older date would
            # record an answer that never applies.
            raise ValidationError(
                {
                    "date": ValidationError(
                        _("A later answer is already recorded (%(date)s): use that date or after."),
                        code="older_than_latest",
                        params={"date": formats.date_format(latest.date)},
                    )
                }
            )


class ConsentText(models.Model):
    """The wording of the consent form in one language. A text is never edited once saved:
    changing it makes a new version, so every signed form keeps pointing at what she read."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("introduction"))
    # One statement per choice she makes, named after the consent kinds of the ledger.
    data_processing = models.TextField(_("her client card"))
    health = models.TextField(_("health data"))
    reminders = models.TextField(_("appointment reminders"))
    marketing = models.TextField(_("marketing messages"))
    image_rights = models.TextField(_("photos in the portfolio"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    STATEMENT_FIELDS = ["data_processing", "health", "reminders", "marketing", "image_rights"]

    class Meta:
        verbose_name = _("consent form text")
        verbose_name_plural = _("consent form texts")
        ordering = ["language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "version"], name="consent_text_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.get_language_display()} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A consent text is never edited: revise() makes a new version.")
        if not self.version:
            self.version = self.next_version(self.language)
        super().save(*args, **kwargs)

    @classmethod
    def next_version(cls, language):
        latest = cls.objects.filter(language=language).aggregate(models.Max("version"))
        return (latest["version__max"] or 0) + 1

    @classmethod
    def current(cls, language):
        """Return the newest text in `language`, or in the default language if it has none."""
        for code in (language, settings.LANGUAGE_CODE[:2]):
            text = cls.objects.filter(language=code).order_by("-version").first()
            if text is not None:
                return text
        return cls.objects.order_by("-version").first()

    def revise(self, **changes):
        """Save the changed wording as a new version of this language; this one stays."""
        fields = ["title", "body", *self.STATEMENT_FIELDS]
        values = {name: getattr(self, name) for name in fields}
        values.update(changes)
        return ConsentText.objects.create(language=self.language, **values)

    def statements(self):
        """Return [(kind, label, statement)] in the order of the ledger's kinds."""
        return [(kind, label, getattr(self, kind)) for kind, label in ConsentEvent.Kind.choices]

    def canonical(self):
        return {
            "language": self.language,
            "version": self.version,
            "title": self.title,
            "body": self.body,
            "statements": {kind: getattr(self, kind) for kind in ConsentEvent.Kind.values},
        }


def signature_path(form, filename):
    """Store a signature under her folder, with a name nobody can guess."""
    return f"accounts/{form.account_id}/clients/{form.client_id}/consents/{uuid.uuid4().hex}.png"


class SignedConsent(AccountOwned):
    """The consent form as she signed it: on the phone (with her drawn signature) or on paper.

    The hash covers the exact text, her choices, her id and the time: if any of them is
    changed afterwards, `integrity_verified()` says so.
    """

    Method = ConsentEvent.Method

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="signed_consents", verbose_name=_("client")
    )
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="+", verbose_name=_("text version")
    )
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    choices = models.JSONField(_("choices"), default=dict)
    signature = models.FileField(
        _("signature"), upload_to=signature_path, max_length=255, blank=True
    )
    signature_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    signed_on = models.DateField(_("signed on"), default=timezone.localdate)
    signed_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    digest = models.CharField(_("SHA-256 hash"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("signed consent form")
        verbose_name_plural = _("signed consent forms")
        ordering = ["-signed_on", "-signed_at"]

    def __str__(self):
        return f"{self.text} · {self.signed_on}"

    def get_absolute_url(self):
        return reverse(
            "clients:consent_signed",
            kwargs={"client_id": self.client_id, "signedconsent_id": self.pk},
        )

    def clean(self):
        super().clean()
        if set(self.choices) != set(ConsentEvent.Kind.values) or not all(
            isinstance(value, bool) for value in self.choices.values()
        ):
            raise ValidationError(
                {"choices": ValidationError(_("Answer every question."), code="incomplete")}
            )
        if self.signed_on and self.signed_on > timezone.localdate():
            raise ValidationError(
                {"signed_on": ValidationError(_("This date is in the future."), code="future_date")}
            )

    def canonical(self):
        """Return the signed content as one canonical JSON string (sorted keys, UTC time)."""
        content = {
            "client": str(self.client_id),
            "text": self.text.canonical(),
            "choices": {kind: self.choices.get(kind) for kind in sorted(self.choices)},
            "method": self.method,
            "signed_on": self.signed_on.isoformat(),
            "signed_at": self.signed_at.astimezone(datetime.UTC).isoformat(),
            "signature_sha256": self.signature_sha256,
        }
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_digest(self):
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()

    def integrity_verified(self):
        """Return whether the stored form is still exactly what she signed, image included."""
        if self.compute_digest() != self.digest:
            return False
        if not self.signature:
            return not self.signature_sha256
        try:
            with self.signature.open("rb") as stored:
                return hashlib.sha256(stored.read()).hexdigest() == self.signature_sha256
        except OSError:
            return False

    def answers(self):
        """Return [(kind, label, statement, given)] in the order of the ledger's kinds."""
        return [
            (kind, label, statement, self.choices.get(kind))
            for kind, label, statement in self.text.statements()
        ]


class ConsentLinkQuerySet(models.QuerySet):
    def open(self):
        """The links that can still be used: not signed, not expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class ConsentLink(AccountOwned):
    """A link sent to her to fill in and sign the consent form on her own phone.

    It works once and for `LIFETIME`. Only the hash of its secret is stored: the link itself
    is shown to the technician when she makes it, and can be rebuilt by nobody."""

    LIFETIME = datetime.timedelta(days=7)

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="consent_links", verbose_name=_("client")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed = models.ForeignKey(
        SignedConsent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed form"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    objects = ScopedManager(models.Manager.from_queryset(ConsentLinkQuerySet), account="account")

    class Meta:
        verbose_name = _("consent form link")
        verbose_name_plural = _("consent form links")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.client_id} · {self.created_at:%Y-%m-%d}"

    def is_open(self):
        return self.used_at is None and self.expires_at > timezone.now()


class HealthProfile(AccountOwned):
    """Special-category data (GDPR Art. 9): saved only under a recorded explicit consent."""

    class Pathology(models.TextChoices):
        MYCOSIS_SUSPECTED = "mycosis_suspected", _("Mycosis suspected")
        BRITTLE = "brittle", _("Brittle nails")
        ONYCHOLYSIS = "onycholysis", _("Onycholysis")
        PSORIASIS = "psoriasis", _("Psoriasis")
        BITTEN = "bitten", _("Bitten nails")
        RIDGES = "ridges", _("Ridges")
        OTHER = "other", _("Other")

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="health", verbose_name=_("client")
    )
    # Everything below is encrypted at rest, which allergens she has too: the ids of her
    # allergens in the catalog's reference list (plain data), as an encrypted JSON list read
    # through allergen_list(); the visit's allergy check compares them in Python.
    allergen_ids = EncryptedJSONField(_("allergies"), default=list, blank=True)
    allergy_notes = EncryptedTextField(_("other allergies"), blank=True)
    pathologies = EncryptedJSONField(_("nail pathologies"), default=list, blank=True)
    pathology_notes = EncryptedTextField(_("about the nails"), blank=True)
    medications = EncryptedTextField(_("medications"), blank=True)
    health_notes = EncryptedTextField(_("health notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    TEXT_FIELDS = ["allergy_notes", "pathology_notes", "medications", "health_notes"]

    class Meta:
        verbose_name = _("health profile")
        verbose_name_plural = _("health profiles")

    def __str__(self):
        return str(_("Health profile"))

    def clean(self):
        super().clean()
        self.check_consent()

    def check_consent(self, *, allergens=()):
        """Refuse health data without her explicit consent (code "no_health_consent"); the
        allergens about to be set count too."""
        has_data = (
            any(getattr(self, field) for field in self.TEXT_FIELDS)
            or self.pathologies
            or self.allergen_ids
        )
        if (has_data or allergens) and not self.client.has_consent(ConsentEvent.Kind.HEALTH):
            raise ValidationError(
                _(
                    "Health data can only be saved once her explicit consent is recorded. "
                    "Record it in the Consents section first: nothing was saved."
                ),
                code="no_health_consent",
            )

    def pathology_labels(self):
        labels = dict(self.Pathology.choices)
        return [labels.get(code, code) for code in self.pathologies]

    def erase(self):
        """Remove every piece of health data of this profile (consent withdrawn)."""
        for field in self.TEXT_FIELDS:
            setattr(self, field, "")
        self.pathologies = []
        self.allergen_ids = []
        self.save()

    def allergen_list(self, *, reference=None):
        """Return her allergens (catalog Allergen rows, in the catalog's order).

        `reference` is {id: Allergen} read once for a page of clients (allergen_reference());
        without it, one query reads hers."""
        ids = set(self.allergen_ids)
        if not ids:
            return []
        if reference is None:
            return list(Allergen.objects.filter(pk__in=ids))
        return [allergen for pk, allergen in reference.items() if pk in ids]

    def set_allergens(self, allergens):
        """Keep these allergens (rows or ids) as hers; saved with the row."""
        self.allergen_ids = sorted({getattr(a, "pk", a) for a in allergens})

    def add_allergens(self, allergens):
        self.set_allergens([*self.allergen_ids, *allergens])


def allergen_reference():
    """Return the catalog's allergens as {id: Allergen}, in its order: one query for a list of
    clients, whose allergen ids are then resolved in Python (plain reference data)."""
    return {allergen.pk: allergen for allergen in Allergen.objects.all()}


class NailState(AccountOwned):
    """The current state of one of her ten nails; the hand chart is the set of ten."""

    class Finger(models.TextChoices):
        LEFT_THUMB = "left_thumb", _("left thumb")
        LEFT_INDEX = "left_index", _("left index finger")
        LEFT_MIDDLE = "left_middle", _("left middle finger")
        LEFT_RING = "left_ring", _("left ring finger")
        LEFT_LITTLE = "left_little", _("left little finger")
        RIGHT_THUMB = "right_thumb", _("right thumb")
        RIGHT_INDEX = "right_index", _("right index finger")
        RIGHT_MIDDLE = "right_middle", _("right middle finger")
        RIGHT_RING = "right_ring", _("right ring finger")
        RIGHT_LITTLE = "right_little", _("right little finger")

    class Length(models.TextChoices):
        SHORT = "short", _("Short")
        MEDIUM = "medium", _("Medium")
        LONG = "long", _("Long")
        EXTRA_LONG = "extra_long", _("Extra-long")

    class Condition(models.TextChoices):
        HEALTHY = "healthy", _("Healthy")
        BRITTLE = "brittle", _("Brittle")
        BITTEN = "bitten", _("Bitten")
        SPLIT = "split", _("Split")
        LIFTING = "lifting", _("Lifting")
        ONYCHOLYSIS = "onycholysis", _("Onycholysis")
        MYCOSIS_SUSPECTED = "mycosis_suspected", _("Mycosis suspected")
        DAMAGED = "damaged", _("Damaged")
        OTHER = "other", _("Other")

    # Conditions that are medical observations, hence health data under her consent.
    MEDICAL_CONDITIONS = [Condition.ONYCHOLYSIS, Condition.MYCOSIS_SUSPECTED]

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="nails", verbose_name=_("client")
    )
    finger = models.CharField(_("nail"), max_length=16, choices=Finger.choices)
    length = models.CharField(_("length"), max_length=12, choices=Length.choices, blank=True)
    # Encrypted at rest (it may be a medical observation); still one of the choices.
    condition = EncryptedTextField(_("condition"), choices=Condition.choices, blank=True)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("nail")
        verbose_name_plural = _("nails")
        constraints = [
            models.UniqueConstraint(fields=["client", "finger"], name="nail_one_per_finger")
        ]

    def __str__(self):
        return self.get_finger_display()

    def clean(self):
        super().clean()
        if self.condition in self.MEDICAL_CONDITIONS and not self.client.has_consent(
            ConsentEvent.Kind.HEALTH
        ):
            raise ValidationError(
                {
                    "condition": ValidationError(
                        _(
                            "This condition is health data: record her health-data consent "
                            "first, or choose another."
                        ),
                        code="no_health_consent",
                    )
                }
            )

    @property
    def is_blank(self):
        return not (self.length or self.condition or self.remarks)

    @classmethod
    def shown_condition(cls, condition, *, consent):
        """Return the condition a page may show: a medical one only under her health consent."""
        return condition if consent or condition not in cls.MEDICAL_CONDITIONS else ""

    @classmethod
    def without_medical_condition(cls, state):
        """Return a nail's state ({"condition": …, …}) with a medical condition blanked."""
        if state.get("condition") in cls.MEDICAL_CONDITIONS:
            return {**state, "condition": ""}
        return state


class Gift(AccountOwned):
    class Occasion(models.TextChoices):
        BIRTHDAY = "birthday", _("Birthday")
        HOLIDAYS = "holidays", _("Year-end holidays")
        LOYALTY = "loyalty", _("Loyalty")
        THANK_YOU = "thank_you", _("Thank you")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="gifts", verbose_name=_("client")
    )
    occasion = models.CharField(_("occasion"), max_length=12, choices=Occasion.choices)
    description = models.CharField(_("gift"), max_length=200)
    given_on = models.DateField(_("date"), default=timezone.localdate)
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering = ["-given_on", "-created_at"]
        indexes = [models.Index(fields=["account", "given_on"], name="gift_account_date")]

    def __str__(self):
        return self.description

    def clean(self):
        super().clean()
        if self.value is not None and self.value < 0:
            raise ValidationError(
                {"value": ValidationError(_("A value cannot be negative."), code="negative")}
            )


class AccessLog(AccountOwned):
    """Who saw or took a client's health data, and when (GDPR Art. 9 accountability)."""

    class Action(models.TextChoices):
        HEALTH_VIEWED = "health_viewed", _("Health data viewed")
        EXPORTED = "exported", _("Data exported")
        STAFF_VIEWED = "staff_viewed", _("Record opened by NailPro staff")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="access_logs", verbose_name=_("client")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    where = models.CharField(_("where"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, *, client, user, action, where=""):
        return cls.objects.create(
            account_id=client.account_id,
            client=client,
            user=user if getattr(user, "is_authenticated", False) else None,
            action=action,
            where=where[:200],
        )


def import_path(client_import, filename):
    """Keep an uploaded list under her account's private folder, never under its own name."""
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"accounts/{client_import.account_id}/imports/{client_import.pk}{suffix}"


class ClientImport(AccountOwned):
    """A client list uploaded from another tool, its column mapping, and how its import went."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Checking the columns")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped by an error")

    # Deleted once the import ends: the report keeps only the rows not imported.
    file = models.FileField(_("file"), upload_to=import_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    # One entry per column of the file: the client field it fills, or "" to leave it out.
    mapping = models.JSONField(_("columns"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("clients created"), default=0)
    skipped = models.PositiveIntegerField(_("duplicates skipped"), default=0)
    left_out = models.PositiveIntegerField(_("left out by the plan limit"), default=0)
    # Every row not imported, with why: [{"line": 7, "reason": "…", "values": [...]}].
    rejected = models.JSONField(_("rows not imported"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Surviving a crash (clients/importing.py): rows before `next_row` are committed together
    # with the clients they made; the worker writes `heartbeat_at` as it goes, and each claim
    # bumps `attempts`, the lease a worker holds (a run that lost it stops).
    next_row = models.PositiveIntegerField(_("rows committed"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("client import")
        verbose_name_plural = _("client imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        if self.status == self.Status.DRAFT:
            return reverse("clients:import_mapping", kwargs={"clientimport_id": self.pk})
        return reverse("clients:import_progress", kwargs={"clientimport_id": self.pk})

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def error_count(self):
        """Rows refused for an error (the report also lists duplicates and left-outs)."""
        return max(len(self.rejected) - self.skipped - self.left_out, 0)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def is_stale(self):
        """Running, but its worker gave no sign of life for longer than the lease."""
        return self.status == self.Status.RUNNING and (
            self.heartbeat_at is None
            or self.heartbeat_at
            < timezone.now() - datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)
        )

    @property
    def is_interrupted(self):
        """Its worker died: stale, or queued again to resume where it stopped."""
        return self.is_stale or (self.status == self.Status.QUEUED and self.attempts > 0)


def list_export_path(export, filename):
    """Keep a built list under her account's private folder (deleted with it)."""
    return f"accounts/{export.account_id}/exports/{export.kind}-{export.pk}.{export.extension}"


class ListExport(BuiltFile):
    """A list too long to build within a request (her clients, her visits), built by the
    worker (clients.list_export). Kept `KEPT_FOR`, then purged with its file; only
    her account may download it.
    """

    KEPT_FOR = datetime.timedelta(days=3)

    # Which list: a kind registered in clients.list_export ("clients", "visits").
    kind = models.CharField(_("list"), max_length=16, default="clients")
    # The list page's filters as she set them: {"name": ["value", ...]}.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    file_format = models.CharField(_("format"), max_length=16, default="xlsx")
    with_health = models.BooleanField(_("with health data"), default=False)
    total = models.PositiveIntegerField(_("clients"), default=0)
    file = models.FileField(_("file"), upload_to=list_export_path, max_length=255, blank=True)

    class Meta:
        verbose_name = _("list export")
        verbose_name_plural = _("list exports")
        ordering = ["-created_at"]

    def get_absolute_url(self):
        return reverse("clients:list_export", kwargs={"listexport_id": self.pk})

    @property
    def extension(self):
        return "xlsx" if self.file_format == "xlsx" else "csv"
