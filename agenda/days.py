"""Reading the agenda: a day as a timeline with the drives between appointments, a week,
a month of counts."""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from clients.models import allergen_reference

from .models import Appointment, AppointmentService, local_midnight

DAY_STARTS, DAY_ENDS = 8, 20  # the hours offered as free slots to tap


@dataclass
class Entry:
    """One line of the day's timeline: an appointment, or a free hour to book."""

    appointment: Appointment | None = None
    free_at: datetime.datetime | None = None
    gap_minutes: int | None = None  # the drive time left since the previous appointment
    gap_too_short: bool = False
    allergens: list = field(default_factory=list)
    allergy_notes: str = ""
    # Written by the day view, once per line: what the template shows.
    gap_label: str = ""  # "15 min between the two"
    time: str = ""  # a free hour, "14:00"
    book_url: str = ""  # booking that free hour


# What the day reads of each appointment, of her and of her health (her allergies only): the
# rest (her notes, second phone, other health fields…) is not read, parsed nor decrypted.
DAY_FIELDS = [
    *("account", "client", "start", "duration", "place", "other_address"),
    *("status", "notes", "visit"),
    *(
        f"client__{name}"
        for name in (
            *("account", "first_name", "last_name", "patronymic", "language", "phone"),
            *("email", "reminder_channel", "street", "postal_code", "city", "access_notes"),
        )
    ),
    *(f"client__health__{name}" for name in ("client", "allergen_ids", "allergy_notes")),
]


def day_appointments(day, account):
    """The appointments of `day`, in order, with her, her consents, her allergies and the names
    of the services booked (`service_names`), in two queries."""
    appointments = list(
        Appointment.objects.on_day(day)
        .order_by("start")
        .select_related("client__health")
        .only(*DAY_FIELDS)
        .with_consents()
    )
    names = defaultdict(list)
    if appointments:
        lines = (
            AppointmentService.objects.filter(appointment_id__in=[a.pk for a in appointments])
            .order_by("position")
            .values_list("appointment_id", "name")
        )
        for appointment_id, name in lines:
            names[appointment_id].append(name)
    for appointment in appointments:
        appointment.service_names = names[appointment.pk]
        # The scope makes them hers: the account already read for the request, not once a row.
        if appointment.account_id == account.pk:
            appointment.account = account
        if appointment.client.account_id == account.pk:
            appointment.client.account = account
    return appointments


def day_timeline(day, account):
    """Her appointments of `day` in order, each with the gap since the previous one, and the
    free hours between them."""
    appointments = day_appointments(day, account)
    buffer = account.travel_buffer_minutes
    entries, previous, reference = [], None, None
    for appointment in appointments:
        entry = Entry(appointment=appointment)
        if appointment.is_active:
            if previous is not None:
                entry.gap_minutes = int(
                    (appointment.start - previous.end) / datetime.timedelta(minutes=1)
                )
                entry.gap_too_short = entry.gap_minutes < buffer
            previous = appointment
            consent = bool(appointment.health_consent)  # no consent recorded: none given
            health = appointment.client.known_health(consent=consent)
            if health is not None:
                if health.allergen_ids and reference is None:
                    reference = allergen_reference()  # read once for the whole day
                entry.allergens = health.allergen_list(reference=reference)
                entry.allergy_notes = health.allergy_notes
        entries.append(entry)
    busy = [(a.start, a.end) for a in appointments if a.is_active]
    for hour in range(DAY_STARTS, DAY_ENDS + 1):
        slot = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        if not any(
            start < slot + datetime.timedelta(hours=1) and end > slot for start, end in busy
        ):
            entries.append(Entry(free_at=slot))
    entries.sort(key=lambda e: e.appointment.start if e.appointment else e.free_at)
    return entries, appointments


def week_of(day, first_weekday=0):
    """The seven days of the week of `day`, starting on `first_weekday` (0 Monday, 6 Sunday)."""
    start = day - datetime.timedelta(days=(day.weekday() - first_weekday) % 7)
    return [start + datetime.timedelta(days=n) for n in range(7)]


def week_days(day, first_weekday=0):
    """The seven days of the week of `day`, each with its appointments."""
    days = week_of(day, first_weekday)
    appointments = Appointment.objects.between(
        local_midnight(days[0]), local_midnight(days[-1] + datetime.timedelta(days=1))
    ).for_list()
    by_day = {d: [] for d in days}
    for appointment in appointments:
        by_day[timezone.localdate(appointment.start)].append(appointment)
    return list(by_day.items())


def month_weeks(year, month, first_weekday=0):
    """The weeks of a month, each a list of (day, count of active appointments) or None."""
    first = datetime.date(year, month, 1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    counts = dict(
        Appointment.objects.between(local_midnight(first), local_midnight(after))
        .active()
        .annotate(day=TruncDate("start", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    weeks = calendar.Calendar(first_weekday).monthdatescalendar(year, month)
    return [
        [(d, counts.get(d, 0)) if d.month == month else (d, None) for d in week] for week in weeks
    ]
