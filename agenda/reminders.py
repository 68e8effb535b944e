"""E-mail reminders to clients who agreed to them, queued with django-tasks.

Booking (or moving) an appointment queues a task to run when the reminder is due; the worker
(`manage.py db_worker`) runs it. The task decides again when it runs: a moved, cancelled or
already reminded appointment, or a consent withdrawn in the meantime, sends nothing, so a task
that runs twice, late or for an old time sends at most one e-mail.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_scopes import scope
from django_tasks import task

from clients.models import ConsentEvent

from .models import Appointment


def due_at(appointment):
    return appointment.start - datetime.timedelta(hours=appointment.account.reminder_hours_before)


def may_remind(appointment):
    client = appointment.client
    return bool(
        appointment.is_open
        and appointment.reminder_sent_at is None
        and client.email
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
    """Send the reminder if it is due and still wanted; return whether an e-mail went out."""
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
        _send(appointment)
        appointment.reminder_sent_at = now
        appointment.save(update_fields=["reminder_sent_at"])
        return True


def _send(appointment):
    account = appointment.account
    with appointment.client.in_her_language(), timezone.override(account.time_zone):
        context = {
            "appointment": appointment,
            "start": timezone.localtime(appointment.start),
            "account": account,
        }
        subject = render_to_string("agenda/reminder_subject.txt", context).strip()
        body = render_to_string("agenda/reminder_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [appointment.client.email])
