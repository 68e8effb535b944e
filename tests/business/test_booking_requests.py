"""Appointment requests on her dashboard: one tap creates the client within the plan's limit
and opens the booking form filled in; or she dismisses the request."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django_scopes import scopes_disabled

from billing.plans import FREE_CLIENT_LIMIT
from clients.models import Client
from clients.services import client_delete
from gallery.models import BookingRequest
from tests.factories import BookingRequestFactory, ClientFactory, ServiceFactory, make_pro

pytestmark = pytest.mark.django_db


@pytest.fixture
def gel(alice):
    with scopes_disabled():
        return ServiceFactory(account=alice.account, name="Pose gel", public=True)


@pytest.fixture
def ines(alice, gel):
    with scopes_disabled():
        return BookingRequestFactory(
            account=alice.account,
            name="Inès  Moreau",
            services=[{"id": str(gel.pk), "name": "Pose gel"}],
        )


def book(http, booking):
    return http.post(f"/requests/{booking.pk}/book/")


def test_the_dashboard_shows_the_waiting_requests(english, alice_client, ines):
    response = alice_client.get("/")
    page = response.content.decode()
    assert response.context["booking_requests"] == [ines]
    assert "Inès  Moreau" in page and "Pose gel" in page and "Tuesday evening" in page
    assert f'action="/requests/{ines.pk}/book/"' in page
    assert f'action="/requests/{ines.pk}/dismiss/"' in page


def test_one_tap_creates_the_client_and_opens_the_booking_filled_in(
    english, alice_client, alice, ines, gel
):
    response = book(alice_client, ines)
    assert response.status_code == 302
    with scopes_disabled():
        client = Client.objects.get(account=alice.account)
        ines.refresh_from_db()
    assert (client.first_name, client.last_name) == ("Inès", "Moreau")
    assert str(client.phone) == "+33611223344" and client.postal_code == "69003"
    assert ines.status == BookingRequest.Status.ACCEPTED and ines.client == client
    url = urlsplit(response.headers["Location"])
    query = parse_qs(url.query)
    assert url.path == "/agenda/new/"
    assert query["client"] == [str(client.pk)] and query["service"] == [str(gel.pk)]
    assert "Tuesday evening" in query["notes"][0] and "Gel refill please" in query["notes"][0]

    form = alice_client.get(response.headers["Location"]).context["form"]
    assert form.initial["client"] == client.pk
    assert form[f"service_{gel.pk}"].value() is True
    assert "Gel refill please" in form["notes"].value()
    # Handled: it leaves the dashboard, and a second tap creates nothing.
    assert alice_client.get("/").context["booking_requests"] == []
    book(alice_client, ines)
    with scopes_disabled():
        assert Client.objects.filter(account=alice.account).count() == 1


def test_a_client_with_the_same_phone_is_booked_not_duplicated(alice_client, alice, ines):
    with scopes_disabled():
        known = ClientFactory(account=alice.account, first_name="Inès", phone="+33611223344")
    response = book(alice_client, ines)
    assert parse_qs(urlsplit(response.headers["Location"]).query)["client"] == [str(known.pk)]
    with scopes_disabled():
        assert Client.objects.filter(account=alice.account).count() == 1


def test_on_a_full_free_plan_nothing_is_created_and_the_request_waits(
    english, alice_client, alice, ines
):
    with scopes_disabled():
        clients = ClientFactory.create_batch(FREE_CLIENT_LIMIT, account=alice.account)
    response = book(alice_client, ines)
    assert response.status_code == 302 and response.headers["Location"] == "/requests/"
    with scopes_disabled():
        assert Client.objects.filter(account=alice.account).count() == FREE_CLIENT_LIMIT
        ines.refresh_from_db()
    assert ines.status == BookingRequest.Status.WAITING and ines.client is None
    listing = alice_client.get("/requests/")
    page = listing.content.decode()
    assert next(str(m) for m in listing.context["messages"]).startswith("Your Free plan is full")
    assert 'id="requests-plan-full"' in page and 'href="/billing/"' in page
    assert alice_client.get("/").context["booking_requests"] == [ines]

    # She makes room: the same tap now works.
    with scopes_disabled():
        client_delete(client=clients[0])
    assert book(alice_client, ines).headers["Location"].startswith("/agenda/new/")
    with scopes_disabled():
        ines.refresh_from_db()
    assert ines.status == BookingRequest.Status.ACCEPTED


def test_after_going_pro_the_waiting_request_is_booked(alice_client, alice, ines):
    with scopes_disabled():
        ClientFactory.create_batch(FREE_CLIENT_LIMIT, account=alice.account)
    book(alice_client, ines)
    make_pro(alice.account)
    assert book(alice_client, ines).headers["Location"].startswith("/agenda/new/")
    with scopes_disabled():
        assert Client.objects.filter(account=alice.account).count() == FREE_CLIENT_LIMIT + 1


def test_she_can_dismiss_a_request(alice_client, ines):
    response = alice_client.post(f"/requests/{ines.pk}/dismiss/", {"next": "dashboard"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    ines.refresh_from_db()
    assert ines.status == BookingRequest.Status.DISMISSED and ines.handled_at is not None
    assert alice_client.get("/").context["booking_requests"] == []


def test_another_technician_reaches_none_of_it(client, bob, ines):
    client.force_login(bob)
    assert book(client, ines).status_code == 404
    assert client.post(f"/requests/{ines.pk}/dismiss/").status_code == 404
    assert client.get("/").context["booking_requests"] == []
    assert list(client.get("/requests/").context["page"].object_list) == []
    ines.refresh_from_db()
    assert ines.status == BookingRequest.Status.WAITING


def test_the_actions_take_only_a_post(alice_client, ines):
    assert alice_client.get(f"/requests/{ines.pk}/book/").status_code == 405
    assert alice_client.get(f"/requests/{ines.pk}/dismiss/").status_code == 405
    assert alice_client.post("/requests/").status_code == 405


def test_erasing_her_erases_her_requests(alice, alice_client, ines):
    book(alice_client, ines)
    with scopes_disabled():
        client = Client.objects.get(account=alice.account)
        from clients.services import client_erase

        client_erase(client=client)
        assert not BookingRequest.objects.filter(pk=ines.pk).exists()


def test_the_booking_form_ticks_only_her_own_services(alice_client, alice, bob, gel):
    with scopes_disabled():
        bobs = ServiceFactory(account=bob.account, name="Bob-service")
    response = alice_client.get(f"/agenda/new/?service={gel.pk}&service={bobs.pk}&service=oops")
    form = response.context["form"]
    assert response.status_code == 200
    assert form[f"service_{gel.pk}"].value() is True
    assert f"service_{bobs.pk}" not in form.fields
