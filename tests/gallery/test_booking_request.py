"""The "Request an appointment" form of her public page: open to anyone, guarded against
robots and floods, landing as a request on her dashboard."""

import datetime

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import timezone
from django_scopes import scopes_disabled

from gallery.booking_requests import MAX_WAITING
from gallery.models import BookingRequest
from nailpro.maintenance import maintenance_run
from tests.factories import BookingRequestFactory, PortfolioFactory, ServiceFactory

pytestmark = pytest.mark.django_db

URL = "/p/alice-ongles/request/"


@pytest.fixture
def portfolio(alice):
    with scopes_disabled():
        return PortfolioFactory(account=alice.account, slug="alice-ongles")


@pytest.fixture
def gel(alice):
    with scopes_disabled():
        return ServiceFactory(account=alice.account, name="Pose gel", public=True)


def answers(**changes):
    return {
        "name": "Inès Moreau",
        "phone": "06 11 22 33 44",
        "postal_code": "69003",
        "preferred_times": "Mardi soir",
        "message": "Une pose gel, merci",
        "website": "",
        **changes,
    }


def stored():
    with scopes_disabled():
        return list(BookingRequest.objects.all())


def test_a_request_without_an_account_lands_for_her(alice, portfolio, gel):
    visitor = HttpClient(enforce_csrf_checks=True)
    page = visitor.get(URL)
    assert page.status_code == 200
    assert 'name="website"' in page.content.decode()  # the honeypot is there, out of sight
    token = page.cookies["csrftoken"].value
    response = visitor.post(
        URL, answers(services=[str(gel.pk)], csrfmiddlewaretoken=token), HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/p/alice-ongles/request/sent/"
    [booking] = stored()
    assert booking.account == alice.account
    assert (booking.name, str(booking.phone)) == ("Inès Moreau", "+33611223344")
    assert booking.services == [{"id": str(gel.pk), "name": "Pose gel"}]
    assert booking.status == BookingRequest.Status.WAITING
    assert HttpClient().get("/p/alice-ongles/request/sent/").status_code == 200


def test_without_the_csrf_token_nothing_is_stored(portfolio):
    response = HttpClient(enforce_csrf_checks=True).post(URL, answers())
    assert response.status_code == 403
    assert stored() == []


def test_a_robot_filling_the_honeypot_is_told_it_worked_and_nothing_is_stored(portfolio):
    response = HttpClient().post(URL, answers(website="https://spam.example"))
    assert response.status_code == 302
    assert stored() == []


def test_bad_input_is_refused_with_codes_and_kept(portfolio):
    response = HttpClient().post(URL, answers(name="", phone="12"))
    errors = response.context["form"].errors.as_data()
    assert response.status_code == 200
    assert errors["name"][0].code == "required"
    assert errors["phone"][0].code == "invalid"
    assert response.context["form"]["message"].value() == "Une pose gel, merci"
    assert stored() == []


def test_only_her_public_services_can_be_asked_for(alice, bob, portfolio, gel):
    with scopes_disabled():
        private = ServiceFactory(account=alice.account, public=False)
        bobs = ServiceFactory(account=bob.account, public=True)
    for pk in (private.pk, bobs.pk, "not-an-id"):
        response = HttpClient().post(URL, answers(services=[str(pk)]))
        assert response.context["form"].errors.as_data()["services"][0].code == "invalid_choice"
    assert stored() == []


def test_requests_are_rate_limited_per_address(portfolio):
    visitor = HttpClient(REMOTE_ADDR="198.51.100.7")
    for _n in range(10):
        assert visitor.post(URL, answers()).status_code == 302
    refused = visitor.post(URL, answers())
    assert refused.status_code == 429
    assert refused.context["form"].errors.as_data()["__all__"][0].code == "rate_limited"
    assert refused.context["form"]["name"].value() == "Inès Moreau"  # nothing typed is lost
    assert len(stored()) == 10
    # Another connection still gets through; an hour later, this one again.
    assert HttpClient(REMOTE_ADDR="198.51.100.8").post(URL, answers()).status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        assert visitor.post(URL, answers()).status_code == 302


def test_a_full_dashboard_takes_no_more_requests(alice, portfolio):
    with scopes_disabled():
        BookingRequestFactory.create_batch(MAX_WAITING, account=alice.account)
    response = HttpClient().post(URL, answers())
    assert response.context["form"].errors.as_data()["__all__"][0].code == "too_many_waiting"
    assert len(stored()) == MAX_WAITING


def test_a_page_that_is_off_takes_no_request(portfolio):
    with scopes_disabled():
        portfolio.enabled = False
        portfolio.save()
    assert HttpClient().get(URL).status_code == 404
    assert HttpClient().post(URL, answers()).status_code == 404
    assert stored() == []


def test_handled_requests_are_purged_after_30_days_and_waiting_ones_after_90(alice):
    now = timezone.now()
    with scopes_disabled():
        BookingRequestFactory(
            account=alice.account, status="dismissed", handled_at=now, created_at=now
        )
        waiting = BookingRequestFactory(account=alice.account, created_at=now)
    with time_machine.travel(now + datetime.timedelta(days=31)):
        maintenance_run()
    assert [b.pk for b in stored()] == [waiting.pk]
    with time_machine.travel(now + datetime.timedelta(days=91)):
        maintenance_run()
    assert stored() == []
