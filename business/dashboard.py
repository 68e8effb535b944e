"""The dashboard's blocks. Each reads what it shows in a fixed number of queries, whatever the
number of clients; the dashboard reads from every app and no app reads from it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Appointment, local_midnight
from clients.forms import birthday_window
from clients.models import Client, Gift, birthday_in, birthday_of, born_on_any
from nailpro.links import sms_url, whatsapp_url
from visits.models import Visit

from .retention import erased

LAPSED_AFTER = datetime.timedelta(days=90)
SHOWN = 5  # rows per block; each block links to its full list
BIRTHDAYS_SHOWN = 10


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
    client: Client | None = None  # read for the rows shown only (with_greetings)
    whatsapp_url: str = ""
    sms_url: str = ""


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
            "pk", "search_name", "birth_date", "birthday_month", "birthday_day", "last_gift"
        )
    )
    rows = []
    for pk, search_name, birth_date, month, day, last_gift in clients:
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
        rows.append(Birthday(pk, search_name, date, date == today, age, gift_given))
    return sorted(rows, key=lambda row: (row.date, row.search_name))


def with_greetings(rows, account):
    """Attach her Client to each birthday shown, with the one-tap WhatsApp and SMS wishes."""
    with_clients(rows)
    for row in rows:
        text = greeting(row.client, account)
        row.whatsapp_url = whatsapp_url(row.client, text)
        row.sms_url = sms_url(row.client, text)
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
    client: Client | None = None  # read for the rows shown only (with_clients)


def to_rebook(account, now):
    """Clients whose last visit is older than their usual interval (from their history, else
    the account's setting) and who have no appointment to come; most overdue first.

    Read from the kept figures (visits.figures) through their due-date index; the rows are
    made Rebook objects by rebook_rows() for the page shown only.
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
        .annotate(due=Coalesce("figures__due_at", F("figures__last_visit_at") + default))
        .select_related("figures")
        .order_by("due", "search_name")
    )


def rebook_rows(clients, account, now):
    """The Rebook rows of these clients (a page of to_rebook())."""
    default = account.rebook_after_weeks * 7
    rows = []
    for client in clients:
        figures = client.figures
        interval = figures.interval_days or default
        overdue = (now - figures.last_visit_at).days - interval
        rows.append(
            Rebook(client.pk, client.search_name, figures.last_visit_at, interval, overdue, client)
        )
    return rows


def with_clients(rows):
    """Attach her Client to each row shown, in one query."""
    clients = Client.objects.in_bulk([row.client_id for row in rows])
    for row in rows:
        row.client = clients[row.client_id]
    return rows


def lapsed(now):
    """Clients with no visit for 3 months, the most recently lost first (kept figures)."""
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


def month_figures(today, now=None):
    """Visits, revenue and average ticket this month and last month, and the change of this
    month so far against last month at the same point (1 December 10:00 against 1 November
    10:00), so that the 1st of a month is not a fall of 100 %."""
    this_month = month_start(today)
    last_month = add_months(this_month, -1)
    bounds = [local_midnight(day) for day in (last_month, this_month, add_months(this_month, 1))]
    # `now` defaults to the end of `today`; a past day is compared whole.
    now = now or local_midnight(today + datetime.timedelta(days=1))
    # Last month at the same point, shortened to its length (31 March against all February).
    same_point = min(bounds[0] + (now - bounds[1]), bounds[1])
    periods = {
        "last": (bounds[0], bounds[1]),
        "this": (bounds[1], bounds[2]),
        "this_to_date": (bounds[1], now),
        "last_to_date": (bounds[0], same_point),
    }
    figures = Visit.objects.aggregate(
        **{
            f"{name}_{period}": aggregate(
                "total", filter=Q(started_at__gte=start, started_at__lt=end)
            )
            for period, (start, end) in periods.items()
            for name, aggregate in (("count", Count), ("revenue", Sum), ("average", Avg))
        }
    )
    for key, value in figures.items():
        if value is None:
            figures[key] = Decimal("0")
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


CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 360, 120, 6


def revenue_by_month(today):
    """Revenue of the last 12 months (this one included), with the SVG bars drawing it."""
    first = add_months(month_start(today), -11)
    totals = dict(
        Visit.objects.filter(started_at__gte=local_midnight(first))
        .annotate(month=TruncMonth("started_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(revenue=Sum("total"))
        .values_list("month", "revenue")
    )
    totals = {_as_date(month): revenue for month, revenue in totals.items()}
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


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def unpaid():
    return Visit.objects.filter(paid=False).aggregate(count=Count("pk"), amount=Sum("total"))
