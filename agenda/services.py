"""What becomes of an appointment: confirmed, moved, done (a visit), missed or cancelled."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Appointment, ReplyLink, RescheduleRequest
from .reminders import schedule_reminder


def appointment_confirm(*, appointment):
    """Record that she confirmed a planned appointment (confirming twice changes nothing)."""
    appointment.check_open()
    if appointment.status == Appointment.Status.PLANNED:
        appointment.status = Appointment.Status.CONFIRMED
        appointment.save(update_fields=["status", "updated_at"])
    return appointment


def appointment_reschedule(*, appointment, previous_start):
    """After an open appointment was moved from `previous_start`, remind her again of the
    new time (nothing to do if the time did not change)."""
    appointment.check_open()
    if appointment.start == previous_start:
        return appointment
    appointment.reminder_sent_at = None
    appointment.save(update_fields=["reminder_sent_at", "updated_at"])
    schedule_reminder(appointment)
    return appointment


@transaction.atomic
def appointment_finish(*, appointment, visit):
    """Close an open appointment as done by the visit recorded for it."""
    appointment.check_open()
    if visit.client_id != appointment.client_id:
        raise ValidationError(_("This visit is not one of this client's."), code="other_client")
    appointment.visit = visit
    appointment.status = Appointment.Status.DONE
    appointment.save(update_fields=["visit", "status", "updated_at"])
    return appointment


def appointment_no_show(*, appointment):
    """Record that she did not come to an open appointment, once it has started."""
    appointment.check_open()
    if not appointment.has_started:
        raise ValidationError(
            _("She can be recorded as absent only once the appointment has started."),
            code="not_started",
        )
    appointment.status = Appointment.Status.NO_SHOW
    appointment.save(update_fields=["status", "updated_at"])
    return appointment


def appointment_cancel(*, appointment, by):
    """Cancel an open appointment, saying who cancelled (Appointment.CancelledBy)."""
    appointment.check_open()
    if by not in Appointment.CancelledBy.values:
        raise ValidationError(_("Say who cancelled."), code="invalid_cancelled_by")
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_by = by
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["status", "cancelled_by", "cancelled_at", "updated_at"])
    return appointment


@transaction.atomic
def reply_link_answer(*, link, confirm, message=""):
    """Her answer through a reminder's link: confirm the appointment, or ask to move it (the
    request waits on the dashboard). A link answers once, until the appointment starts."""
    link = ReplyLink.objects.select_for_update().select_related("appointment").get(pk=link.pk)
    appointment = link.appointment
    if link.used_at is not None:
        raise ValidationError(_("This link was already used."), code="used")
    if link.is_expired or not appointment.is_open:
        raise ValidationError(_("This link has expired."), code="expired")
    if confirm:
        appointment_confirm(appointment=appointment)
    else:
        RescheduleRequest.objects.create(
            account_id=link.account_id,
            appointment=appointment,
            client_id=appointment.client_id,
            message=message.strip(),
        )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link


def reschedule_request_dismiss(*, reschedule_request):
    """She dealt with the request (moved the appointment, or called her): off the dashboard."""
    if reschedule_request.dismissed_at is None:
        reschedule_request.dismissed_at = timezone.now()
        reschedule_request.save(update_fields=["dismissed_at"])
    return reschedule_request
