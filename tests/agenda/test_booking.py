"""Booking an appointment: the form, its checks, the clashes and the travel buffer."""

from decimal import Decimal

import pytest
import time_machine
from django_scopes import scopes_disabled

from agenda.models import Appointment
from tests.errors import error_codes
from tests.factories import ClientFactory, ServiceFactory

from .conftest import at, book, form_data

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 30, 8, 0)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def appointments(account):
    with scopes_disabled():
        return list(Appointment.objects.filter(account=account).prefetch_related("services"))


def test_booking_from_the_client_card_takes_her_and_the_catalog(alice_client, zoe, services):
    page = alice_client.get(f"/clients/{zoe.pk}/")
    assert f"/agenda/new/?client={zoe.pk}" in page.content.decode()

    form = alice_client.get(f"/agenda/new/?client={zoe.pk}&start=2026-12-02T10:00")
    assert form.context["form"]["client"].value() == zoe.pk
    assert 'value="2026-12-02T10:00"' in form.content.decode()

    data = form_data(zoe, [services["pose"], services["refill"]])
    data[f"price_{services['refill'].pk}"] = "35.00"  # a friend's price
    response = alice_client.post("/agenda/new/", data)

    assert response.status_code == 302
    assert response["Location"] == "/agenda/?date=2026-12-02"
    [appointment] = appointments(zoe.account)
    assert appointment.client == zoe
    assert appointment.start == at(2026, 12, 2, 10, 0)
    assert appointment.duration == 150  # 90 + 60 from the catalog
    assert [(s.name, s.price) for s in appointment.services.all()] == [
        ("Pose gel complète", Decimal("55.00")),
        ("Remplissage", Decimal("35.00")),
    ]
    assert appointment.status == "planned"
    assert appointment.address == "12 rue des Lilas, 69003 Lyon"


def test_an_end_time_sets_the_duration_and_an_end_before_the_start_is_refused(
    alice_client, zoe, services
):
    data = form_data(zoe, [services["pose"]], ends_at="09:00")
    response = alice_client.post("/agenda/new/", data)

    assert response.status_code == 200
    assert error_codes(response, "ends_at") == ["end_before_start"]
    assert 'value="2026-12-02T10:00"' in response.content.decode()  # what she typed stays
    assert appointments(zoe.account) == []

    alice_client.post("/agenda/new/", {**data, "ends_at": "12:15"})
    [appointment] = appointments(zoe.account)
    assert appointment.duration == 135


def test_a_blacklisted_client_cannot_be_booked(alice_client, zoe, services):
    with scopes_disabled():
        zoe.blacklisted = True
        zoe.save()
    response = alice_client.post("/agenda/new/", form_data(zoe, [services["pose"]]))

    assert response.status_code == 200
    assert "liste noire" in response.context["form"].errors["client"][0]
    assert appointments(zoe.account) == []


def test_another_accounts_client_or_service_in_the_post_is_refused(
    alice_client, alice, bob, zoe, services
):
    with scopes_disabled():
        stranger = ClientFactory(account=bob.account, street="1 rue X", city="Paris")
        bobs_service = ServiceFactory(account=bob.account)
    response = alice_client.post("/agenda/new/", form_data(stranger, [services["pose"]]))
    assert response.status_code == 200
    assert "client" in response.context["form"].errors

    response = alice_client.post("/agenda/new/", form_data(zoe, [bobs_service]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert appointments(alice.account) == []
    assert appointments(bob.account) == []


def test_bad_input_is_explained_and_kept(alice_client, zoe, services):
    data = form_data(zoe, [], start="le 2 décembre", notes="Apporter le vernis rouge")
    response = alice_client.post("/agenda/new/", data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "start" in errors
    assert error_codes(response) == ["no_service"]
    assert "Apporter le vernis rouge" in response.content.decode()


def test_another_address_must_be_given_and_her_home_needs_an_address(alice_client, alice, services):
    with scopes_disabled():
        nomad = ClientFactory(account=alice.account, street="", city="")
    response = alice_client.post("/agenda/new/", form_data(nomad, [services["pose"]]))
    assert "place" in response.context["form"].errors

    data = form_data(nomad, [services["pose"]], place="other")
    response = alice_client.post("/agenda/new/", data)
    assert "other_address" in response.context["form"].errors

    data["other_address"] = "Salle des fêtes, 69100 Villeurbanne"
    assert alice_client.post("/agenda/new/", data).status_code == 302
    [appointment] = appointments(alice.account)
    assert appointment.address == "Salle des fêtes, 69100 Villeurbanne"


def test_an_overlap_is_named_and_saved_only_when_confirmed(alice_client, zoe, lina, services):
    book(lina, at(2026, 12, 2, 11, 0), [services["refill"]])
    data = form_data(zoe, [services["pose"]])  # 10:00–11:30

    response = alice_client.post("/agenda/new/", data)

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert "Lina Roux" in error and "chevauche" in error
    assert len(appointments(zoe.account)) == 1

    response = alice_client.post("/agenda/new/", {**data, "confirm_clash": "on"})
    assert response.status_code == 302
    assert len(appointments(zoe.account)) == 2


def test_too_short_a_drive_between_two_appointments_is_flagged(
    alice, alice_client, zoe, lina, services
):
    book(lina, at(2026, 12, 2, 8, 30), [services["refill"]])  # ends 9:30
    data = form_data(zoe, [services["pose"]], start="2026-12-02T09:45")

    response = alice_client.post("/agenda/new/", data)

    [error] = response.context["form"].non_field_errors()
    assert "Lina Roux" in error
    assert "15 min" in error and "30 min" in error

    with scopes_disabled():
        alice.account.travel_buffer_minutes = 10
        alice.account.save()
    assert alice_client.post("/agenda/new/", data).status_code == 302


def test_a_cancelled_appointment_leaves_its_slot_free(alice_client, zoe, lina, services):
    book(lina, at(2026, 12, 2, 10, 0), [services["refill"]], status="cancelled")
    response = alice_client.post("/agenda/new/", form_data(zoe, [services["pose"]]))
    assert response.status_code == 302


def test_moving_an_appointment_checks_the_clash_again_but_not_with_itself(
    alice_client, zoe, lina, services
):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])
    book(lina, at(2026, 12, 2, 14, 0), [services["refill"]])
    data = form_data(zoe, [services["pose"]], start="2026-12-02T10:30")

    assert alice_client.post(f"/agenda/{appointment.pk}/edit/", data).status_code == 302

    data["start"] = "2026-12-02T13:00"
    response = alice_client.post(f"/agenda/{appointment.pk}/edit/", data)
    assert "Lina Roux" in response.context["form"].non_field_errors()[0]
    appointment.refresh_from_db()
    assert appointment.start == at(2026, 12, 2, 10, 30)


def test_a_closed_appointment_cannot_be_changed(alice_client, zoe, services):
    appointment = book(zoe, at(2026, 11, 20, 10, 0), [services["pose"]], status="no_show")
    response = alice_client.get(f"/agenda/{appointment.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/agenda/{appointment.pk}/"


def test_an_empty_slot_of_the_day_opens_the_form_at_that_hour(alice_client, zoe, services):
    book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])  # 10:00–11:30
    page = alice_client.get("/agenda/?date=2026-12-02").content.decode()

    assert "/agenda/new/?start=2026-12-02T09:00" in page
    assert "/agenda/new/?start=2026-12-02T12:00" in page
    assert "/agenda/new/?start=2026-12-02T10:00" not in page
    assert "/agenda/new/?start=2026-12-02T11:00" not in page


def test_a_date_at_the_end_of_time_is_refused_not_a_crash(alice_client, zoe, services):
    for url in ("/agenda/", "/agenda/week/", "/agenda/month/", "/agenda/route/"):
        for date in ("9999-12-31", "0001-01-01"):
            response = alice_client.get(f"{url}?date={date}")
            assert response.status_code == 200
            assert response.context["form"].errors["date"]
    data = form_data(zoe, [services["pose"]], start="9999-12-31T23:30")
    response = alice_client.post("/agenda/new/", data)
    assert response.status_code == 200
    assert "start" in response.context["form"].errors


def test_the_night_the_clocks_go_forward_an_end_time_counts_the_minutes_that_pass(
    alice_client, zoe, services
):
    """On 28 March 2027 at 02:00 Paris jumps to 03:00: 01:30 to 03:30 is one hour."""
    data = form_data(zoe, [services["pose"]], start="2027-03-28T01:30", ends_at="03:30")
    assert alice_client.post("/agenda/new/", data).status_code == 302
    [appointment] = appointments(zoe.account)
    assert appointment.duration == 60
    assert appointment.end == at(2027, 3, 28, 3, 30)


def test_a_staff_login_without_a_business_goes_to_the_admin(client, db):
    from nailpro.models import User

    staff = User.objects.create_user("staff@example.com", "x", is_staff=True)
    client.force_login(staff)
    for url in ("/agenda/", "/agenda/week/", "/agenda/new/", "/agenda/route/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
