"""The calendar feed: private by its token, parsable, free of health data, in the right time."""

import datetime

import pytest
import time_machine
from django_scopes import scopes_disabled
from icalendar import Calendar

from catalog.models import Allergen
from clients.models import ConsentEvent, HealthProfile
from tests.factories import ConsentEventFactory

from .conftest import at, book

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(at(2027, 3, 20, 12, 0), tick=False):
        yield


def feed_url(account):
    account.refresh_from_db()
    return f"/agenda/feed/{account.calendar_feed_token}.ics"


def test_the_feed_parses_and_says_who_what_where_and_nothing_of_her_health(
    client, alice, bob, zoe, services
):
    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        health = HealthProfile.objects.create(
            account=alice.account,
            client=zoe,
            allergy_notes="Réaction forte au HEMA",
            medications="Isotrétinoïne",
            health_notes="Diabète de type 1",
        )
        health.set_allergens([Allergen.objects.get(code="hema")])
        health.save()
    book(zoe, at(2027, 3, 22, 9, 0), [services["pose"]], notes="Sonner deux fois")
    book(zoe, at(2027, 3, 23, 9, 0), [services["refill"]], status="cancelled")

    response = client.get(feed_url(alice.account))  # no login: a calendar app fetches it

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Zoé · Pose gel complète", "Zoé · Remplissage"]
    assert str(events[0]["location"]) == "12 rue des Lilas, 69003 Lyon"
    assert events[0].decoded("dtstart") == at(2027, 3, 22, 9, 0)
    assert events[0].decoded("dtend") == at(2027, 3, 22, 10, 30)
    assert [str(e["status"]) for e in events] == ["TENTATIVE", "CANCELLED"]
    body = response.content.decode()
    for secret in (
        "HEMA",
        "Isotrétinoïne",
        "Diabète",
        "Martin",
        "zoe@example.com",
        "Sonner",
        "Digicode",
        str(zoe.phone.as_e164),
    ):
        assert secret not in body
    # Bob's own feed knows nothing of Alice's appointments.
    assert "Zoé" not in client.get(feed_url(bob.account)).content.decode()


def test_an_appointment_across_the_change_to_summer_time_stays_at_its_hour(
    alice_client, alice, zoe, services
):
    """10:00 on the last Sunday of March (2027-03-28) is 10:00, whatever the clocks did."""
    data = {
        "client": str(zoe.pk),
        "start": "2027-03-28T10:00",
        "place": "client_home",
        f"service_{services['refill'].pk}": "on",
        f"duration_{services['refill'].pk}": "60",
        f"price_{services['refill'].pk}": "40",
    }
    assert alice_client.post("/agenda/new/", data).status_code == 302
    book(zoe, at(2027, 3, 27, 10, 0), [services["pose"]])  # the Saturday before, winter time

    day = alice_client.get("/agenda/?date=2027-03-28").content.decode()
    assert "10:00–11:00" in day
    saturday = alice_client.get("/agenda/?date=2027-03-27").content.decode()
    assert "10:00–11:30" in saturday

    events = Calendar.from_ical(alice_client.get(feed_url(alice.account)).content).walk("VEVENT")
    starts = sorted(e.decoded("dtstart") for e in events)
    assert [s.astimezone(datetime.UTC).hour for s in starts] == [9, 8]  # UTC+1, then UTC+2


def test_an_unknown_token_is_a_404_and_a_new_address_retires_the_old(
    client, alice_client, alice, zoe, services
):
    book(zoe, at(2027, 3, 22, 9, 0), [services["pose"]])
    old = feed_url(alice.account)
    assert client.get("/agenda/feed/not-a-token.ics").status_code == 404
    assert client.get(old.replace(old[-10:-4], "AAAAAA")).status_code == 404

    page = alice_client.get("/account/").content.decode()
    assert old in page
    response = alice_client.post("/agenda/feed/new-address/")
    assert response["Location"] == "/account/#calendar"

    assert client.get(old).status_code == 404
    new = feed_url(alice.account)
    assert new != old
    assert client.get(new).status_code == 200
