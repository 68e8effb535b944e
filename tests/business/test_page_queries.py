"""Every list page and the dashboard run as many queries with 10 clients as with 2,000 (rule 11):
no query per row, no count that grows with her history."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from agenda.models import Appointment
from clients.models import Client, Gift
from gallery.models import Photo
from tests.agenda.conftest import at
from tests.business.test_dashboard import _fill
from tests.factories import (
    CategoryFactory,
    ClientFactory,
    GiftFactory,
    PhotoFactory,
    ProductFactory,
    ServiceFactory,
    VisitFactory,
    make_pro,
)
from visits.models import Visit

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)


def grow(account, count, start):
    """`count` more clients with two visits each (tests.business.test_dashboard._fill), and
    for each client an appointment, a photo and a gift, bulk-made."""
    _fill(account, count, start)
    with scopes_disabled():
        clients = list(Client.objects.filter(account=account).order_by("-created_at")[:count])
        model = Photo.objects.filter(account=account).first()
        visits = dict(
            Visit.objects.filter(account=account, client__in=clients).values_list("client", "pk")
        )
        Appointment.objects.bulk_create(
            Appointment(
                account=account,
                client=client,
                # Today's day and week hold as many as before; the rest spread over the year.
                start=at(2026, 1 + n % 11, 1 + n % 28, 9 + n % 8, 0),
                duration=60,
            )
            for n, client in enumerate(clients)
        )
        Photo.objects.bulk_create(
            Photo(
                account=account,
                client=client,
                visit_id=visits.get(client.pk),
                kind=Photo.Kind.AFTER,
                image=model.image.name,
                thumbnail=model.thumbnail.name,
                width=model.width,
                height=model.height,
            )
            for client in clients
        )
        Gift.objects.bulk_create(
            Gift(
                account=account,
                client=client,
                occasion=Gift.Occasion.BIRTHDAY,
                given_on=TODAY,
                description="Vernis",
            )
            for client in clients
        )


def queries(client, url):
    with (
        time_machine.travel(at(2026, 12, 2, 8, 0), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_every_list_page_and_the_dashboard_run_as_many_queries_at_10_and_2000_clients(
    alice, alice_client
):
    account = alice.account
    make_pro(account)
    with scopes_disabled():
        CategoryFactory.create_batch(2, account=account)
        ServiceFactory.create_batch(3, account=account)
        ProductFactory.create_batch(3, account=account)
        card = ClientFactory(account=account)
        VisitFactory(client=card, started_at=at(2026, 11, 3, 10, 0))
        PhotoFactory(client=card)  # a real image; the bulk photos share its files
        GiftFactory(client=card)
    grow(account, 10, 0)
    with scopes_disabled():
        for day in range(3):  # today's agenda holds the same appointments at either size
            Appointment.objects.create(
                account=account, client=card, start=at(2026, 12, 2 + day, 10, 0), duration=60
            )
    pages = [
        "/",
        "/clients/",
        "/clients/?q=cli",
        "/clients/?birthday=week",
        f"/clients/{card.pk}/",
        "/clients/gifts/",
        "/clients/categories/",
        "/agenda/?date=2026-12-02",
        "/agenda/week/?date=2026-12-02",
        "/agenda/month/?date=2026-12-02",
        "/visits/",
        "/visits/?month=2026-09",
        "/to-rebook/",
        "/lapsed/",
        "/catalog/",
        "/catalog/products/",
        "/gallery/",
        "/account/retention/",
    ]
    few = {url: queries(alice_client, url) for url in pages}
    grow(account, 1990, 10)
    with scopes_disabled():
        assert Client.objects.filter(account=account).count() == 2001
        assert Visit.objects.filter(account=account).count() >= 4000
    many = {url: queries(alice_client, url) for url in pages}
    print({url: (few[url], many[url]) for url in pages})
    assert many == few
    assert max(many.values()) <= 25
