"""Appointments: who, when, where, for which services; and what became of them."""

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from catalog.models import Service
from clients.models import Client, ConsentEvent
from nailpro.models import AccountOwned
from nailpro.tokens import token_hash
from visits.models import Visit


class AppointmentQuerySet(models.QuerySet):
    def active(self):
        """Appointments that still take a place in her day."""
        return self.exclude(status__in=Appointment.INACTIVE)

    def open(self):
        """Appointments still to happen or to be closed."""
        return self.filter(status__in=Appointment.OPEN)

    def inactive(self):
        """Appointments cancelled or missed."""
        return self.filter(status__in=Appointment.INACTIVE)

    def missed_counts(self):
        """Return {"no_shows": …, "cancelled_by_her": …}: how often she missed one."""
        return self.aggregate(
            no_shows=Count("pk", filter=Q(status=Appointment.Status.NO_SHOW)),
            cancelled_by_her=Count(
                "pk",
                filter=Q(
                    status=Appointment.Status.CANCELLED,
                    cancelled_by=Appointment.CancelledBy.CLIENT,
                ),
            ),
        )

    def between(self, start, end):
        """Appointments that begin in [start, end)."""
        return self.filter(start__gte=start, start__lt=end)

    def on_day(self, day):
        start = local_midnight(day)
        return self.between(start, local_midnight(day + datetime.timedelta(days=1)))

    def for_list(self):
        """In order, with her and the services booked."""
        return (
            self.order_by("start")
            .select_related("client__account", "account")
            .prefetch_related(
                models.Prefetch(
                    "services", queryset=AppointmentService.objects.order_by("position")
                )
            )
        )

    def for_agenda(self):
        """What the agenda shows of each appointment, in a fixed number of queries."""
        return self.for_list().select_related("client__health").with_consents()

    def with_consents(self):
        """Her current health and reminders consents, read with each appointment (None: no
        answer recorded)."""
        return self.annotate(
            health_consent=Subquery(
                ConsentEvent.objects.filter(
                    client=OuterRef("client"), kind=ConsentEvent.Kind.HEALTH
                )
                .order_by("-date", "-recorded_at")
                .values("given")[:1]
            ),
            reminder_consent=Subquery(
                ConsentEvent.objects.filter(
                    client=OuterRef("client"), kind=ConsentEvent.Kind.REMINDERS
                )
                .order_by("-date", "-recorded_at")
                .values("given")[:1]
            ),
        )


def local_midnight(day):
    """The aware start of a day in the active (the account's) time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Appointment(AccountOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("appointment status", "Planned")
        CONFIRMED = "confirmed", pgettext_lazy("appointment status", "Confirmed")
        DONE = "done", pgettext_lazy("appointment status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("appointment status", "Cancelled")
        NO_SHOW = "no_show", pgettext_lazy("appointment status", "No-show")

    class Place(models.TextChoices):
        CLIENT_HOME = "client_home", _("At her home")
        OWN_PLACE = "own_place", _("At my place")
        OTHER = "other", _("Another address")

    class CancelledBy(models.TextChoices):
        CLIENT = "client", _("The client")
        TECHNICIAN = "technician", _("Me")

    INACTIVE = (Status.CANCELLED, Status.NO_SHOW)
    OPEN = (Status.PLANNED, Status.CONFIRMED)

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("client")
    )
    start = models.DateTimeField(_("start"))
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(16 * 60)],
    )
    place = models.CharField(
        _("place"), max_length=12, choices=Place.choices, default=Place.CLIENT_HOME
    )
    other_address = models.CharField(_("address"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=10, choices=CancelledBy.choices, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    visit = models.OneToOneField(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
        verbose_name=_("visit"),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(
        account="account", _manager_class=models.Manager.from_queryset(AppointmentQuerySet)
    )

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start"]
        indexes = [models.Index(fields=["account", "start"], name="appointment_account_start")]

    def __str__(self):
        return _("%(client)s on %(date)s") % {
            "client": self.client.display_name,
            "date": timezone.localtime(self.start).strftime("%Y-%m-%d %H:%M"),
        }

    def get_absolute_url(self):
        return reverse("agenda:detail", kwargs={"appointment_id": self.pk})

    @property
    def end(self):
        # Added in UTC: the minutes pass, whatever the clocks do that night.
        return self.start.astimezone(datetime.UTC) + datetime.timedelta(minutes=self.duration)

    @property
    def is_active(self):
        return self.status not in self.INACTIVE

    @property
    def is_open(self):
        """Still to happen or to be closed: it can be marked done, missed or cancelled."""
        return self.status in self.OPEN

    @property
    def has_started(self):
        """Its start has passed: only then can she be recorded as absent."""
        return self.start <= timezone.now()

    @property
    def address(self):
        if self.place == self.Place.CLIENT_HOME:
            return self.client.address
        if self.place == self.Place.OWN_PLACE:
            return self.account.address
        return self.other_address

    @property
    def total(self):
        return sum((line.price for line in self.services.all()), Decimal("0"))

    def clean(self):
        super().clean()
        errors = {}
        if self.client_id and self.client.blacklisted and self._state.adding:
            errors["client"] = ValidationError(
                _("%(name)s is on your blacklist: she cannot be booked."),
                code="blacklisted",
                params={"name": self.client.display_name},
            )
        if self.place == self.Place.OTHER and not self.other_address.strip():
            errors["other_address"] = ValidationError(
                _("Give the address of this appointment."), code="required"
            )
        if self.place == self.Place.CLIENT_HOME and self.client_id and not self.client.address:
            errors["place"] = ValidationError(
                _("Her card has no address yet: add it, or choose another place."),
                code="no_address",
            )
        if errors:
            raise ValidationError(errors)

    def clashes(self, buffer_minutes):
        """Her other appointments that overlap this one or leave less than the travel buffer
        between them, nearest first."""
        buffer = datetime.timedelta(minutes=buffer_minutes)
        # The longest appointment allowed bounds how far back an overlapping one can start.
        longest = datetime.timedelta(minutes=16 * 60)
        candidates = (
            Appointment.objects.filter(account=self.account_id)
            .active()
            .filter(start__lt=self.end + buffer, start__gt=self.start - longest - buffer)
            .exclude(pk=self.pk)
            .select_related("client")
            .order_by("start")
        )
        return [
            other
            for other in candidates
            if other.start < self.end + buffer and other.end + buffer > self.start
        ]

    def check_open(self):
        """Refuse to change an appointment that is closed: done, cancelled or missed."""
        closed = {
            self.Status.DONE: (
                _("This appointment is done: it can no longer be changed."),
                "already_done",
            ),
            self.Status.CANCELLED: (
                _("This appointment is cancelled: it can no longer be changed."),
                "cancelled",
            ),
            self.Status.NO_SHOW: (
                _("She missed this appointment: it can no longer be changed."),
                "no_show",
            ),
        }
        if self.status in closed:
            message, code = closed[self.status]
            raise ValidationError(message, code=code)


class AppointmentService(AccountOwned):
    """A service booked, with the duration and price agreed (the catalog's, or changed)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="services")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    name = models.CharField(_("service"), max_length=120)
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5)]
    )
    price = models.DecimalField(
        _("price"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("service booked")
        verbose_name_plural = _("services booked")
        ordering = ["position"]

    def __str__(self):
        return self.name


class ReplyLinkQuerySet(models.QuerySet):
    def for_token(self, token):
        """The link this secret opens, or None (a malformed or unknown one alike)."""
        if not token or len(token) > 64:
            return None
        return (
            self.select_related("appointment__client", "account")
            .filter(token_hash=token_hash(token))
            .first()
        )


class ReplyLink(AccountOwned):
    """The link in a reminder where she confirms her appointment or asks to move it, without
    logging in. Only a hash of its secret is kept; it serves one answer, until the start."""

    TOKEN_BYTES = 16  # 128 bits: unguessable, and short enough for an SMS

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="reply_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ScopedManager(
        account="account", _manager_class=models.Manager.from_queryset(ReplyLinkQuerySet)
    )

    class Meta:
        verbose_name = _("reply link")
        verbose_name_plural = _("reply links")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.appointment_id)

    @classmethod
    def issue(cls, appointment):
        """Create a link for `appointment`; return (link, secret). The secret is not kept."""
        token = secrets.token_urlsafe(cls.TOKEN_BYTES)
        link = cls.objects.create(
            account_id=appointment.account_id,
            appointment=appointment,
            token_hash=token_hash(token),
            expires_at=appointment.start,
        )
        return link, token

    @property
    def is_expired(self):
        now = timezone.now()
        return now >= self.expires_at or now >= self.appointment.start

    @property
    def is_usable(self):
        return self.used_at is None and not self.is_expired and self.appointment.is_open


class RescheduleRequestQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(dismissed_at__isnull=True)


class RescheduleRequest(AccountOwned):
    """She asked, from her reminder, to move an appointment: waits on the dashboard until the
    technician has dealt with it."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="reschedule_requests"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="reschedule_requests")
    message = models.TextField(_("her message"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("asked"), default=timezone.now, editable=False)
    dismissed_at = models.DateTimeField(_("dealt with"), null=True, blank=True)

    objects = ScopedManager(
        account="account",
        _manager_class=models.Manager.from_queryset(RescheduleRequestQuerySet),
    )

    class Meta:
        verbose_name = _("request to move an appointment")
        verbose_name_plural = _("requests to move an appointment")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.appointment)
