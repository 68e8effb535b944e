"""Kept figures (visits.figures) equal a full recomputation after any sequence of changes."""

import datetime
import io
import random
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from agenda.models import Appointment
from agenda.services import appointment_cancel, appointment_finish
from clients.models import Client
from clients.services import client_erase
from tests.factories import (
    AccountFactory,
    AppointmentFactory,
    ClientFactory,
    VisitFactory,
    make_pro,
)
from visits import figures
from visits.models import ClientFigures, DayFigures, Visit

pytestmark = pytest.mark.django_db


def recomputed(account):
    """Every client's figures, computed here from her visits in Python."""
    by_client = {}
    unpaid = {}
    for client_id, started_at, total, paid in Visit._base_manager.filter(
        account=account
    ).values_list("client_id", "started_at", "total", "paid"):
        by_client.setdefault(client_id, []).append((started_at, total))
        count, due = unpaid.get(client_id, (0, Decimal("0")))
        unpaid[client_id] = (count, due) if paid else (count + 1, due + total)
    listed = set(
        Client._base_manager.filter(account=account, blacklisted=False)
        .exclude(first_name="—", last_name="", phone="", email="")
        .values_list("pk", flat=True)
    )
    expected = {}
    for client_id, visits in by_client.items():
        dates = [started for started, _total in visits]
        first, last, count = min(dates), max(dates), len(visits)
        interval = max(round((last - first).days / (count - 1)), 1) if count > 1 else None
        expected[client_id] = (
            first,
            last,
            count,
            sum((total for _started, total in visits), Decimal("0")),
            interval,
            last + datetime.timedelta(days=interval) if interval else None,
            client_id in listed,
            *unpaid[client_id],
        )
    return expected


def recomputed_days(account):
    """Every day's visit count and revenue, computed here in Python, days local to her zone."""
    time_zone = type(account).objects.get(pk=account.pk).time_zone
    zone = zoneinfo.ZoneInfo(time_zone)
    days = {}
    for started_at, total in Visit._base_manager.filter(account=account).values_list(
        "started_at", "total"
    ):
        day = started_at.astimezone(zone).date()
        count, revenue = days.get(day, (0, Decimal("0")))
        days[day] = (count + 1, revenue + total)
    return {day: (time_zone, *totals) for day, totals in days.items()}


def kept_days(account):
    return figures.kept_days(account.pk)


def kept(account):
    return {
        row.client_id: figures.as_tuple(row)
        for row in ClientFigures._base_manager.filter(account=account)
    }


def test_kept_figures_equal_a_recomputation_after_random_changes():
    rng = random.Random(16)
    with scopes_disabled():
        account, other = AccountFactory(), AccountFactory()
        make_pro(account)
        bystander = VisitFactory(client=ClientFactory(account=other))
        clients = [ClientFactory(account=account) for _ in range(6)]
        appointments = []
        now = timezone.now()

        def moment():
            return now - datetime.timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 600))

        for step in range(300):
            live = [c for c in clients if Client._base_manager.filter(pk=c.pk).exists()]
            visits = list(Visit._base_manager.filter(account=account))
            action = rng.choice(
                ["visit"] * 6
                + ["edit", "move", "delete", "client", "erase", "drop", "book", "finish"]
                + ["purge", "zone", "blacklist", "rename", "pay"]
            )
            if action == "visit" and live:
                VisitFactory(
                    client=rng.choice(live),
                    started_at=moment(),
                    total=Decimal(rng.randint(0, 9000)) / 100,
                )
            elif action == "edit" and visits:
                visit = rng.choice(visits)
                visit.started_at, visit.total = moment(), Decimal(rng.randint(0, 90))
                visit.save()
            elif action == "pay" and visits:
                visit = rng.choice(visits)
                visit.paid = not visit.paid
                visit.save()
            elif action == "move" and visits and live:
                visit = rng.choice(visits)
                visit.client = rng.choice(live)
                visit.save()
            elif action == "delete" and visits:
                rng.choice(visits).delete()
            elif action == "client":
                clients.append(ClientFactory(account=account))
            elif action == "blacklist" and live:
                client = rng.choice(live)
                client.blacklisted = not client.blacklisted
                client.blacklist_reason = "Never came" if client.blacklisted else ""
                if rng.random() < 0.5:
                    client.save()
                else:
                    client.save(update_fields=["blacklisted", "blacklist_reason"])
            elif action == "rename" and live:
                client = rng.choice(live)
                client.first_name = client.first_name + "a"
                client.save(update_fields=["first_name"])
            elif action == "erase" and live:
                client_erase(client=rng.choice(live))
            elif action == "drop" and len(live) > 2:
                rng.choice(live).delete()
            elif action == "purge" and visits:
                # A queryset's deletion: her visits of a day range, at once.
                start = moment()
                Visit._base_manager.filter(
                    account=account,
                    started_at__gte=start,
                    started_at__lt=start + datetime.timedelta(days=30),
                ).delete()
            elif action == "zone":
                account.time_zone = rng.choice(
                    ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]
                )
                account.save()
            elif action == "book" and live:
                appointments.append(AppointmentFactory(client=rng.choice(live)))
            elif action == "finish" and appointments:
                appointment = appointments.pop()
                if not Appointment._base_manager.filter(pk=appointment.pk).exists():
                    continue
                if rng.random() < 0.5:
                    appointment_cancel(appointment=appointment, by=Appointment.CancelledBy.CLIENT)
                else:
                    visit = VisitFactory(client=appointment.client, started_at=moment())
                    appointment_finish(appointment=appointment, visit=visit)
            if step % 25 == 0:
                assert kept(account) == recomputed(account), f"after step {step} ({action})"
                assert kept_days(account) == recomputed_days(account), f"step {step} ({action})"

        assert kept(account) == recomputed(account)
        assert kept_days(account) == recomputed_days(account)
        assert kept_days(account) == figures.computed_days(account.pk)
        assert len(kept_days(account)) > 3
        assert kept_days(other) == recomputed_days(other)
        assert len(kept(account)) > 3
        assert kept(other) == recomputed(other)
        assert bystander.client_id in kept(other)

        # The command gives the same rows back after they are lost.
        ClientFigures._base_manager.filter(account=account).delete()
        DayFigures._base_manager.filter(account=account).delete()
        call_command("rebuild_figures", account=str(account.pk), stdout=io.StringIO())
        assert kept(account) == recomputed(account)
        assert kept_days(account) == recomputed_days(account)
        DayFigures._base_manager.all().delete()
        call_command("rebuild_figures", stdout=io.StringIO())
        assert kept(account) == recomputed(account)
        assert kept(other) == recomputed(other)
        assert kept_days(account) == recomputed_days(account)
        assert kept_days(other) == recomputed_days(other)


def test_the_rebuild_command_refuses_an_unknown_account():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_figures", account="not-a-uuid", stdout=io.StringIO())


def test_a_client_without_visits_has_no_figures_and_her_last_visit_gone_takes_them():
    with scopes_disabled():
        client = ClientFactory()
        assert not ClientFigures._base_manager.filter(client=client).exists()
        visit = VisitFactory(client=client)
        assert ClientFigures._base_manager.get(client=client).visit_count == 1
        visit.delete()
        assert not ClientFigures._base_manager.filter(client=client).exists()


def test_a_day_without_visits_has_no_row_and_the_account_s_deletion_takes_its_days():
    with scopes_disabled():
        client = ClientFactory()
        account = client.account
        visit = VisitFactory(client=client, total=Decimal("40"))
        assert figures.kept_days(account.pk) == figures.computed_days(account.pk)
        assert [row[1:] for row in figures.kept_days(account.pk).values()] == [(1, Decimal("40"))]
        visit.delete()
        assert figures.kept_days(account.pk) == {}
        VisitFactory(client=client)
        account.delete()
        assert not DayFigures._base_manager.exists()
