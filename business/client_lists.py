"""The full lists "to book again" and "not seen for 3 months", read a page at a time along the
kept figures' indexes (visits.ClientFigures): a page reads its rows and one more, whatever her
number of clients, and no count (a count reads every matching client)."""

import datetime
import heapq
from itertools import islice
from operator import attrgetter

from django.db.models import Exists, F, OuterRef, Value

from agenda.models import Appointment

from .dashboard import LAPSED_AFTER, active_clients, rebook_rows

# What a row shows (clients.rows): her names, her phone (a nameless client is named by it;
# WhatsApp), and the scope's account. The other fields are left unread: each costs its
# conversion on every row (a phone number is parsed).
ROW_FIELDS = ("account_id", "first_name", "last_name", "patronymic", "phone", "search_name")


class Window:
    """A page of a list read as its rows and one more: it knows whether a next page exists, not
    how many pages there are (templates/nailpro/pagination.html then says "Page 2")."""

    paginator = None

    def __init__(self, rows, number, size):
        self.number = number
        self.object_list = rows[:size]
        self.has_next = len(rows) > size
        self.has_previous = number > 1

    def has_other_pages(self):
        return self.has_previous or self.has_next

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def page_number(value):
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def window(read, number, size):
    """The page `number` of the rows read(offset, limit); past the end, the first page."""
    rows = read((number - 1) * size, size + 1)
    if not rows and number > 1:
        number, rows = 1, read(0, size + 1)
    return Window(rows, number, size)


def lapsed_page(account, now, number, size):
    """Clients with no visit for 3 months, the most recently lost first: along the figures'
    (account, last visit) index, so the first rows come without sorting the others."""
    clients = (
        active_clients()
        .filter(figures__account=account, figures__last_visit_at__lt=now - LAPSED_AFTER)
        .only(*ROW_FIELDS)
        .annotate(last_visit=F("figures__last_visit_at"))
        .order_by("-figures__last_visit_at", "search_name", "pk")
    )
    return window(lambda offset, limit: list(clients[offset : offset + limit]), number, size)


def rebook_page(account, now, number, size):
    """Clients whose last visit is older than their usual interval (from their history, else
    the account's setting) and who have no appointment to come; most overdue first.

    Two orders merged: clients with a usual interval by their due date (the figures' due
    index), clients of a single visit by their last visit (its partial index) plus the
    account's setting. Each gives its first rows up to the end of the page, merged here."""
    coming = Appointment.objects.filter(client=OuterRef("pk"), start__gte=now).exclude(
        status__in=Appointment.INACTIVE
    )
    default = datetime.timedelta(weeks=account.rebook_after_weeks)
    late = now - datetime.timedelta(days=1)  # a whole day past her due date
    clients = (
        active_clients()
        .filter(figures__account=account)
        .exclude(Exists(coming))
        .only(*ROW_FIELDS)
        .annotate(last_visit=F("figures__last_visit_at"), interval_days=F("figures__interval_days"))
    )
    regular = clients.filter(figures__due_at__lte=late).annotate(due=F("figures__due_at"))
    single = clients.filter(
        figures__interval_days__isnull=True, figures__last_visit_at__lte=late - default
    ).annotate(due=F("figures__last_visit_at") + Value(default))
    # Each in the order of its index (the same as by due date: due = last visit + a constant).
    regular = regular.order_by("figures__due_at", "search_name", "pk")
    single = single.order_by("figures__last_visit_at", "search_name", "pk")

    def read(offset, limit):
        end = offset + limit
        # Merged here, in due order (on a tie, those with an interval first): a database
        # may not take a LIMIT in each part of a UNION (SQLite).
        both = heapq.merge(regular[:end], single[:end], key=attrgetter("due"))
        return rebook_rows(list(islice(both, offset, end)), account, now)

    return window(read, number, size)
