"""Reminders to clients who agreed to them, by the channel each prefers, queued with
django-tasks.

Booking (or moving) an appointment queues a task to run when the reminder is due; the worker
(`manage.py db_worker`) runs it. The task decides again when it runs: a moved, cancelled or
already reminded appointment, a consent withdrawn or a channel changed in the meantime, sends
nothing, so a task that runs twice, late or for an old time sends at most one reminder.

E-mail and SMS go out automatically (SMS only when the provider is configured); a WhatsApp
reminder is sent by her own tap in the day view (`reminder_links`), as is any reminder the
worker cannot send (no e-mail address, SMS off).
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_scopes import scope
from django_tasks import task
from icalendar import Calendar, Event

from clients.models import Client, ConsentEvent
from nailpro.messaging import (
    SmsError,
    first_fitting_sms,
    sms_provider,
    sms_segments,
    technician_email,
)
from nailpro.models import SmsSent, User

from .models import Appointment, ReplyLink

logger = logging.getLogger(__name__)
Channel = Client.ReminderChannel


def due_at(appointment):
    return appointment.start - datetime.timedelta(hours=appointment.account.reminder_hours_before)


def automatic_channel(client):
    """How the worker can remind her (Channel.EMAIL or Channel.SMS), or None: by hand."""
    if client.reminder_channel == Channel.EMAIL and client.email:
        return Channel.EMAIL
    if client.reminder_channel == Channel.SMS and client.phone and sms_provider() is not None:
        return Channel.SMS
    return None


def may_remind(appointment):
    client = appointment.client
    return bool(
        appointment.is_open
        and appointment.reminder_sent_at is None
        and automatic_channel(client) is not None
        and client.has_consent(ConsentEvent.Kind.REMINDERS)
    )


def schedule_reminder(appointment):
    """Queue the reminder of a booked or moved appointment, once the booking is committed."""
    if not may_remind(appointment) or appointment.start <= timezone.now():
        return
    run_after = max(due_at(appointment), timezone.now())
    transaction.on_commit(
        lambda: send_reminder.using(run_after=run_after).enqueue(str(appointment.pk))
    )


@task()
def send_reminder(appointment_id):
    """Send the reminder if it is due and still wanted; return whether one went out."""
    appointment = (
        Appointment._base_manager.select_related("account", "client")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:  # deleted, or erased with her client, before it was due
        return False
    with scope(account=appointment.account_id), transaction.atomic():
        # The row lock makes a second worker wait, then see the reminder already sent.
        appointment = (
            Appointment.objects.select_for_update()
            .select_related("account", "client")
            .get(pk=appointment_id)
        )
        now = timezone.now()
        if not may_remind(appointment) or not (due_at(appointment) <= now < appointment.start):
            return False
        channel = automatic_channel(appointment.client)
        try:
            if channel == Channel.SMS:
                send_sms_reminder(appointment)
            else:
                reminder_email(appointment).send()
        except SmsError:
            logger.warning("SMS reminder of appointment %s not sent", appointment.pk, exc_info=True)
            return False
        appointment.reminder_sent_at = now
        appointment.save(update_fields=["reminder_sent_at"])
        return True


def reply_url(appointment):
    """A new link where she confirms or asks to move the appointment (absolute, for a message)."""
    _link, token = ReplyLink.issue(appointment)
    return settings.SITE_URL + reverse("reply:page", kwargs={"token": token})


def technician_reply_to(account):
    """Where her clients' answers go: the address she logs in with (the first, if several)."""
    return (
        User.objects.filter(account=account, is_active=True)
        .order_by("date_joined")
        .values_list("email", flat=True)
        .first()
    )


def place_access_notes(appointment):
    """How to find the place, when it is hers or her client's (an address given by hand has
    none)."""
    if appointment.place == Appointment.Place.OWN_PLACE:
        return appointment.account.place_access_notes
    return ""


def reminder_email(appointment):
    """The reminder e-mail, written in the technician's name, with the appointment as .ics."""
    account, client = appointment.account, appointment.client
    with translation.override(client.spoken_language), timezone.override(account.time_zone):
        context = {
            "appointment": appointment,
            "client": client,
            "start": timezone.localtime(appointment.start),
            "account": account,
            "access_notes": place_access_notes(appointment),
            "reply_url": reply_url(appointment),
        }
        subject = render_to_string("agenda/reminder_subject.txt", context).strip()
        body = render_to_string("agenda/reminder_email.txt", context)
        ics = appointment_ics(appointment)
    return technician_email(
        name=account.name,
        reply_to=technician_reply_to(account),
        to=[client.email],
        subject=subject,
        body=body,
        attachments=[("rendez-vous.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")],
    )


def appointment_ics(appointment):
    """One event for her own calendar: when, where, with whom (the business), for what."""
    calendar = Calendar()
    calendar.add("prodid", "-//NailPro//Reminder//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.pk}@nailpro")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.start.astimezone(datetime.UTC))
    event.add("dtend", appointment.end)
    services = ", ".join(line.name for line in appointment.services.all())
    name = appointment.account.name
    event.add("summary", f"{name} · {services}" if services else name)
    if appointment.address:
        event.add("location", appointment.address)
    notes = place_access_notes(appointment)
    if notes:
        event.add("description", notes)
    calendar.add_component(event)
    return calendar.to_ical()


def sms_text(appointment, link):
    """The reminder in one SMS of her language: shortened until it fits."""
    client = appointment.client
    language, zone = client.spoken_language, appointment.account.time_zone
    with translation.override(language), timezone.override(zone):
        moment = timezone.localtime(appointment.start)
        values = {
            "name": client.first_name or "",
            "business": appointment.account.name,
            "date": date_format(moment, pgettext("day and month in an SMS (PHP date())", "n/j")),
            "time": date_format(moment, "TIME_FORMAT"),
            "link": link,
        }
        texts = []
        if values["name"]:
            texts.append(
                _("%(name)s, reminder: %(business)s on %(date)s at %(time)s. Reply: %(link)s")
                % values
            )
            texts.append(_("%(name)s, appointment %(date)s at %(time)s: %(link)s") % values)
        texts.append(_("Appointment %(date)s at %(time)s: %(link)s") % values)
    texts.append(f"{values['date']} {values['time']} {link}")  # digits and a link: always fits
    return first_fitting_sms(*texts)


def send_sms_reminder(appointment):
    """Send the SMS reminder through the provider and count it; raise SmsError if refused."""
    provider = sms_provider()
    if provider is None:
        raise SmsError("SMS are not configured")
    body = sms_text(appointment, reply_url(appointment))
    provider_id = provider.send(appointment.client.phone.as_e164, body)
    SmsSent.objects.create(
        account_id=appointment.account_id,
        segments=sms_segments(body).count,
        provider_id=provider_id,
    )
