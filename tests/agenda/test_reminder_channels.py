"""Reminders by the channel she prefers: an e-mail in the technician's name with the
appointment as .ics, an SMS through the provider (a local fake here), or a WhatsApp tap."""

from urllib.parse import unquote

import pytest
import time_machine
from django.core import mail
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from agenda.models import ReplyLink
from agenda.reminders import reminder_email, send_reminder, sms_text
from clients.models import Client, ConsentEvent
from nailpro.messaging import sms_segments
from nailpro.models import SmsSent
from tests.factories import ConsentEventFactory, UserFactory

from .conftest import at, book, form_data
from .test_reminders import BOOKED_AT, run_worker

pytestmark = pytest.mark.django_db(transaction=True)
DUE = at(2026, 12, 9, 14, 5)


@pytest.fixture
def lea(alice, settings):
    """Alice's business with a phone and a place of her own; mails leave from the platform."""
    settings.DEFAULT_FROM_EMAIL = "NailPro <no-reply@nailpro.example>"
    settings.SITE_URL = "https://nailpro.example"
    with scopes_disabled():
        account = alice.account
        account.name = "Léa Ongles"
        account.phone = "+33611223344"
        account.address = "5 quai Saint-Vincent, 69001 Lyon"
        account.place_access_notes = "Interphone Ongles, 2e étage"
        account.save()
    return account


def book_through_the_form(alice_client, client, services, **extra):
    with time_machine.travel(BOOKED_AT, tick=False):
        data = form_data(client, [services["pose"]], "2026-12-10T14:00", **extra)
        response = alice_client.post("/agenda/new/", data)
    assert response.status_code == 302
    with scopes_disabled():
        return client.appointments.get()


def test_the_email_comes_in_her_name_with_the_place_and_an_ics(lea, alice_client, zoe, services):
    appointment = book_through_the_form(alice_client, zoe, services, place="own_place")
    with time_machine.travel(DUE, tick=False):
        run_worker()

    [message] = mail.outbox
    assert message.from_email == "Léa Ongles via NailPro <no-reply@nailpro.example>"
    assert message.reply_to == ["alice@example.com"]
    assert message.to == ["zoe@example.com"]
    assert "+33 6 11 22 33 44" in message.body
    assert "5 quai Saint-Vincent, 69001 Lyon" in message.body
    assert "Interphone Ongles, 2e étage" in message.body
    assert "Digicode" not in message.body  # her own access notes are for her home
    link = next(w for w in message.body.split() if w.startswith("https://nailpro.example/r/"))
    with scopes_disabled():
        assert ReplyLink.objects.for_token(link.rsplit("/", 1)[1]).appointment == appointment

    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == at(2026, 12, 10, 14, 0)
    assert event.decoded("dtend") == at(2026, 12, 10, 15, 30)
    assert str(event["location"]) == "5 quai Saint-Vincent, 69001 Lyon"
    assert str(event["summary"]) == "Léa Ongles · Pose gel complète"
    assert str(event["uid"]) == f"{appointment.pk}@nailpro"


def test_an_sms_reminder_goes_through_the_provider_once_and_is_counted(
    lea,
    alice_client,
    zoe,
    services,
    fake_twilio,
):
    with scopes_disabled():
        zoe.reminder_channel = Client.ReminderChannel.SMS
        zoe.phone = "+33612345678"
        zoe.save()
    appointment = book_through_the_form(alice_client, zoe, services)
    assert DBTaskResult.objects.count() == 1
    with time_machine.travel(DUE, tick=False):
        run_worker()
        assert send_reminder.call(str(appointment.pk)) is False  # run twice: sent once

    assert mail.outbox == []
    [sms] = fake_twilio.received
    assert sms["form"]["To"] == "+33612345678"
    body = sms["form"]["Body"]
    assert sms_segments(body).count == 1
    assert body.startswith("Zoé, ")
    assert "12/10" in body or "10/12" in body
    assert "https://nailpro.example/r/" in body
    with scopes_disabled():
        [sent] = SmsSent.objects.all()
        assert sent.account_id == lea.pk and sent.provider_id.startswith("SM")
        appointment.refresh_from_db()
    assert appointment.reminder_sent_at == DUE

    with time_machine.travel(DUE, tick=False):
        response = alice_client.get("/account/")
    assert response.context["sms_this_month"] == 1


def test_the_sms_fits_one_segment_in_french_and_english_whatever_the_name(
    lea,
    zoe,
    services,
    fake_twilio,
):
    link = "https://nailpro.example/r/" + "x" * 22
    for language in ("fr", "en"):
        lea.language = language
        for first_name in ("Zoé", "Françoise", "Anne-Charlotte-Marie", "Анастасия", ""):
            with scopes_disabled():
                zoe.first_name = first_name
                appointment = book(zoe, at(2026, 12, 10, 14, 0), [services["pose"]])
                appointment.account = lea
                appointment.client.account = lea
                text = sms_text(appointment, link)
            assert sms_segments(text).count == 1, text
            assert link in text


def test_no_sms_without_her_consent_or_without_the_providers_keys(
    lea,
    alice_client,
    zoe,
    services,
    fake_twilio,
    settings,
):
    with scopes_disabled():
        zoe.reminder_channel = Client.ReminderChannel.SMS
        zoe.phone = "+33612345678"
        zoe.save()
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.REMINDERS, given=False)
    refused = book(zoe, at(2026, 12, 10, 14, 0), [services["pose"]])
    with time_machine.travel(DUE, tick=False):
        assert send_reminder.call(str(refused.pk)) is False

    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.REMINDERS, given=True)
    settings.TWILIO_AUTH_TOKEN = ""
    with scopes_disabled():
        refused.delete()
    appointment = book_through_the_form(alice_client, zoe, services)
    assert DBTaskResult.objects.count() == 0  # nothing the worker could send
    with time_machine.travel(DUE, tick=False):
        assert send_reminder.call(str(appointment.pk)) is False
    assert fake_twilio.received == [] and mail.outbox == []
    with scopes_disabled():
        assert SmsSent.objects.count() == 0


def test_a_refused_sms_is_not_counted_nor_marked_sent(lea, zoe, services, fake_twilio):
    fake_twilio.status = 400
    with scopes_disabled():
        zoe.reminder_channel = Client.ReminderChannel.SMS
        zoe.phone = "+33612345678"
        zoe.save()
    appointment = book(zoe, at(2026, 12, 10, 14, 0), [services["pose"]])
    with time_machine.travel(DUE, tick=False):
        assert send_reminder.call(str(appointment.pk)) is False
    with scopes_disabled():
        appointment.refresh_from_db()
        assert SmsSent.objects.count() == 0
    assert appointment.reminder_sent_at is None


def test_whatsapp_is_her_tap_in_the_day_view_even_with_an_email(
    lea, alice_client, zoe, lina, services
):
    with scopes_disabled():
        zoe.reminder_channel = Client.ReminderChannel.WHATSAPP
        zoe.phone = "+33612345678"
        zoe.language = "en"  # her text is in her language, not her technician's
        zoe.save()
        lina.phone = "+33698765432"
        lina.email = "lina@example.com"
        lina.save()
    by_whatsapp = book(zoe, at(2026, 12, 10, 14, 0), [services["pose"]])
    book(lina, at(2026, 12, 10, 9, 0), [services["refill"]])
    with time_machine.travel(BOOKED_AT, tick=False):
        response = alice_client.get("/agenda/?date=2026-12-10")
    with time_machine.travel(DUE, tick=False):
        assert send_reminder.call(str(by_whatsapp.pk)) is False  # not automatic
    by_name = {
        entry.appointment.client.first_name: entry.appointment
        for entry in response.context["entries"]
        if entry.appointment
    }
    assert by_name["Zoé"].whatsapp_url.startswith("https://wa.me/33612345678?text=")
    assert "Hello Zoé, a reminder of your appointment" in unquote(by_name["Zoé"].whatsapp_url)
    assert by_name["Lina"].whatsapp_url == ""  # e-mailed by the worker


def test_the_reply_to_is_her_first_login_address(lea, zoe, services):
    UserFactory(email="assistant@example.com", account=lea)
    appointment = book(zoe, at(2026, 12, 10, 14, 0), [services["pose"]])
    with scopes_disabled():
        message = reminder_email(appointment)
    assert message.reply_to == ["alice@example.com"]
