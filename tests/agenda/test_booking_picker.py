"""Booking from an empty slot: her found by the picker, or added on the spot (name + phone)."""

import re

import pytest
import time_machine
from django_scopes import scopes_disabled

from agenda.models import Appointment
from clients.models import Client
from tests.errors import error_codes
from tests.factories import ClientFactory

from .conftest import at, form_data

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 30, 8, 0)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def new_client_data(services, **extra):
    # A new client has no address yet: the booking is at another address (at her home, the
    # model asks for her address on her card first).
    data = form_data(ClientFactory.build(), [services["refill"]], place="other")
    data["other_address"] = "5 rue Neuve, Lyon"
    data.pop("client")
    data.update({"client_new-first_name": "Inès", "client_new-phone": "06 11 22 33 44"})
    data.update(extra)
    return data


def stored(account):
    with scopes_disabled():
        clients = list(Client.objects.filter(account=account))
        appointments = list(Appointment.objects.filter(account=account).select_related("client"))
    return clients, appointments


def test_booking_a_new_client_creates_her_and_books_her_in_one_post(alice, alice_client, services):
    response = alice_client.post("/agenda/new/", new_client_data(services))

    assert response.status_code == 302, response.context["form"].errors
    [ines], [appointment] = stored(alice.account)
    assert (ines.first_name, ines.phone) == ("Inès", "+33611223344")
    assert appointment.client == ines and appointment.start == at(2026, 12, 2, 10, 0)


def test_add_her_comes_back_to_the_booking_with_her_chosen(alice, alice_client, services):
    data = new_client_data(services, _pick_new="client", start="2026-12-03T15:00")
    response = alice_client.post("/agenda/new/", data)

    assert response.status_code == 200
    [ines], appointments = stored(alice.account)
    assert appointments == []
    form = response.context["form"]
    assert form["client"].value() == str(ines.pk)
    assert form["start"].value() == "2026-12-03T15:00"  # nothing typed is lost
    assert not form.errors  # she has not sent the booking yet
    assert f'value="{ines.pk}" checked' in response.content.decode()


def test_a_new_client_beyond_the_free_plan_is_refused_and_nothing_is_booked(
    alice, alice_client, services
):
    with scopes_disabled():
        ClientFactory.create_batch(20, account=alice.account)
    response = alice_client.post("/agenda/new/", new_client_data(services))

    assert response.status_code == 200
    assert error_codes(response, form="new_client_form") == ["plan_limit"]
    assert response.context["new_client_form"].plan_full
    clients, appointments = stored(alice.account)
    assert len(clients) == 20 and appointments == []
    assert response.context["new_client_form"]["first_name"].value() == "Inès"


def test_a_new_client_with_a_known_phone_asks_first(alice, alice_client, services, zoe):
    data = new_client_data(services, **{"client_new-phone": str(zoe.phone)})
    response = alice_client.post("/agenda/new/", data)
    assert error_codes(response, form="new_client_form") == ["duplicate_client"]
    assert len(stored(alice.account)[0]) == 1


def test_searching_without_javascript_posts_back_the_matches(
    alice, alice_client, services, zoe, lina
):
    data = form_data(zoe, [services["refill"]], client_q="roux", _pick="client")
    data["client"] = ""
    response = alice_client.post("/agenda/new/", data)

    assert response.status_code == 200
    assert not response.context["form"].errors
    page = response.content.decode()
    assert f'name="client" value="{lina.pk}"' in page
    assert f'value="{zoe.pk}"' not in page
    assert stored(alice.account)[1] == []


def test_a_client_of_another_account_is_refused(alice_client, services, bob):
    with scopes_disabled():
        other = ClientFactory(account=bob.account)
    response = alice_client.post("/agenda/new/", form_data(other, [services["refill"]]))
    assert error_codes(response, "client") == ["invalid_choice"]


def test_every_aria_describedby_of_the_booking_names_an_element_of_the_page(
    alice_client, services, zoe
):
    for response in (
        alice_client.get("/agenda/new/"),
        alice_client.post("/agenda/new/", form_data(zoe, [], ends_at="25:00", start="")),
    ):
        page = response.content.decode()
        ids = set(re.findall(r'\bid="([^"]+)"', page))
        described = re.findall(r'aria-describedby="([^"]+)"', page)
        assert 'aria-describedby="id_ends_at_helptext' in page
        missing = [ref for refs in described for ref in refs.split() if ref not in ids]
        assert missing == []
