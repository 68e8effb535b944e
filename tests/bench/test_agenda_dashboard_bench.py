"""Dashboard and agenda timings on a large account: `make bench` prints the figures."""

import datetime

import pytest
import time_machine
from django_scopes import scopes_disabled

from clients.models import Client
from tests.agenda.conftest import at, book
from tests.bench.test_clients_bench import timed
from tests.business.test_dashboard import _fill
from tests.factories import ServiceFactory, make_pro

pytestmark = pytest.mark.django_db


def test_dashboard_day_and_week(alice, alice_client):
    make_pro(alice.account)
    _fill(alice.account, 2000, 0)  # 2,000 clients, 4,000 visits
    with scopes_disabled():
        service = ServiceFactory(account=alice.account, duration=45)
        clients = list(Client.objects.filter(account=alice.account)[:60])
    for n, client in enumerate(clients):  # 60 appointments in the week
        day = datetime.date(2026, 11, 30) + datetime.timedelta(days=n % 6)
        book(client, at(day.year, day.month, day.day, 8 + n % 10, 0), [service])
    with time_machine.travel(at(2026, 12, 2, 8, 0), tick=False):
        for label, url in (
            ("dashboard", "/"),
            ("agenda day", "/agenda/?date=2026-12-02"),
            ("agenda week", "/agenda/week/?date=2026-12-02"),
            ("agenda month", "/agenda/month/?date=2026-12-02"),
        ):
            median, worst = timed(alice_client, url)
            print(f" 2000 clients · {label:<13} median {median:6.1f} ms · max {worst:6.1f} ms")
