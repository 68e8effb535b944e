"""E-mail reminders: queued when booking, sent once by the worker when due, and only to
clients who agreed."""

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from agenda.reminders import send_reminder
from clients.models import ConsentEvent
from tests.factories import ConsentEventFactory

from .conftest import at, book, form_data

pytestmark = pytest.mark.django_db(transaction=True)
BOOKED_AT = at(2026, 12, 1, 9, 0)


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def book_through_the_form(alice_client, zoe, services, start="2026-12-10T14:00"):
    with time_machine.travel(BOOKED_AT, tick=False):
        response = alice_client.post("/agenda/new/", form_data(zoe, [services["pose"]], start))
    assert response.status_code == 302
    with scopes_disabled():
        return zoe.appointments.get()


def test_booking_queues_a_reminder_that_the_worker_sends_once_when_due(alice_client, zoe, services):
    appointment = book_through_the_form(alice_client, zoe, services)
    [queued] = DBTaskResult.objects.all()
    assert queued.run_after == at(2026, 12, 9, 14, 0)  # 24 hours before, the default

    with time_machine.travel(at(2026, 12, 5, 10, 0), tick=False):
        run_worker()
    assert mail.outbox == []  # not due yet

    with time_machine.travel(at(2026, 12, 9, 14, 5), tick=False):
        run_worker()
        run_worker()
        assert send_reminder.call(str(appointment.pk)) is False  # the task run twice
    [message] = mail.outbox
    assert message.to == ["zoe@example.com"]
    assert message.subject == "Rappel : votre rendez-vous le jeudi 10 décembre à 14:00"
    assert "Bonjour Zoé" in message.body
    assert "12 rue des Lilas, 69003 Lyon" in message.body
    assert "Pose gel complète" in message.body
    with scopes_disabled():
        appointment.refresh_from_db()
    assert appointment.reminder_sent_at == at(2026, 12, 9, 14, 5)


def test_no_reminder_without_consent_without_email_or_for_a_cancelled_appointment(
    alice, zoe, lina, services
):
    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.REMINDERS, given=False)
    refused = book(zoe, at(2026, 12, 10, 14, 0), [services["pose"]])
    no_email = book(lina, at(2026, 12, 10, 9, 0), [services["refill"]])
    with scopes_disabled():
        other = type(zoe).objects.create(
            account=alice.account, first_name="Inès", email="ines@example.com", street="1 rue A"
        )
    cancelled = book(other, at(2026, 12, 10, 17, 0), [services["refill"]], status="cancelled")

    with time_machine.travel(at(2026, 12, 9, 18, 0), tick=False):
        for appointment in (refused, no_email, cancelled):
            assert send_reminder.call(str(appointment.pk)) is False
    assert mail.outbox == []


def test_a_moved_appointment_is_reminded_at_its_new_time_only(alice_client, zoe, services):
    appointment = book_through_the_form(alice_client, zoe, services)
    data = form_data(zoe, [services["pose"]], "2026-12-12T14:00")
    with time_machine.travel(BOOKED_AT, tick=False):
        assert alice_client.post(f"/agenda/{appointment.pk}/edit/", data).status_code == 302
    assert sorted(r.run_after for r in DBTaskResult.objects.all()) == [
        at(2026, 12, 9, 14, 0),
        at(2026, 12, 11, 14, 0),
    ]
    with time_machine.travel(at(2026, 12, 9, 14, 5), tick=False):
        run_worker()  # the old task finds the appointment moved: nothing to send
    assert mail.outbox == []
    with time_machine.travel(at(2026, 12, 11, 14, 5), tick=False):
        run_worker()
    assert len(mail.outbox) == 1


def test_the_delay_is_the_accounts_setting(alice, alice_client, zoe, services):
    with scopes_disabled():
        alice.account.reminder_hours_before = 48
        alice.account.save()
    book_through_the_form(alice_client, zoe, services)
    assert DBTaskResult.objects.get().run_after == at(2026, 12, 8, 14, 0)


def test_a_reminder_for_an_appointment_gone_since_sends_nothing(zoe, services):
    appointment = book(zoe, at(2026, 12, 10, 14, 0), [services["pose"]])
    appointment_id = str(appointment.pk)
    with scopes_disabled():
        appointment.delete()
    with time_machine.travel(at(2026, 12, 9, 18, 0), tick=False):
        assert send_reminder.call(appointment_id) is False
    assert mail.outbox == []
