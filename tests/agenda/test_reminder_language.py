"""Her reminder is written in her language, not her technician's."""

import pytest
import time_machine
from django.core import mail
from django_scopes import scopes_disabled

from agenda.reminders import send_reminder

from .conftest import at, form_data

pytestmark = pytest.mark.django_db


def book(alice_client, client, services):
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        response = alice_client.post(
            "/agenda/new/", form_data(client, [services["pose"]], "2026-12-10T14:00")
        )
    assert response.status_code == 302
    with scopes_disabled():
        return client.appointments.get()


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("en", "Reminder: your appointment on Thursday, December 10 at 14:00", "Hello Zoé"),
        ("fr", "Rappel : votre rendez-vous le jeudi 10 décembre à 14:00", "Bonjour Zoé"),
    ],
)
def test_her_reminder_is_in_her_language_on_a_french_account(
    alice, alice_client, zoe, services, language, subject, greeting
):
    assert alice.account.language == "fr"
    with scopes_disabled():
        zoe.language = language
        zoe.save()
    appointment = book(alice_client, zoe, services)

    with time_machine.travel(at(2026, 12, 9, 14, 5), tick=False):
        assert send_reminder.call(str(appointment.pk)) is True

    [message] = mail.outbox
    assert message.subject == subject
    assert greeting in message.body
    assert "12 rue des Lilas, 69003 Lyon" in message.body
