"""One partial draws the client row of every list of clients: the same link, avatar and name,
with the line and the actions of that list."""

import datetime
import re
import zoneinfo

import pytest
from django_scopes import scopes_disabled

from clients.models import Client
from tests.factories import ClientFactory, VisitFactory

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<li class="client-row">\s*<a class="client-main" href="/clients/([0-9a-f-]{36})/">'
)


def at(*args):
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


def rows(html):
    return ROW.findall(html)


def test_every_list_of_clients_draws_the_same_row(alice, alice_client):
    with scopes_disabled():
        lost = ClientFactory(account=alice.account, first_name="Perdue", email="p@example.com")
        VisitFactory(client=lost, started_at=at(2025, 6, 1, 10))
        VisitFactory(client=lost, started_at=at(2025, 7, 1, 10))
        Client.objects.filter(pk=lost.pk).update(created_at=at(2024, 1, 1, 10))
        alice.account.retention_years = 1
        alice.account.save()

    htmx = {"HTTP_HX_REQUEST": "true"}
    pages = [
        ("/clients/", {}),
        ("/clients/?q=perd", htmx),  # the search results, swapped in as she types
        ("/to-rebook/", {}),
        ("/lapsed/", {}),
        ("/account/retention/", {}),
    ]
    for url, headers in pages:
        response = alice_client.get(url, **headers)
        assert response.status_code == 200, url
        assert rows(response.content.decode()) == [str(lost.pk)], url


def test_each_list_has_its_own_actions(alice, alice_client):
    with scopes_disabled():
        lost = ClientFactory(account=alice.account, first_name="Perdue", email="p@example.com")
        VisitFactory(client=lost, started_at=at(2025, 6, 1, 10))
        VisitFactory(client=lost, started_at=at(2025, 7, 1, 10))

    listed = alice_client.get("/clients/").content.decode()
    for icon in ("phone", "sms", "whatsapp", "mail"):
        assert f'<use href="/static/img/icons.svg#{icon}"/>' in listed
    rebook = alice_client.get("/to-rebook/").content.decode()
    assert f'href="/agenda/new/?client={lost.pk}"' in rebook
    lapsed = alice_client.get("/lapsed/").content.decode()
    assert '<use href="/static/img/icons.svg#whatsapp"/>' in lapsed
    assert "icons.svg#phone" not in lapsed
