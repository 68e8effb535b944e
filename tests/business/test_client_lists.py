"""The full lists to book again and not seen for 3 months, read a page at a time along the
figures' indexes: the same clients in the same order as the dashboard's whole queries."""

import datetime
import zoneinfo

import pytest
from django_scopes import scope, scopes_disabled

from business import client_lists
from business.dashboard import lapsed, rebook_rows, to_rebook
from tests.factories import AppointmentFactory, ClientFactory, VisitFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 12, 1, 12, tzinfo=PARIS)


def visited(account, name, *days_ago):
    client = ClientFactory(account=account, first_name=name)
    for days in days_ago:
        VisitFactory(client=client, started_at=NOW - datetime.timedelta(days=days, hours=1))
    return client


def every_page(read, size):
    pages, number = [], 1
    while True:
        page = read(number, size)
        assert page.number == number
        pages.append([row.pk if hasattr(row, "pk") else row.client_id for row in page.object_list])
        if not page.has_next:
            return pages
        number += 1


@pytest.fixture
def clients(alice):
    account = alice.account
    with scopes_disabled():
        # Single visits (the account's 6 weeks apply) and regular ones, interleaved by due date.
        for n, days in enumerate((50, 60, 120, 200, 400)):
            visited(account, f"Single {n}", days)
        for n, (first, second) in enumerate(((100, 70), (90, 45), (300, 200), (150, 100))):
            visited(account, f"Regular {n}", first, second)
        visited(account, "Recent", 5)
        booked = visited(account, "Booked", 80)
        AppointmentFactory(client=booked, start=NOW + datetime.timedelta(days=3))
        visited(account, "Blacklisted", 150).__class__.objects.filter(
            first_name="Blacklisted"
        ).update(blacklisted=True)
    return account


@pytest.mark.parametrize("size", [1, 2, 3, 25])
def test_to_book_again_pages_follow_the_whole_list(clients, size):
    account = clients
    with scope(account=account):
        expected = [row.client_id for row in rebook_rows(to_rebook(account, NOW), account, NOW)]
        pages = every_page(
            lambda number, size: client_lists.rebook_page(account, NOW, number, size), size
        )
    assert len(expected) == 8
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == size for page in pages[:-1])


@pytest.mark.parametrize("size", [1, 4, 25])
def test_lapsed_pages_follow_the_whole_list(clients, size):
    account = clients
    with scope(account=account):
        expected = [client.pk for client in lapsed(NOW)]
        pages = every_page(
            lambda number, size: client_lists.lapsed_page(account, NOW, number, size), size
        )
    assert len(expected) == 5
    assert [pk for page in pages for pk in page] == expected


def test_a_page_past_the_end_shows_the_first(clients):
    with scope(account=clients):
        page = client_lists.lapsed_page(clients, NOW, 99, 25)
    assert page.number == 1 and len(page.object_list) == 5 and not page.has_other_pages()


def test_the_pages_say_their_number_and_link_on(alice_client, clients, monkeypatch):
    monkeypatch.setattr("business.views.LIST_PAGE_SIZE", 2)
    html = alice_client.get("/to-rebook/?page=2").content.decode()
    assert "<span>Page 2</span>" in html and "?page=1" in html and "?page=3" in html
