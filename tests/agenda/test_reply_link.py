"""The link in a reminder: she confirms or asks to move her appointment without an account,
once, until it starts; a wrong secret finds nothing; the page shows nothing else of her."""

import re

import pytest
import time_machine
from django.core.cache import cache
from django_scopes import scopes_disabled

from agenda.models import Appointment, ReplyLink, RescheduleRequest
from clients.models import ConsentEvent, HealthProfile
from tests.factories import ConsentEventFactory

from .conftest import at, book

NOW = at(2026, 12, 9, 14, 0)


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def appointment(zoe, services):
    return book(zoe, at(2026, 12, 10, 14, 0), [services["pose"]], notes="Prefers nude tones")


def link_for(appointment):
    with scopes_disabled():
        return ReplyLink.issue(appointment)


def status_of(appointment):
    with scopes_disabled():
        appointment.refresh_from_db()
    return appointment.status


def test_she_confirms_once_and_the_link_then_says_it_was_used(client, appointment):
    link, token = link_for(appointment)
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/r/{token}")
        assert page.status_code == 200
        assert page.context["first_name"] == "Zoé"
        done = client.post(f"/r/{token}", {"action": "confirm"})
        assert done.status_code == 200
        assert done.context["done"] == "confirmed"
        assert status_of(appointment) == Appointment.Status.CONFIRMED

        again = client.post(f"/r/{token}", {"action": "reschedule", "message": "Finally no"})
        assert again.status_code == 410
        assert again.context["reason"] == "used"
        assert client.get(f"/r/{token}").status_code == 410
    with scopes_disabled():
        assert RescheduleRequest.objects.count() == 0
        link.refresh_from_db()
    assert link.used_at == NOW


def test_an_expired_link_is_refused(client, appointment):
    _link, token = link_for(appointment)
    with time_machine.travel(at(2026, 12, 10, 14, 0), tick=False):
        response = client.post(f"/r/{token}", {"action": "confirm"})
    assert response.status_code == 410
    assert response.context["reason"] == "expired"
    assert status_of(appointment) == Appointment.Status.PLANNED


def test_a_cancelled_appointment_cannot_be_confirmed(client, appointment):
    _link, token = link_for(appointment)
    with scopes_disabled():
        appointment.status = Appointment.Status.CANCELLED
        appointment.save()
    with time_machine.travel(NOW, tick=False):
        response = client.post(f"/r/{token}", {"action": "confirm"})
    assert response.status_code == 410
    assert status_of(appointment) == Appointment.Status.CANCELLED


def test_a_changed_or_unknown_secret_reaches_no_appointment(client, appointment, lina, services):
    other = book(lina, at(2026, 12, 10, 9, 0), [services["refill"]])
    _link, token = link_for(appointment)
    link_for(other)
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    with time_machine.travel(NOW, tick=False):
        answers = [
            client.post(f"/r/{secret}", {"action": "confirm"})
            for secret in (changed, "x" * 22, "x" * 300, "%00", str(other.pk))
        ]
    assert {a.status_code for a in answers} == {404}
    # The same answer, whatever was tried (but the per-request CSRF token in the page).
    assert {re.sub(rb'"X-CSRFToken": "[^"]+"', b"", a.content) for a in answers} == {
        re.sub(rb'"X-CSRFToken": "[^"]+"', b"", answers[0].content)
    }
    assert {a.context["reason"] for a in answers} == {"unknown"}
    assert status_of(appointment) == Appointment.Status.PLANNED
    assert status_of(other) == Appointment.Status.PLANNED


def test_she_asks_to_move_it_and_the_technician_sees_it_then_dismisses_it(
    client, alice_client, appointment
):
    _link, token = link_for(appointment)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/r/{token}", {"action": "reschedule", "message": "Plutôt vendredi matin ?"}
        )
        assert response.status_code == 200
        assert response.context["done"] == "asked"
        assert status_of(appointment) == Appointment.Status.PLANNED

        dashboard = alice_client.get("/")
        [request] = dashboard.context["reschedule_requests"]
        assert request.message == "Plutôt vendredi matin ?"
        assert request.appointment == appointment
        assert b"Plut\xc3\xb4t vendredi matin ?" in dashboard.content

        assert alice_client.get(f"/agenda/requests/{request.pk}/dismiss/").status_code == 405
        dismissed = alice_client.post(f"/agenda/requests/{request.pk}/dismiss/")
        assert dismissed.status_code == 302
        assert alice_client.get("/").context["reschedule_requests"] == []
    with scopes_disabled():
        assert RescheduleRequest.objects.get().dismissed_at == NOW


def test_a_bad_answer_is_refused_with_the_form_again(client, appointment):
    _link, token = link_for(appointment)
    with time_machine.travel(NOW, tick=False):
        response = client.post(f"/r/{token}", {"action": "delete", "message": "x" * 2000})
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert errors["action"][0].code == "invalid_choice"
    assert errors["message"][0].code == "max_length"
    assert status_of(appointment) == Appointment.Status.PLANNED


def test_the_page_shows_her_first_name_and_the_appointment_only(
    client, alice, appointment, zoe, services
):
    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH, given=True)
        HealthProfile.objects.create(
            account=alice.account, client=zoe, allergy_notes="Réaction au HEMA"
        )
        zoe.phone = "+33612345678"
        zoe.notes = "Parle de son divorce"
        zoe.save()
    later = book(zoe, at(2026, 12, 24, 11, 0), [services["refill"]])
    _link, token = link_for(appointment)
    with time_machine.travel(NOW, tick=False):
        pages = [client.get(f"/r/{token}")]
        pages.append(client.post(f"/r/{token}", {"action": "confirm"}))
        pages.append(client.get(f"/r/{token}"))
    for page in pages:
        text = page.content.decode()
        for secret in (
            "Martin",  # her last name
            "zoe@example.com",
            "06 12 34 56 78",
            "+33612345678",
            "HEMA",
            "divorce",
            "Prefers nude tones",  # the appointment's private notes
            "Pose gel",  # what she booked stays between them
            "55",  # the price
            "24 décembre",  # her other appointment
            str(later.pk),
            str(appointment.pk),
            str(zoe.pk),
        ):
            assert secret not in text, secret
    assert "Zoé" in pages[0].content.decode()
    assert "10 décembre" in pages[0].content.decode()
    assert "12 rue des Lilas" in pages[0].content.decode()
    assert (
        pages[0]["Cache-Control"].startswith("max-age=0") or "no-cache" in pages[0]["Cache-Control"]
    )


def test_the_page_speaks_her_language_not_the_visitors(client, appointment):
    with scopes_disabled():
        appointment.client.language = "en"
        appointment.client.save()
    _link, token = link_for(appointment)
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/r/{token}", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Thursday, December 10, 2026" in page.content.decode()


def test_guessing_is_rate_limited_per_connection(client, settings, appointment):
    settings.REPLY_LINK_RATE = 5
    _link, token = link_for(appointment)
    with time_machine.travel(NOW, tick=False):
        answers = [client.get(f"/r/guess{n:017d}").status_code for n in range(5)]
        assert answers == [404] * 5
        assert client.get(f"/r/{token}").status_code == 429  # even the right one, for a while
        other = client.get(f"/r/{token}", REMOTE_ADDR="192.0.2.7")
        assert other.status_code == 200  # another connection is not held back


def test_the_day_view_shows_the_appointment_confirmed(client, alice_client, appointment):
    _link, token = link_for(appointment)
    with time_machine.travel(NOW, tick=False):
        client.post(f"/r/{token}", {"action": "confirm"})
        day = alice_client.get("/agenda/?date=2026-12-10")
    [entry] = [e for e in day.context["entries"] if e.appointment]
    assert entry.appointment.status == Appointment.Status.CONFIRMED
    assert "status-confirmed" in day.content.decode()


def test_only_a_hash_of_the_secret_is_kept(appointment):
    link, token = link_for(appointment)
    with scopes_disabled():
        stored = ReplyLink.objects.values_list("token_hash", flat=True).get(pk=link.pk)
    assert token not in stored and len(token) >= 22
