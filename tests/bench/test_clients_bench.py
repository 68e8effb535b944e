"""Client list and card timings on a large account: `make bench` prints the figures."""

import statistics
import time

import pytest
from django_scopes import scopes_disabled

from clients.models import Client
from tests.factories import ClientFactory, GiftFactory, make_pro

pytestmark = pytest.mark.django_db

SIZES = (200, 2000)


def timed(client, url, params=None, runs=15):
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, params or {})
        durations.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(durations), max(durations)


def test_client_list_search_and_card(alice, alice_client):
    created = 0
    for size in SIZES:
        with scopes_disabled():
            make_pro(alice.account)
            ClientFactory.create_batch(size - created, account=alice.account)
            created = size
            card = Client.objects.filter(account=alice.account).first()
            GiftFactory.create_batch(10, client=card)
        rows = [
            ("list", "/clients/", None),
            ("search by name", "/clients/", {"q": "mar"}),
            ("search by phone", "/clients/", {"q": "06 12 34"}),
            ("birthday filter", "/clients/", {"birthday": "week"}),
            ("card", f"/clients/{card.pk}/", None),
        ]
        for label, url, params in rows:
            median, worst = timed(alice_client, url, params)
            print(f"{size:>5} clients · {label:<16} median {median:6.1f} ms · max {worst:6.1f} ms")
