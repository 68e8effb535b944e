"""The dashboard's blocks. Each reads what it shows in a fixed number of queries, whatever the
number of clients; the dashboard reads from every app and no app reads from it."""

import datetime
import functools
import operator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from phonenumber_field.phonenumber import PhoneNumber

from agenda.models import Appointment, AppointmentService, RescheduleRequest, local_midnight
from clients.forms import birthday_window
from clients.models import Client, Gift, birthday_in, birthday_of, born_on_any
from nailpro.dates import day_month, full_date, weekday_day_month
from nailpro.links import page_urls, sms_url, tel_url, whatsapp_url
from nailpro.money import format_money
from visits import figures as kept_figures
from visits.models import ClientFigures, DayFigures, Visit

from .retention import erased

LAPSED_AFTER = datetime.timedelta(days=90)
SHOWN = 5  # rows per block; each block links to its full list
BIRTHDAYS_SHOWN = 10


# What the dashboard shows of a client: her name (else her phone), her card's link, her
# address (an appointment at her home), her phone (the birthday wishes): the rest of her card
# is not read.
CLIENT_SHOWN = (
    "account",
    "first_name",
    "last_name",
    "patronymic",
    "phone",
    "search_name",
    "street",
    "postal_code",
    "city",
)


def client_links():
    return page_urls("clients:detail")


def day_appointments(account, today, now):
    """Today's appointments in order, and the next one (today's next, else the first to come)
    with its services. Their account is the request's (no join to it for each)."""
    shown = (
        Appointment.objects.active()
        .select_related("client")
        .only(
            "account",
            "client",
            "start",
            "duration",
            "place",
            "other_address",
            "status",
            *(f"client__{name}" for name in CLIENT_SHOWN if name != "phone"),
        )
        # Her number as stored: parsed only for a client without a name, who is named by it
        # (each parse costs; the rows show names).
        .annotate(client_number=Cast("client__phone", CharField()))
        .order_by("start")
    )
    appointments = list(shown.on_day(today))
    next_one = next((a for a in appointments if a.end > now), None)
    if next_one is None:
        next_one = shown.filter(start__gte=now).first()
    for appointment in [*appointments, next_one]:
        if appointment is not None:
            appointment.account = account
            if not appointment.client.name_parts():
                appointment.client.phone = appointment.client_number
    # What the day's list writes of each, made once here.
    links = page_urls("agenda:detail")
    for appointment in appointments:
        appointment.link = links(appointment.pk)
        appointment.time_text = timezone.localtime(appointment.start).strftime("%H:%M")
        appointment.name = appointment.client.display_name
        appointment.where = appointment.address
    if next_one is not None:
        # When (its time today, else its day and time) and with whom, written once.
        start = timezone.localtime(next_one.start)
        next_one.start_iso = start.isoformat()
        next_one.when = start.strftime("%H:%M")
        if start.date() != today:
            next_one.when = f"{capfirst(weekday_day_month(start))}, {next_one.when}"
        next_one.client_url = page_urls("clients:detail")(next_one.client_id)
        next_one.name = next_one.client.display_name
        # What it is for, in words: the names of its services, read as such.
        names = AppointmentService.objects.filter(appointment=next_one).order_by("position")
        next_one.service_names = ", ".join(names.values_list("name", flat=True))
    return appointments, next_one


def active_clients():
    return Client.objects.exclude(erased()).filter(blacklisted=False)


@dataclass
class Birthday:
    client_id: object
    search_name: str
    date: datetime.date
    is_today: bool
    age: int | None  # None when only her day and month are known
    gift_given: bool
    client: Client | None = None  # made for the rows shown only (with_greetings)
    shown: tuple = ()  # her names and number as read (with_greetings makes her Client)
    whatsapp_url: str = ""
    sms_url: str = ""
    # What the row writes, made once by with_greetings (not by filters and tags in the loop).
    name: str = ""
    url: str = ""
    when: str = ""  # her day in words, unless it is today
    age_text: str = ""
    whatsapp_label: str = ""
    sms_label: str = ""


def birthdays(account, today):
    """Birthdays today and in the next 7 days, soonest first; 29 February counts on the
    28th in common years; a birthday gift given this year (or in the month before a January
    birthday) is flagged. Read through the indexed birthday key: only the week's clients."""
    clients = (
        active_clients()
        .filter(born_on_any(birthday_window("week", today=today)))
        .annotate(
            last_gift=Max("gifts__given_on", filter=Q(gifts__occasion=Gift.Occasion.BIRTHDAY))
        )
        .values_list(
            "pk",
            "search_name",
            "birth_date",
            "birthday_month",
            "birthday_day",
            "last_gift",
            # What a row shown writes of her (with_greetings), her number as stored: it is
            # parsed for the rows shown only.
            "first_name",
            "last_name",
            "patronymic",
            Cast("phone", CharField()),
        )
    )
    rows = []
    for pk, search_name, birth_date, month, day, last_gift, *shown in clients:
        # A birthday without a year (from her phone's contacts) is wished all the same,
        # without an age.
        born = datetime.date(2000, *birthday_of(birth_date, month, day))
        date = birthday_in(born, today.year)
        if date < today:
            date = birthday_in(born, today.year + 1)
        if (date - today).days > 6:  # 29 February, seen as the 28th, is not in the window
            continue
        gift_given = bool(
            last_gift
            and (last_gift.year == date.year or date - datetime.timedelta(days=31) <= last_gift)
        )
        age = date.year - birth_date.year if birth_date else None
        rows.append(Birthday(pk, search_name, date, date == today, age, gift_given, shown=shown))
    return sorted(rows, key=lambda row: (row.date, row.search_name))


def birthday_client(row, account):
    """Her Client as Client.objects.only() would read the fields a birthday row shows, made
    from what birthdays() read (no query more); from_db takes them in the model's order."""
    first_name, last_name, patronymic, phone = row.shown
    values = {
        "id": row.client_id,
        "account_id": account.pk,
        "search_name": row.search_name,
        "first_name": first_name,
        "last_name": last_name,
        "patronymic": patronymic,
        "phone": phone,
    }
    names = [f.attname for f in Client._meta.concrete_fields if f.attname in values]
    return Client.from_db("default", names, [values[name] for name in names])


def with_greetings(rows, account):
    """Attach her Client to each birthday shown (made from what birthdays() read), with the
    one-tap WhatsApp and SMS wishes."""
    links = client_links()
    for row in rows:
        if row.client is None:
            row.client = birthday_client(row, account)
        client = row.client
        text = greeting(client, account)
        row.whatsapp_url, row.sms_url = wish_urls(client, text)
        row.name = client.display_name
        row.url = links(client.pk)
        row.when = "" if row.is_today else weekday_day_month(row.date)
        if row.age is not None:
            row.age_text = ngettext("%(age)s year", "%(age)s years", row.age) % {"age": row.age}
        name = {"name": row.name}  # the template escapes the whole label
        row.whatsapp_label = _("Wish %(name)s a happy birthday on WhatsApp") % name
        row.sms_label = _("Wish %(name)s a happy birthday by SMS") % name
    return rows


def e164(phone):
    """+33612345678 for her number, None when she has none or it is not a parsed number.

    `if client.phone` formats the number to say whether there is one (PhoneNumber.__len__),
    and the links do it again: the rows shown ask once."""
    return phone.as_e164 if isinstance(phone, PhoneNumber) else None


def wish_urls(client, text):
    """The WhatsApp and SMS links of nailpro.links, her number formatted once."""
    number = e164(client.phone)
    if number is None:
        return whatsapp_url(client, text), sms_url(client, text)
    return (
        f"https://wa.me/{number.lstrip('+')}?text={quote(text)}",
        f"sms:{number}?body={quote(text)}",
    )


def reschedule_requests():
    """Her requests to move an appointment, the soonest appointment first, each with her
    name and her phone's link written once."""
    rows = list(
        RescheduleRequest.objects.waiting()
        .select_related("appointment", "client")
        .only(
            "message",
            "appointment__start",
            *(f"client__{name}" for name in CLIENT_SHOWN),
        )
        .order_by("appointment__start")[:SHOWN]
    )
    details, edits = page_urls("agenda:detail"), page_urls("agenda:edit")
    dismissals = page_urls("agenda:reschedule_dismiss")
    for row in rows:
        row.name = row.client.display_name
        number = e164(row.client.phone)
        row.call_url = f"tel:{number}" if number else tel_url(row.client)
        # What the row writes, made once (links, her appointment's day and time, the label).
        row.detail_url = details(row.appointment_id)
        row.edit_url = edits(row.appointment_id)
        row.dismiss_url = dismissals(row.pk)
        start = timezone.localtime(row.appointment.start)
        row.when = f"{capfirst(weekday_day_month(start))}, {start.strftime('%H:%M')}"
        row.call_label = _("Call %(name)s") % {"name": row.name}
    return rows


def greeting(client, account):
    return _("Happy birthday %(name)s! I wish you a wonderful day. %(business)s") % {
        "name": client.first_name or client.display_name,
        "business": account.name,
    }


@dataclass
class Rebook:
    client_id: object
    search_name: str
    last_visit: datetime.datetime
    interval_days: int
    overdue_days: int
    client: Client | None = None
    # What the dashboard's row writes, made once by describe_rebook().
    name: str = ""
    url: str = ""
    late_text: str = ""


def to_rebook(account, now):
    """Clients whose last visit is older than their usual interval (from their history, else
    the account's setting) and who have no appointment to come; most overdue first.

    The whole list as one query: what the pages read a page at a time along the figures'
    indexes (business.client_lists) and what the dashboard counts (dashboard_counts) must
    equal, as the tests check.
    """
    coming = Appointment.objects.filter(client=OuterRef("pk"), start__gte=now).exclude(
        status__in=Appointment.INACTIVE
    )
    default = datetime.timedelta(weeks=account.rebook_after_weeks)
    late = now - datetime.timedelta(days=1)  # a whole day past her due date
    return (
        active_clients()
        .filter(
            Q(figures__due_at__lte=late)
            | Q(figures__interval_days__isnull=True, figures__last_visit_at__lte=late - default)
        )
        .exclude(Exists(coming))
        .annotate(
            due=Coalesce("figures__due_at", F("figures__last_visit_at") + default),
            last_visit=F("figures__last_visit_at"),
            interval_days=F("figures__interval_days"),
        )
        .order_by("due", "search_name")
    )


def rebook_rows(clients, account, now):
    """The Rebook rows of these clients, read with their last visit and usual interval (as
    to_rebook() and business.client_lists read them)."""
    default = account.rebook_after_weeks * 7
    rows = []
    for client in clients:
        interval = client.interval_days or default
        overdue = (now - client.last_visit).days - interval
        rows.append(
            Rebook(client.pk, client.search_name, client.last_visit, interval, overdue, client)
        )
    return rows


# The dashboard's blocks read the kept figures of listed clients (neither blacklisted nor
# erased: visits.figures.listed, as active_clients()) from the figures' side, through their
# account's indexes, and stop at the rows shown; one query counts both lists.


def _coming(now):
    """Her appointments to come (she is booked: not to book again)."""
    return Appointment.objects.filter(start__gte=now).exclude(status__in=Appointment.INACTIVE)


def _rebook_due(account, now):
    """(the late figures with a usual interval, those of a single visit) and that single
    visit's wait, as to_rebook() reads them."""
    default = datetime.timedelta(weeks=account.rebook_after_weeks)
    late = now - datetime.timedelta(days=1)  # a whole day past her due date
    return Q(due_at__lte=late), Q(interval_days__isnull=True, last_visit_at__lte=late - default)


def dashboard_counts(account, now):
    """How many clients to book again and not seen for 3 months (to_rebook(), lapsed()), and
    the visits still unpaid with their total (unpaid(), as {"count", "amount"}), in one pass
    over the account's kept figures (every client's: an unlisted client's visits are due too)."""
    with_interval, single = _rebook_due(account, now)
    booked = Q(client_id__in=_coming(now).values("client_id"))
    listed = Q(listed=True)
    counts = ClientFigures.objects.aggregate(
        rebook=Count("pk", filter=listed & (with_interval | single) & ~booked),
        lapsed=Count("pk", filter=listed & Q(last_visit_at__lt=now - LAPSED_AFTER)),
        unpaid_visits=Sum("unpaid_count"),
        unpaid_due=Sum("unpaid_total", filter=Q(unpaid_count__gt=0)),
    )
    counts["unpaid"] = {
        "count": counts.pop("unpaid_visits") or 0,
        "amount": counts.pop("unpaid_due"),
    }
    return counts


def describe_rebook(rows):
    """What each row of the dashboard's block writes (her client attached)."""
    links = client_links()
    for row in rows:
        row.name = row.client.display_name
        row.url = links(row.client_id)
        row.late_text = ngettext(
            "last visit %(date)s, %(days)s day late",
            "last visit %(date)s, %(days)s days late",
            row.overdue_days,
        ) % {
            "date": day_month(timezone.localtime(row.last_visit)),
            "days": localize(row.overdue_days),
        }
    return rows


def with_links(clients):
    """Each client's name and card link, written once (the dashboard's short lists)."""
    links = client_links()
    for client in clients:
        client.name = client.display_name
        client.url = links(client.pk)
    return clients


def describe_lapsed(clients):
    """The "not seen" block's rows: her name and link (with_links), her last visit in words."""
    for client in with_links(clients):
        client.last_visit_text = full_date(timezone.localtime(client.last_visit))
    return clients


def lapsed(now):
    """Clients with no visit for 3 months, the most recently lost first: the whole list as one
    query, which the paged reads and the dashboard's count must equal (as to_rebook())."""
    return (
        active_clients()
        .filter(figures__last_visit_at__lt=now - LAPSED_AFTER)
        .annotate(last_visit=F("figures__last_visit_at"))
        .order_by("-figures__last_visit_at", "search_name")
    )


def new_this_month(today):
    return Client.objects.exclude(erased()).filter(
        created_at__gte=local_midnight(today.replace(day=1))
    )


def month_start(day):
    return day.replace(day=1)


def add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


class VisitDays:
    """Visits and revenue by local day over [start, end), read from the kept days
    (visits.figures): at most a year of rows, whatever the number of visits.

    Days kept in another time zone than the active one (the account's changed and no visit
    was written since, or a caller with another zone active) are recomputed from the visits.
    """

    # Far enough around the range for a day kept in another zone to show up in it.
    MARGIN = datetime.timedelta(days=2)

    def __init__(self, start, end):
        self.start, self.end = start, end
        zone = timezone.get_current_timezone()
        rows = DayFigures.objects.filter(
            day__gte=start - self.MARGIN, day__lt=end + self.MARGIN
        ).values_list("day", "time_zone", "visit_count", "revenue")
        name = timezone.get_current_timezone_name()
        rows = list(rows)
        if all(row[1] == name for row in rows):
            self.days = {day: (count, revenue) for day, _zone, count, revenue in rows}
        else:
            visits = Visit.objects.filter(
                started_at__gte=local_midnight(start), started_at__lt=local_midnight(end)
            )
            self.days = kept_figures.day_totals(visits, str(zone))

    def covers(self, start, end):
        return self.start <= start and end <= self.end

    def totals(self, start, end):
        """(visit count, revenue) of the days in [start, end)."""
        count, revenue = 0, Decimal("0")
        for day, (day_count, day_revenue) in self.days.items():
            if start <= day < end:
                count += day_count
                revenue += day_revenue
        return count, revenue


def month_figures(today, now=None, days=None):
    """Visits, revenue and average ticket this month and last month, and the change of this
    month so far against last month at the same point (1 December 10:00 against 1 November
    10:00), so that the 1st of a month is not a fall of 100 %.

    Whole days are read from the kept days (`days`, a VisitDays, read here when not given),
    the two days cut by "now" and "the same point" from their visits."""
    this_month = month_start(today)
    last_month = add_months(this_month, -1)
    next_month = add_months(this_month, 1)
    bounds = [local_midnight(day) for day in (last_month, this_month, next_month)]
    # `now` defaults to the end of `today`; a past day is compared whole.
    now = now or local_midnight(today + datetime.timedelta(days=1))
    # Last month at the same point, shortened to its length (31 March against all February).
    same_point = min(bounds[0] + (now - bounds[1]), bounds[1])
    # Each period to date: its whole days, then the visits of the day it ends in.
    now_day = timezone.localtime(now).date()
    same_day = timezone.localtime(same_point).date()
    end = max(next_month, now_day + datetime.timedelta(days=1))
    if days is None or not days.covers(min(last_month, same_day, now_day), end):
        days = VisitDays(min(last_month, same_day, now_day), end)
    cuts = {
        "this_to_date": (this_month, now_day, local_midnight(now_day), now),
        "last_to_date": (last_month, same_day, local_midnight(same_day), same_point),
    }
    partial = dict.fromkeys(cuts, (0, Decimal("0")))
    ranges = {
        period: Q(started_at__gte=start, started_at__lt=end)
        for period, (*_days, start, end) in cuts.items()
        if start < end
    }
    read = {}
    aggregates = {
        f"{name}_{period}": aggregate("total", filter=where)
        for period, where in ranges.items()
        for name, aggregate in (("count", Count), ("revenue", Sum))
    }
    if ranges:
        where = functools.reduce(operator.or_, ranges.values())
        read = Visit.objects.filter(where).aggregate(**aggregates)
    for period in ranges:
        partial[period] = (read[f"count_{period}"], read[f"revenue_{period}"] or Decimal("0"))
    totals = {
        "last": days.totals(last_month, this_month),
        "this": days.totals(this_month, next_month),
    }
    for period, (first_day, cut_day, *_cut) in cuts.items():
        count, revenue = days.totals(first_day, cut_day) if first_day < cut_day else (0, 0)
        totals[period] = (count + partial[period][0], revenue + partial[period][1])
    figures = {}
    for period, (count, revenue) in totals.items():
        figures[f"count_{period}"] = count
        figures[f"revenue_{period}"] = Decimal(revenue)
        figures[f"average_{period}"] = Decimal(revenue) / count if count else Decimal("0")
    figures["revenue_change"] = change(
        figures["revenue_this_to_date"], figures["revenue_last_to_date"]
    )
    figures["count_change"] = change(figures["count_this_to_date"], figures["count_last_to_date"])
    figures["month"] = this_month
    figures["last_month"] = last_month
    figures["compared_until"] = timezone.localtime(same_point - datetime.timedelta(seconds=1))
    return figures


def change(now, before):
    """The change in percent, or None when there is nothing to compare with."""
    if not before:
        return None
    return round((Decimal(now) - Decimal(before)) * 100 / Decimal(before))


@dataclass
class Bar:
    month: datetime.date
    revenue: Decimal
    x: float
    y: float
    height: float
    # What the chart writes, made once here (label_bars) rather than by filters in its loops.
    name: str = ""  # "décembre 2026"
    initial: str = ""  # "d"
    amount: str = ""  # "1 234,00 €"
    svg: dict | None = None  # x, y and height as SVG attributes write them (never "3,5")


def label_bars(bars, currency):
    """Write each bar's month, its initial, its amount and its coordinates once."""
    for bar in bars:
        bar.name = date_format(bar.month, "YEAR_MONTH_FORMAT")
        bar.initial = date_format(bar.month, "M")[:1]
        bar.amount = format_money(bar.revenue, currency)
        bar.svg = {"x": str(bar.x), "y": str(bar.y), "height": str(bar.height)}
    return bars


CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 360, 120, 6


def chart_start(today):
    return add_months(month_start(today), -11)


def revenue_by_month(today, days=None):
    """Revenue of the last 12 months (this one included), with the SVG bars drawing it, from
    the kept days (`days`, a VisitDays, read here when not given)."""
    first = chart_start(today)
    end = add_months(month_start(today), 1)
    if days is None or not days.covers(first, end):
        days = VisitDays(first, end)
    totals = {}
    for day, (_count, revenue) in days.days.items():
        if first <= day < end:
            month = month_start(day)
            totals[month] = totals.get(month, 0) + revenue
    months = [add_months(first, n) for n in range(12)]
    highest = max((totals.get(month) or 0 for month in months), default=0) or 1
    width = CHART_WIDTH / 12
    bars = []
    for index, month in enumerate(months):
        revenue = totals.get(month) or Decimal("0")
        height = float(revenue) / float(highest) * CHART_HEIGHT
        bars.append(
            Bar(
                month=month,
                revenue=revenue,
                x=round(index * width + BAR_GAP / 2, 1),
                y=round(CHART_HEIGHT - height, 1),
                height=round(height, 1),
            )
        )
    return bars


UNPAID_VISITS = Q(paid=False)
UNPAID = {
    "count": Count("pk", filter=UNPAID_VISITS),
    "amount": Sum("total", filter=UNPAID_VISITS),
}


def unpaid():
    """How many visits are still due, and how much, from the visits (the dashboard adds up the
    kept figures instead: dashboard_counts)."""
    return Visit.objects.filter(UNPAID_VISITS).aggregate(**UNPAID)
