"""Messaging helpers: SMS segment counting, the SMS provider over real HTTP, and e-mails
written in the technician's name."""

import pytest

from nailpro.messaging import (
    SmsError,
    first_fitting_sms,
    from_technician,
    sms_provider,
    sms_segments,
    technician_email,
)
from tests.fake_sms import ACCOUNT_SID, AUTH_TOKEN

LINK = "https://nailpro.example/r/AbCdEfGhIjKlMnOpQrStUv"


@pytest.mark.parametrize(
    ("text", "encoding", "count"),
    [
        # French: é, è, à are in the GSM alphabet; ê and ç are not.
        (f"Zoé, rappel : RDV le 10/12 à 14:00. Répondre : {LINK}", "gsm7", 1),
        (f"Françoise, rappel : RDV le 10/12 à 14:00. Répondre : {LINK}", "ucs2", 2),
        (f"Françoise, 10/12 14h {LINK}", "ucs2", 1),
        (f"Zoe, reminder: Lea Nails on 12/10 at 2 p.m. Reply: {LINK}", "gsm7", 1),
        (f"Lucia, recordatorio: cita el 10/12 a las 14:00. Responder: {LINK}", "gsm7", 1),
        (f"Lucía, recordatorio: cita el 10/12 a las 14:00. Responder: {LINK}", "ucs2", 2),
        (f"Giulia, promemoria: appuntamento il 10/12 alle 14:00. Rispondi: {LINK}", "gsm7", 1),
        (f"Анна, 10.12 14:00 {LINK}", "ucs2", 1),
        (f"Анна, напоминание: запись 10.12 в 14:00. Ответить: {LINK}", "ucs2", 2),
        ("a" * 160, "gsm7", 1),
        ("a" * 161, "gsm7", 2),
        ("a" * 306, "gsm7", 2),
        ("a" * 307, "gsm7", 3),
        ("€" * 80, "gsm7", 1),  # the extension table counts twice
        ("€" * 81, "gsm7", 2),
        ("я" * 70, "ucs2", 1),
        ("я" * 71, "ucs2", 2),
        ("я" * 134, "ucs2", 2),
        ("😀" * 35, "ucs2", 1),  # outside the BMP: two UTF-16 units each
        ("", "gsm7", 0),
    ],
)
def test_it_counts_sms_segments_by_encoding(text, encoding, count):
    segments = sms_segments(text)
    assert (segments.encoding, segments.count) == (encoding, count)


def test_it_picks_the_first_text_that_fits_one_sms():
    long_one = "Анна, " + "очень " * 20 + LINK
    assert first_fitting_sms(long_one, f"10.12 14:00 {LINK}") == f"10.12 14:00 {LINK}"


def test_sms_are_off_without_the_provider_settings(settings):
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = settings.TWILIO_FROM = ""
    assert sms_provider() is None
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = ACCOUNT_SID, AUTH_TOKEN
    assert sms_provider() is None  # still no sending number


def test_an_sms_goes_to_the_provider_over_http(fake_twilio):
    provider_id = sms_provider().send("+33612345678", "Zoé, rappel : RDV 10/12 à 14:00")
    [request] = fake_twilio.received
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request["auth"] == (ACCOUNT_SID, AUTH_TOKEN)
    assert request["form"] == {
        "To": "+33612345678",
        "From": "+33700000000",
        "Body": "Zoé, rappel : RDV 10/12 à 14:00",
    }
    assert provider_id.startswith("SM")


def test_a_refusal_or_an_unreachable_provider_raises(fake_twilio, settings):
    fake_twilio.status = 400
    with pytest.raises(SmsError):
        sms_provider().send("+33612345678", "x")
    settings.TWILIO_API_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(SmsError):
        sms_provider().send("+33612345678", "x")


def test_an_email_in_her_name_answers_to_her(settings):
    settings.DEFAULT_FROM_EMAIL = "NailPro <no-reply@nailpro.example>"
    settings.LANGUAGE_CODE = "en"
    message = technician_email(
        name="Léa Ongles",
        reply_to="lea@example.com",
        to=["zoe@example.com"],
        subject="Hello",
        body="Text",
        attachments=[("a.ics", b"BEGIN:VCALENDAR", "text/calendar")],
    )
    assert message.from_email == "Léa Ongles via NailPro <no-reply@nailpro.example>"
    assert message.reply_to == ["lea@example.com"]
    assert message.attachments[0][0] == "a.ics"
    # A name with characters that mean something in an address stays a name.
    assert from_technician('Nails, "by" <Léa>').endswith("<no-reply@nailpro.example>")
