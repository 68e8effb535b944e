"""Figures kept up to date on write (rule 11).

Per client (ClientFigures): first and last visit, how many, what she spent, her usual interval
and when she is due again, her visits still unpaid and their total, and whether she is listed
(neither blacklisted nor erased: the clients the dashboard calls back). The dashboard, "to book
again", "not seen for 3 months" and the card read these rows instead of weighing every visit on
every request. A client with no visit has no row.

Per day of the account (DayFigures): how many visits and what they brought in, the day local
to the account's time zone. The dashboard's month and its 12-month chart add these up. A day
without visits has no row.

The writers are here only: `refresh()` and `refresh_days()`, called by Visit.save() and
Visit.delete() inside the same transaction as the change, the post_delete receiver
(`visit_deleted`) for visits deleted with their client or by a queryset, and the post_save
receivers of a client (`client_saved`: her listed flag) and of an account (`account_saved`: its
time zone); `rebuild()` recomputes an account (the `rebuild_figures` command, bulk inserts,
the bench).
"""

import datetime
import zoneinfo

from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Max, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from clients.models import Client
from clients.services import ERASED_NAME
from nailpro.models import Account


def _figures_model():
    from .models import ClientFigures  # the models import this module

    return ClientFigures


def _day_model():
    from .models import DayFigures

    return DayFigures


def _visit_model():
    from .models import Visit

    return Visit


def interval_days(first, last, count):
    """Her usual number of days between two visits, None after a single visit."""
    if count < 2:
        return None
    return max(round((last - first).days / (count - 1)), 1)


def listed(prefix=""):
    """Clients neither blacklisted nor erased (clients.services.client_erase), as a Q on the
    Client model, or on a model pointing to it through `prefix` ("client__")."""
    erased = {f"{prefix}{name}": value for name, value in ERASED.items()}
    return Q(**{f"{prefix}blacklisted": False}) & ~Q(**erased)


# What client_erase leaves of her card (business.retention.erased() says the same).
ERASED = {"first_name": ERASED_NAME, "last_name": "", "phone": "", "email": ""}


def _rows(visits):
    figures = []
    ClientFigures = _figures_model()
    for row in (
        visits.order_by()
        .values(
            "client_id",
            "account_id",
            listed=ExpressionWrapper(listed("client__"), output_field=BooleanField()),
        )
        .annotate(
            first=Min("started_at"),
            last=Max("started_at"),
            count=Count("pk"),
            spent=Sum("total"),
            unpaid=Count("pk", filter=Q(paid=False)),
            due=Sum("total", filter=Q(paid=False)),
        )
    ):
        interval = interval_days(row["first"], row["last"], row["count"])
        figures.append(
            ClientFigures(
                account_id=row["account_id"],
                client_id=row["client_id"],
                first_visit_at=row["first"],
                last_visit_at=row["last"],
                visit_count=row["count"],
                total_spent=row["spent"],
                interval_days=interval,
                due_at=row["last"] + datetime.timedelta(days=interval) if interval else None,
                listed=row["listed"],
                unpaid_count=row["unpaid"],
                unpaid_total=row["due"] or 0,
            )
        )
    return figures


def refresh(*client_ids):
    """Recompute the figures of these clients from their visits, in the caller's transaction."""
    ids = {pk for pk in client_ids if pk is not None}
    if not ids:
        return
    ClientFigures = _figures_model()
    with transaction.atomic():
        # Her row locked: two changes to her visits at once are weighed one after the other.
        list(Client._base_manager.select_for_update().filter(pk__in=ids).values_list("pk"))
        ClientFigures._base_manager.filter(client_id__in=ids).delete()
        ClientFigures._base_manager.bulk_create(
            _rows(_visit_model()._base_manager.filter(client_id__in=ids))
        )


def rebuild(account_id=None):
    """Recompute every client's figures and every day's, of one account or of all; return the
    clients' rows written."""
    ClientFigures = _figures_model()
    visits = _visit_model()._base_manager.all()
    kept = ClientFigures._base_manager.all()
    if account_id is not None:
        visits, kept = visits.filter(account_id=account_id), kept.filter(account_id=account_id)
        accounts = [account_id]
    else:
        accounts = list(Account.objects.values_list("pk", flat=True))
    with transaction.atomic():
        kept.delete()
        rows = _rows(visits)
        ClientFigures._base_manager.bulk_create(rows, batch_size=2000)
        for pk in accounts:
            _rebuild_days(pk, lock_account(pk))
    return len(rows)


# The account's days -------------------------------------------------------------------------


def lock_account(account_id):
    """Lock the account's row for the caller's transaction (its visits' numbers and kept days
    change one writer after the other) and return its time zone."""
    return (
        Account.objects.select_for_update()
        .filter(pk=account_id)
        .values_list("time_zone", flat=True)
        .first()
    )


def stored_started_at(visit_id):
    return (
        _visit_model()
        ._base_manager.filter(pk=visit_id)
        .values_list("started_at", flat=True)
        .first()
    )


def day_start(day, zone):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), zone)


def day_totals(visits, time_zone):
    """{day: (visit count, revenue)} of these visits, the days local to `time_zone`."""
    zone = zoneinfo.ZoneInfo(time_zone)
    return {
        row["day"]: (row["count"], row["revenue"])
        for row in visits.order_by()
        .annotate(day=TruncDate("started_at", tzinfo=zone))
        .values("day")
        .annotate(count=Count("pk"), revenue=Sum("total"))
    }


def _write_days(account_id, time_zone, visits):
    DayFigures = _day_model()
    DayFigures._base_manager.bulk_create(
        [
            DayFigures(
                account_id=account_id,
                day=day,
                time_zone=time_zone,
                visit_count=count,
                revenue=revenue,
            )
            for day, (count, revenue) in day_totals(visits, time_zone).items()
        ],
        batch_size=2000,
    )


def _rebuild_days(account_id, time_zone):
    _day_model()._base_manager.filter(account_id=account_id).delete()
    if time_zone is not None:
        _write_days(
            account_id, time_zone, _visit_model()._base_manager.filter(account_id=account_id)
        )


def refresh_days(account_id, time_zone, *moments):
    """Recompute the account's days holding these moments from their visits, in the caller's
    transaction, the account's row locked (lock_account). Days kept in another time zone (the
    account's changed) are all recomputed in hers."""
    zone = zoneinfo.ZoneInfo(time_zone)
    days = {
        timezone.localtime(_aware(moment), zone).date() for moment in moments if moment is not None
    }
    if not days:
        return
    kept = _day_model()._base_manager.filter(account_id=account_id)
    if kept.exclude(time_zone=time_zone).exists():
        _rebuild_days(account_id, time_zone)
        return
    ranges = Q()
    for day in days:
        ranges |= Q(
            started_at__gte=day_start(day, zone),
            started_at__lt=day_start(day + datetime.timedelta(days=1), zone),
        )
    kept.filter(day__in=days).delete()
    _write_days(
        account_id,
        time_zone,
        _visit_model()._base_manager.filter(account_id=account_id).filter(ranges),
    )


def _aware(moment):
    """A naive date and time is saved in the default time zone (DateTimeField): read it so."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def visit_deleted(sender, instance, origin=None, **kwargs):
    """post_delete of a visit, on its own (Visit.delete()), with its client or by a queryset.

    The deleted visits are all gone when this runs: its day is refreshed once per deletion, or
    the account's days at once for a queryset's; a queryset of visits also refreshes their
    clients' figures (Visit.delete() does it itself; a deleted client's go with her)."""
    Visit = _visit_model()
    if isinstance(origin, Account):  # the account goes, and its figures with it
        return
    marker = origin if origin is not None else instance
    done = marker.__dict__.setdefault("_figures_done", {})
    account_id = instance.account_id
    one_by_one = isinstance(marker, (Client, Visit))
    if account_id not in done:
        time_zone = lock_account(account_id)
        done[account_id] = (time_zone, set())
        if time_zone is not None and not one_by_one:
            _rebuild_days(account_id, time_zone)
    time_zone, seen = done[account_id]
    if not one_by_one:
        if getattr(marker, "model", None) is Visit and instance.client_id not in seen:
            seen.add(instance.client_id)
            refresh(instance.client_id)
        return
    moment = _aware(getattr(instance, "_stored_started_at", None) or instance.started_at)
    day = timezone.localtime(moment, zoneinfo.ZoneInfo(time_zone)).date()
    if day not in seen:
        seen.add(day)
        refresh_days(account_id, time_zone, moment)


LISTING_FIELDS = {"blacklisted", *ERASED}


def client_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """post_save of a client: her listed flag follows her card (blacklisted, erased)."""
    if created or (update_fields is not None and not LISTING_FIELDS & set(update_fields)):
        return  # a new client has no visit yet, so no figures
    _figures_model()._base_manager.filter(client_id=instance.pk).update(
        listed=Exists(Client._base_manager.filter(listed(), pk=instance.pk))
    )


def account_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """post_save of an account: when her time zone changed, her days are recomputed in it."""
    if created or (update_fields is not None and "time_zone" not in update_fields):
        return
    kept = _day_model()._base_manager.filter(account_id=instance.pk)
    if kept.exclude(time_zone=instance.time_zone).exists():
        with transaction.atomic():
            _rebuild_days(instance.pk, lock_account(instance.pk))


def computed_days(account_id):
    """The days as a full recomputation gives them (for the checks)."""
    time_zone = Account.objects.values_list("time_zone", flat=True).get(pk=account_id)
    visits = _visit_model()._base_manager.filter(account_id=account_id)
    return {day: (time_zone, *totals) for day, totals in day_totals(visits, time_zone).items()}


def kept_days(account_id):
    return {
        row.day: (row.time_zone, row.visit_count, row.revenue)
        for row in _day_model()._base_manager.filter(account_id=account_id)
    }


def computed(account_id):
    """The figures as a full recomputation gives them, by client id (for the checks)."""
    visits = _visit_model()._base_manager.filter(account_id=account_id)
    return {row.client_id: as_tuple(row) for row in _rows(visits)}


def as_tuple(row):
    return (
        row.first_visit_at,
        row.last_visit_at,
        row.visit_count,
        row.total_spent,
        row.interval_days,
        row.due_at,
        row.listed,
        row.unpaid_count,
        row.unpaid_total,
    )
