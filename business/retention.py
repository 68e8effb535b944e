"""Retention: the clients nothing has happened with for longer than the account keeps them.

It reads from the apps below the top app, as the dashboard does; no app reads from it.
"""

from django.db.models import DateTimeField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from clients.models import Client
from clients.services import ERASED_NAME, client_erase
from nailpro import privacy


def retention_cutoff(account, now=None):
    """Return the moment before which a client counts as inactive for this account."""
    now = now or timezone.now()
    years = account.retention_years
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February, in a common year
        return now.replace(year=now.year - years, day=28)


def erased():
    """Clients already erased (clients.services.client_erase): nameless, nothing to erase."""
    return Q(first_name=ERASED_NAME, last_name="", phone="", email="")


def inactive_clients(account, now=None):
    """Clients with no visit and no appointment since the cutoff, added before it.

    Each is annotated with `last_seen`: her latest visit or appointment, or None.
    """
    cutoff = retention_cutoff(account, now)
    clients = Client.objects.filter(account=account, created_at__lt=cutoff).exclude(erased())
    latest = []
    # What means she was seen or is expected, as each app declares it (nailpro.privacy):
    # a visit, or an appointment (even one to come).
    for model, date_field in privacy.client_activity():
        rows = model.objects.filter(client=OuterRef("pk"))
        clients = clients.exclude(Exists(rows.filter(**{f"{date_field}__gte": cutoff})))
        latest.append(
            Subquery(rows.order_by(f"-{date_field}").values(date_field)[:1]),
        )
    last_seen = _latest(latest)
    return clients.annotate(last_seen=last_seen).order_by(
        F("last_seen").asc(nulls_first=True), "created_at"
    )


def _latest(dates):
    """The latest of these dates, NULLs left aside (None if there is none).

    Greatest() of a NULL is NULL on SQLite (not on PostgreSQL): each side falls back on the
    others first, so both databases agree.
    """
    if not dates:
        return Value(None, output_field=DateTimeField())
    if len(dates) == 1:
        return dates[0]
    return Greatest(
        *[Coalesce(date, *[other for other in dates if other is not date]) for date in dates]
    )


def inactive_erase(*, account, now=None):
    """Erase every inactive client, each in her own transaction; return how many."""
    erased_count = 0
    for client in list(inactive_clients(account, now)):
        client_erase(client=client)  # atomic on its own: one failure keeps the others done
        erased_count += 1
    return erased_count


def describe_cutoff(account, now=None):
    """Return the cutoff as a local date, for the page."""
    return timezone.localtime(retention_cutoff(account, now)).date()
