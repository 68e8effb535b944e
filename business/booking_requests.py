"""Appointment requests from her public page, on her dashboard: one tap creates the client
(within the plan's limit) and opens the booking form filled in; or she dismisses it.

The action lives here, on top of the layers: it spans gallery (the request), clients (the new
client) and agenda (the booking form, reached by its URL name only)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Window
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from clients.models import Client
from gallery.models import BookingRequest
from nailpro.decorators import account_required

SHOWN = 5
ALREADY_HANDLED = gettext_lazy("This request was already handled.")


def booking_requests_block():
    """The dashboard's block: the requests waiting, newest first."""
    # The count rides along with the rows shown (a window over all the waiting ones).
    shown = list(BookingRequest.objects.waiting().annotate(waiting=Window(Count("pk")))[:SHOWN])
    return {
        "booking_requests": shown,
        "booking_requests_count": shown[0].waiting if shown else 0,
    }


def _split_name(name):
    first, _space, last = " ".join(name.split()).partition(" ")
    return first, last


def booking_request_note(booking):
    """The appointment's note: what she asked for, in the technician's words."""
    parts = [_("Requested on your public page.")]
    if booking.preferred_times:
        parts.append(_("Preferred: %(times)s.") % {"times": booking.preferred_times})
    if booking.message:
        parts.append(_("Her message: %(message)s") % {"message": booking.message})
    return " ".join(parts)


def booking_request_accept(*, booking):
    """Take the request: the client with this phone number, or a new one (within the plan's
    limit, which raises `plan_limit` and leaves the request waiting); return the client."""
    with transaction.atomic():
        locked = BookingRequest.objects.select_for_update().get(pk=booking.pk)
        if locked.status != BookingRequest.Status.WAITING:
            raise ValidationError(ALREADY_HANDLED, code="handled")
        client = Client.objects.filter(Q(phone=locked.phone) | Q(phone2=locked.phone)).first()
        if client is None:
            first_name, last_name = _split_name(locked.name)
            client = Client(
                account=locked.account,
                first_name=first_name[:80],
                last_name=last_name[:80],
                phone=locked.phone,
                postal_code=locked.postal_code,
            )
            client.full_clean()  # the plan's limit first, with its own code
            client.save()
        locked.status, locked.handled_at, locked.client = (
            BookingRequest.Status.ACCEPTED,
            timezone.now(),
            client,
        )
        locked.save(update_fields=["status", "handled_at", "client"])
    return client


def _is_plan_limit(error):
    errors = error.error_dict.get("__all__", []) if hasattr(error, "error_dict") else [error]
    return any(getattr(e, "code", None) == "plan_limit" for e in errors)


def get_bookingrequest(request, bookingrequest_id):
    """Return the request sent to the logged-in account, or 404."""
    return get_object_or_404(BookingRequest, pk=bookingrequest_id)


@account_required
@require_safe
def booking_request_list(request):
    waiting = BookingRequest.objects.waiting()
    page = Paginator(waiting, 20).get_page(request.GET.get("page"))
    return render(request, "business/booking_request_list.html", {"page": page})


@account_required
@require_POST
def booking_request_book(request, bookingrequest_id):
    """One tap: her client (made if new), then the booking form with her wishes filled in."""
    booking = get_bookingrequest(request, bookingrequest_id)
    try:
        client = booking_request_accept(booking=booking)
    except ValidationError as error:
        if _is_plan_limit(error):
            messages.error(
                request,
                _(
                    "Your Free plan is full: the request of %(name)s waits here. Go Pro, "
                    "or delete a client you no longer see, then book her."
                )
                % {"name": booking.name},
            )
            return redirect("booking_requests")
        messages.error(request, " ".join(error.messages))
        return redirect("booking_requests")
    query = [("client", client.pk), *(("service", pk) for pk in booking.service_ids)]
    query.append(("notes", booking_request_note(booking)))
    return redirect(f"{reverse('agenda:new')}?{urlencode(query)}")


@account_required
@require_POST
def booking_request_dismiss(request, bookingrequest_id):
    booking = get_bookingrequest(request, bookingrequest_id)
    if booking.status == BookingRequest.Status.WAITING:
        booking.status, booking.handled_at = BookingRequest.Status.DISMISSED, timezone.now()
        booking.save(update_fields=["status", "handled_at"])
        message = _("The request of %(name)s is dismissed.") % {"name": booking.name}
        messages.success(request, message)
    return redirect("dashboard" if request.POST.get("next") == "dashboard" else "booking_requests")
