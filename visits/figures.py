"""Her figures kept up to date on write (rule 11): first and last visit, how many, what she spent,
her usual interval and when she is due again.

The dashboard, "to book again", "not seen for 3 months" and the card read these rows instead of
weighing every visit on every request. The one writer is `refresh()`, called by Visit.save() and
Visit.delete() inside the same transaction as the change; `rebuild()` recomputes an account
(the `rebuild_figures` command, bulk inserts, the bench). A client with no visit has no row.
"""

import datetime

from django.db import transaction
from django.db.models import Count, Max, Min, Sum

from clients.models import Client


def _figures_model():
    from .models import ClientFigures  # the models import this module

    return ClientFigures


def _visit_model():
    from .models import Visit

    return Visit


def interval_days(first, last, count):
    """Her usual number of days between two visits, None after a single visit."""
    if count < 2:
        return None
    return max(round((last - first).days / (count - 1)), 1)


def _rows(visits):
    figures = []
    ClientFigures = _figures_model()
    for row in (
        visits.order_by()
        .values("client_id", "account_id")
        .annotate(
            first=Min("started_at"), last=Max("started_at"), count=Count("pk"), spent=Sum("total")
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
    """Recompute every client's figures, of one account or of all; return the rows written."""
    ClientFigures = _figures_model()
    visits = _visit_model()._base_manager.all()
    kept = ClientFigures._base_manager.all()
    if account_id is not None:
        visits, kept = visits.filter(account_id=account_id), kept.filter(account_id=account_id)
    with transaction.atomic():
        kept.delete()
        rows = _rows(visits)
        ClientFigures._base_manager.bulk_create(rows, batch_size=2000)
    return len(rows)


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
    )
