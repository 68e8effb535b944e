"""Reading the agenda: the day's timeline, the week, the month, the route, the dashboard."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_scopes import scopes_disabled

from catalog.models import Allergen
from clients.models import AccessLog, ConsentEvent, HealthProfile
from tests.factories import ClientFactory, ConsentEventFactory, make_pro

from .conftest import at, book

pytestmark = pytest.mark.django_db
NOW = at(2026, 12, 2, 7, 0)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_day_shows_each_appointment_with_its_address_maps_and_the_drive_between(
    alice_client, zoe, lina, services
):
    book(zoe, at(2026, 12, 2, 9, 0), [services["pose"]], notes="Apporter la lampe")  # → 10:30
    book(lina, at(2026, 12, 2, 10, 45), [services["refill"]])  # 15 min later
    book(lina, at(2026, 12, 2, 15, 0), [services["refill"]], status="cancelled")

    response = alice_client.get("/agenda/?date=2026-12-02")
    page = response.content.decode()

    assert "Zoé Martin" in page and "Lina Roux" in page
    assert "Pose gel complète" in page
    assert "12 rue des Lilas, 69003 Lyon" in page
    assert "Digicode 4521B, 3e étage" in page
    assert "Apporter la lampe" in page
    first = next(e.appointment for e in response.context["entries"] if e.appointment)
    maps = urlparse(first.maps_url)
    assert maps.netloc == "www.google.com"
    assert parse_qs(maps.query)["query"] == ["12 rue des Lilas, 69003 Lyon"]
    assert "waze.com/ul?q=12+rue+des+Lilas" in page
    entries = [e for e in response.context["entries"] if e.appointment]
    gaps = [(e.gap_minutes, e.gap_too_short) for e in entries]
    assert gaps == [(None, False), (15, True), (None, False)]  # 15 min: less than her drive
    assert response.context["count"] == 2  # the cancelled one is shown, not counted
    assert [e.appointment.status for e in entries] == ["planned", "planned", "cancelled"]


def test_allergies_show_only_with_her_consent_and_their_display_is_logged(
    alice, alice_client, zoe, lina, services
):
    with scopes_disabled():
        for client in (zoe, lina):
            health = HealthProfile.objects.create(account=alice.account, client=client)
            health.set_allergens([Allergen.objects.get(code="hema")])
            health.save()
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH, given=True)
    book(zoe, at(2026, 12, 2, 9, 0), [services["pose"]])
    book(lina, at(2026, 12, 2, 14, 0), [services["refill"]])

    response = alice_client.get("/agenda/?date=2026-12-02")

    entries = [e for e in response.context["entries"] if e.appointment]
    assert [(e.appointment.client, [a.code for a in e.allergens]) for e in entries] == [
        (zoe, ["hema"]),
        (lina, []),  # no consent: NailPro shows nothing of her health
    ]
    assert "Allergie" in response.content.decode()
    with scopes_disabled():
        logs = list(AccessLog.objects.filter(action="health_viewed").values_list("client", "where"))
    assert logs == [(zoe.pk, "/agenda/")]


def test_whatsapp_and_sms_reminders_for_clients_without_email_who_agreed(
    alice_client, zoe, lina, services
):
    with scopes_disabled():
        refusing = ClientFactory(account=zoe.account, street="1 rue A", first_name="Inès")
        ConsentEventFactory(client=refusing, kind=ConsentEvent.Kind.REMINDERS, given=False)
    book(zoe, at(2026, 12, 2, 9, 0), [services["pose"]])  # has an e-mail: reminded by e-mail
    book(lina, at(2026, 12, 2, 14, 0), [services["refill"]])
    book(refusing, at(2026, 12, 2, 17, 0), [services["refill"]])

    response = alice_client.get("/agenda/?date=2026-12-02")

    by_client = {
        e.appointment.client: e.appointment for e in response.context["entries"] if e.appointment
    }
    assert by_client[zoe].whatsapp_url == ""
    assert by_client[refusing].whatsapp_url == by_client[refusing].sms_url == ""
    whatsapp = urlparse(by_client[lina].whatsapp_url)
    text = parse_qs(whatsapp.query)["text"][0]
    assert whatsapp.netloc == "wa.me"
    assert text.startswith("Bonjour Lina, petit rappel de votre rendez-vous le mercredi 2 décembre")
    assert "14:00" in text and "Remplissage" in text
    assert by_client[lina].sms_url.startswith(f"sms:{lina.phone.as_e164}?body=Bonjour%20Lina")


def test_a_bad_date_in_the_address_shows_today_and_says_why(alice_client):
    response = alice_client.get("/agenda/?date=2026-13-45")
    assert response.status_code == 200
    assert response.context["day"] == datetime.date(2026, 12, 2)
    assert response.context["form"].errors["date"]


def test_the_week_and_the_month(alice_client, zoe, lina, services):
    book(zoe, at(2026, 11, 30, 9, 0), [services["pose"]])  # Monday
    book(lina, at(2026, 12, 6, 18, 0), [services["refill"]])  # Sunday
    book(lina, at(2026, 12, 7, 9, 0), [services["refill"]])  # next Monday
    book(zoe, at(2026, 12, 6, 9, 0), [services["refill"]], status="cancelled")

    week = alice_client.get("/agenda/week/?date=2026-12-02")
    days = dict(week.context["days"])
    assert list(days) == [datetime.date(2026, 11, 30) + datetime.timedelta(n) for n in range(7)]
    assert [a.client for a in days[datetime.date(2026, 11, 30)]] == [zoe]
    assert [a.client for a in days[datetime.date(2026, 12, 6)]] == [zoe, lina]
    with translation.override(zoe.account.language):
        monday = date_format(datetime.date(2026, 11, 30), "j F Y")
        heading = gettext("Week of %(date)s") % {"date": monday}
    assert heading in week.content.decode()

    month = alice_client.get("/agenda/month/?date=2026-12-15")
    counts = {d: c for w in month.context["weeks"] for d, c in w if c is not None}
    assert counts[datetime.date(2026, 12, 6)] == 1  # the cancelled one does not count
    assert counts[datetime.date(2026, 12, 7)] == 1
    assert counts[datetime.date(2026, 12, 8)] == 0
    assert datetime.date(2026, 11, 30) not in counts  # November's days are not December's


def test_the_route_opens_every_stop_in_order_from_her_place(
    alice, alice_client, zoe, lina, services
):
    with scopes_disabled():
        alice.account.address = "8 rue Paul Bert, 69003 Lyon"
        alice.account.save()
    book(lina, at(2026, 12, 2, 14, 0), [services["refill"]])
    book(zoe, at(2026, 12, 2, 9, 0), [services["pose"]])
    book(zoe, at(2026, 12, 2, 17, 0), [services["pose"]], status="cancelled")

    response = alice_client.get("/agenda/route/?date=2026-12-02")

    route = parse_qs(urlparse(response.context["route_url"]).query)
    assert route["origin"] == ["8 rue Paul Bert, 69003 Lyon"]
    assert route["waypoints"] == ["12 rue des Lilas, 69003 Lyon"]
    assert route["destination"] == ["3 place Bellecour, 69002 Lyon"]
    page = response.content.decode()
    assert page.index("Zoé Martin") < page.index("Lina Roux")
    assert "data-print" in page


def test_the_dashboard_shows_today_and_the_next_appointment_with_its_address(
    alice_client, zoe, lina, services
):
    book(zoe, at(2026, 12, 2, 9, 0), [services["pose"]])
    book(lina, at(2026, 12, 2, 14, 0), [services["refill"]])
    book(lina, at(2026, 12, 9, 14, 0), [services["refill"]])

    response = alice_client.get("/")

    assert response.context["next_appointment"].client == zoe
    assert [a.client for a in response.context["today_appointments"]] == [zoe, lina]
    page = response.content.decode()
    assert 'id="next-title"' in page and "12 rue des Lilas, 69003 Lyon" in page

    with time_machine.travel(at(2026, 12, 2, 20, 0), tick=False):
        response = alice_client.get("/")
    assert response.context["next_appointment"].start == at(2026, 12, 9, 14, 0)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/agenda/?date=2026-12-02", "/agenda/week/?date=2026-12-02"])
def test_the_day_and_the_week_read_a_bounded_number_of_queries(alice, alice_client, services, url):
    make_pro(alice.account)

    def fill(count):
        with scopes_disabled():
            for n in range(count):
                client = ClientFactory(account=alice.account, street=f"{n} rue A", city="Lyon")
                ConsentEventFactory(client=client, kind=ConsentEvent.Kind.HEALTH)
                health = HealthProfile.objects.create(account=alice.account, client=client)
                health.set_allergens([Allergen.objects.get(code="hema")])
                health.save()
                day = (
                    datetime.date(2026, 12, 2)
                    if n < 2 or "week" not in url
                    else (datetime.date(2026, 11, 30) + datetime.timedelta(days=n % 7))
                )
                book(client, at(day.year, day.month, day.day, 8 + n % 12, 0), [services["pose"]])

    fill(2)
    few = _queries(alice_client, url)
    fill(58)
    many = _queries(alice_client, url)
    assert few == many, (few, many)


def test_the_detail_page_offers_a_reminder_by_hand_only_if_she_did_not_refuse(
    alice_client, alice, lina, services
):
    agreed = book(lina, at(2026, 12, 2, 14, 0), [services["refill"]])
    with scopes_disabled():
        refusing = ClientFactory(account=alice.account, street="1 rue A", first_name="Inès")
        ConsentEventFactory(client=refusing, kind=ConsentEvent.Kind.REMINDERS, given=False)
    refused = book(refusing, at(2026, 12, 2, 17, 0), [services["refill"]])

    assert "wa.me" in alice_client.get(f"/agenda/{agreed.pk}/").content.decode()
    assert "wa.me" not in alice_client.get(f"/agenda/{refused.pk}/").content.decode()
