"""The agenda: day, week and month; booking, finishing and cancelling appointments; the
day's route; the calendar feed."""

import datetime
import uuid
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_scopes import scope

from catalog.forms import ServiceLine, service_lines_of
from catalog.models import Service
from clients.models import Client, ConsentEvent
from clients.picker import Picking
from nailpro import links
from nailpro.decorators import account_required
from nailpro.health_log import log_health_views
from nailpro.models import Account, new_feed_token
from nailpro.offline import idempotent, offline_copy, user_key
from visits.forms import VisitForm
from visits.views import get_visit, recording_context, wants_to_save

from . import services
from .days import day_timeline, month_weeks, week_days, week_of
from .feed import calendar_feed
from .forms import AppointmentForm, CancelForm, DayForm
from .models import Appointment, RescheduleRequest
from .offline import offline_pages
from .reminder_links import reminder_text
from .reminders import automatic_channel, schedule_reminder


def get_appointment(request, appointment_id):
    """Return the appointment of the logged-in account, or 404."""
    queryset = Appointment.objects.select_related("client", "visit").prefetch_related("services")
    return get_object_or_404(queryset, pk=appointment_id)


def day_url(day):
    return f"{reverse('agenda:day')}?date={day.isoformat()}"


def _chosen_day(request):
    form = DayForm(request.GET or None)
    day = form.cleaned_data.get("date") if form.is_bound and form.is_valid() else None
    return form, day or timezone.localdate()


@account_required
@offline_copy("day")
def day_view(request):
    form, day = _chosen_day(request)
    entries, appointments = day_timeline(day, request.account)
    shown = [e.appointment.client for e in entries if e.allergens or e.allergy_notes]
    if shown:
        log_health_views(request, shown)
    _prepare_day(entries)
    active = [a for a in appointments if a.is_active]
    context = {
        "form": form,
        "day": day,
        "day_iso": day.isoformat(),
        "today": timezone.localdate(),
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1),
        "entries": entries,
        "count": len(active),
        "route_url": links.route_url([a.address for a in active], request.account.address),
    }
    return render(request, "agenda/day.html", context)


def _prepare_day(entries):
    """What the day shows of each line, written once in Python rather than by template tags
    in the loop: times, links, names."""
    detail, done = links.page_urls("agenda:detail"), links.page_urls("agenda:done")
    no_show, visit, card = (
        links.page_urls("agenda:no_show"),
        links.page_urls("visits:detail"),
        links.page_urls("clients:detail"),
    )
    book = reverse("agenda:new")
    for entry in entries:
        if entry.gap_minutes is not None:
            entry.gap_label = ngettext(
                "%(counter)s min between the two",
                "%(counter)s min between the two",
                entry.gap_minutes,
            ) % {"counter": entry.gap_minutes}
        a = entry.appointment
        if a is None:
            moment = timezone.localtime(entry.free_at)
            entry.time = f"{moment:%H:%M}"
            entry.book_url = f"{book}?start={moment:%Y-%m-%dT%H:%M}"
            continue
        _add_links(a, services=a.service_names)
        start, end = timezone.localtime(a.start), timezone.localtime(a.end)
        a.start_iso = start.isoformat()
        a.start_time = f"{start:%H:%M}"
        a.hours = f"{a.start_time}–{end:%H:%M}"
        if a.status in (a.Status.DONE, a.Status.CONFIRMED):
            a.badge = "success"
        else:
            a.badge = "" if a.is_open else "muted"
        a.access_notes = a.client.access_notes if a.place == a.Place.CLIENT_HOME else ""
        a.services_label = ", ".join(a.service_names)
        a.client_name = a.client.display_name
        a.aria_suffix = f" : {a.client_name}, {a.start_time}"  # after "More" or "Details"
        a.client_url = card(a.client_id)
        a.detail_url = detail(a.pk)
        if a.is_open:
            a.done_url = done(a.pk)
            a.no_show_url = no_show(a.pk) if a.has_started else ""
        elif a.visit_id:
            a.visit_url = visit(a.visit_id)


def _add_links(appointment, services=None):
    address = appointment.address
    appointment.maps_url = links.maps_url(address) if address else ""
    appointment.waze_url = links.waze_url(address) if address else ""
    wants_reminders = appointment.reminder_consent is not False  # on unless she said no
    # WhatsApp is always her own tap; so is any reminder the worker cannot send.
    client = appointment.client
    remind_by_hand = wants_reminders and appointment.is_open and automatic_channel(client) is None
    appointment.whatsapp_url = appointment.sms_url = ""
    if remind_by_hand and client.phone:
        # Her number formatted once for both links; the WhatsApp number is its E.164 digits,
        # as Client.whatsapp_number writes it (without formatting it nationally first).
        e164 = str(client.phone.as_e164)
        number = SimpleNamespace(as_e164=e164)
        person = SimpleNamespace(phone=number, whatsapp_number=e164.lstrip("+"))
        text = reminder_text(appointment, services)  # written once for both links
        appointment.whatsapp_url = links.whatsapp_url(person, text)
        appointment.sms_url = links.sms_url(person, text)


@account_required
def week_view(request):
    form, day = _chosen_day(request)
    first_weekday = request.account.first_weekday
    days = week_of(day, first_weekday)
    context = {
        "form": form,
        "day": day,
        "today": timezone.localdate(),
        "days": week_days(day, first_weekday),
        "previous": days[0] - datetime.timedelta(days=7),
        "next": days[0] + datetime.timedelta(days=7),
    }
    return render(request, "agenda/week.html", context)


@account_required
def month_view(request):
    form, day = _chosen_day(request)
    first = day.replace(day=1)
    context = {
        "form": form,
        "day": day,
        "first": first,
        "today": timezone.localdate(),
        "weeks": month_weeks(first.year, first.month, request.account.first_weekday),
        "previous": (first - datetime.timedelta(days=1)).replace(day=1),
        "next": (first + datetime.timedelta(days=32)).replace(day=1),
    }
    return render(request, "agenda/month.html", context)


@account_required
@offline_copy("route")
def route_view(request):
    """Today's round in order, with one link that opens it all in a maps app; printable."""
    form, day = _chosen_day(request)
    appointments = list(Appointment.objects.on_day(day).active().for_agenda())
    for appointment in appointments:
        _add_links(appointment)
    context = {
        "form": form,
        "day": day,
        "appointments": appointments,
        "start_address": request.account.address,
        "route_url": links.route_url([a.address for a in appointments], request.account.address),
    }
    return render(request, "agenda/route.html", context)


def _initial_start(request):
    """The slot tapped in the agenda (?start=2026-12-01T09:00), in her time zone."""
    value = request.GET.get("start", "")
    try:
        start = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(start):
        return None
    return start.replace(second=0, microsecond=0)


@account_required
def appointment_new(request):
    initial = {"start": _initial_start(request)}
    client_id = request.GET.get("client")
    client = None
    if client_id:
        try:
            client = Client.objects.filter(pk=uuid.UUID(client_id)).first()
        except ValueError:  # a malformed id in the address: start without a client
            client = None
        if client is not None:
            initial["client"] = client.pk
    notes = request.GET.get("notes", "").strip()
    if notes:
        initial["notes"] = notes[:2000]
    return _book(request, initial=initial, client=client, proposed=_asked_services(request))


def _asked_services(request):
    """The services named in the address (?service=<id>, as an appointment request asks),
    ticked with their usual price and duration; ids that are not hers are left out."""
    ids = []
    for value in request.GET.getlist("service")[:50]:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    services = Service.objects.filter(pk__in=ids, archived=False)
    return {s.pk: ServiceLine(s, s.price, s.duration) for s in services} or None


def _rebook_proposal(visit):
    """The services of a visit again, as many weeks later as the quickest to come back of them
    asks (a refill after 3 weeks), at the same time of day: (initial, proposed lines)."""
    lines = [line for line in visit.services.all() if line.service is not None]
    weeks = visit.rebook_after_weeks()
    local = timezone.localtime(visit.started_at)
    try:
        start = datetime.datetime.combine(
            local.date() + datetime.timedelta(weeks=weeks), local.time()
        )
    except OverflowError:  # a visit dated at the end of time: let her choose the date
        start = None
    proposed = {
        line.service_id: ServiceLine(line.service, line.price, line.service.duration)
        for line in lines
    }
    initial = {"start": start, "client": visit.client_id, "place": _usual_place(visit.client)}
    return initial, proposed


@account_required
def book_again(request, visit_id):
    """Book the services of a visit again (the form, filled in with the proposal)."""
    visit = get_visit(request, visit_id)
    initial, proposed = _rebook_proposal(visit)
    return _book(request, initial=initial, client=visit.client, proposed=proposed)


@account_required
@require_POST
def book_again_now(request, visit_id):
    """Book the proposed slot in one tap; a clash or a missing date opens the form instead."""
    visit = get_visit(request, visit_id)
    initial, proposed = _rebook_proposal(visit)
    data = {"client": str(visit.client_id), "place": initial["place"]}
    if initial["start"] is not None:
        data["start"] = initial["start"].strftime("%Y-%m-%dT%H:%M")
    for pk, line in proposed.items():
        data |= {f"service_{pk}": "on", f"price_{pk}": line.price, f"duration_{pk}": line.duration}
    form = AppointmentForm(data, account=request.account, services=proposed)
    if not form.is_valid():
        context = {"form": form, "client": visit.client}
        return render(request, "agenda/appointment_form.html", context)
    appointment = form.save()
    schedule_reminder(appointment)
    messages.success(request, _("The appointment is booked."))
    return redirect(appointment)


def _usual_place(client):
    last = client.appointments.order_by("-start").only("place").first()
    return last.place if last else Appointment.Place.CLIENT_HOME


def _book(request, *, initial, client=None, proposed=None):
    # Her picker can search, or add a new client, in a plain POST of this same form.
    picking = Picking(request, allow_new=True)
    form = AppointmentForm(
        picking.data, initial=initial, account=request.account, services=proposed
    )
    picking.attach(form)
    if picking.submitted(form):
        appointment = form.save()
        schedule_reminder(appointment)
        messages.success(request, _("The appointment is booked."))
        return redirect(day_url(timezone.localdate(appointment.start)))
    context = {"form": form, "client": client, "new_client_form": picking.new_form}
    return render(request, "agenda/appointment_form.html", context)


@account_required
def appointment_edit(request, appointment_id):
    appointment = get_appointment(request, appointment_id)
    try:
        appointment.check_open()
    except ValidationError as error:
        messages.error(request, error.message)
        return redirect(appointment)
    start = appointment.start
    form = AppointmentForm(request.POST or None, instance=appointment, account=request.account)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            appointment = form.save()
            services.appointment_reschedule(appointment=appointment, previous_start=start)
        messages.success(request, _("The appointment is saved."))
        return redirect(appointment)
    context = {"form": form, "client": appointment.client, "appointment": appointment}
    return render(request, "agenda/appointment_form.html", context)


@account_required
@offline_copy("appointment")
def appointment_detail(request, appointment_id):
    appointment = get_appointment(request, appointment_id)
    appointment.reminder_consent = appointment.client.has_consent(ConsentEvent.Kind.REMINDERS)
    _add_links(appointment)
    return render(request, "agenda/appointment_detail.html", {"appointment": appointment})


@account_required
@require_POST
def appointment_confirm(request, appointment_id):
    appointment = get_appointment(request, appointment_id)
    _act(request, services.appointment_confirm, appointment, _("The appointment is confirmed."))
    return redirect(appointment)


@account_required
@require_POST
@idempotent
def appointment_no_show(request, appointment_id):
    appointment = get_appointment(request, appointment_id)
    name = appointment.client.display_name
    done = _("%(name)s is recorded as absent.") % {"name": name}
    _act(request, services.appointment_no_show, appointment, done)
    return redirect(day_url(timezone.localdate(appointment.start)))


def _act(request, action, appointment, done):
    """Apply a service to the appointment; say it is done, or why it cannot be."""
    try:
        action(appointment=appointment)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


@account_required
def appointment_cancel(request, appointment_id):
    appointment = get_appointment(request, appointment_id)
    if not appointment.is_open:
        return redirect(appointment)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.appointment_cancel(appointment=appointment, by=form.cleaned_data["cancelled_by"])
        messages.success(request, _("The appointment is cancelled."))
        return redirect(day_url(timezone.localdate(appointment.start)))
    return render(
        request, "agenda/appointment_cancel.html", {"appointment": appointment, "form": form}
    )


@account_required
@offline_copy("checkout")
@idempotent
def appointment_done(request, appointment_id):
    """“Done”: the visit form, filled in from the appointment; saving links the two."""
    appointment = get_appointment(request, appointment_id)
    if appointment.visit is not None or not appointment.is_open:
        if request.method == "POST":  # e.g. sent from her phone after it was cancelled
            messages.error(request, _("This appointment is closed: the visit was not recorded."))
        return redirect(appointment.visit or appointment)
    initial = {
        "started_at": timezone.localtime(appointment.start),
        "ends_at": timezone.localtime(appointment.end).time(),
    }
    form = VisitForm(
        request.POST or None,
        initial=initial,
        client=appointment.client,
        services=service_lines_of(appointment),
    )
    if wants_to_save(request, form):
        with transaction.atomic():
            visit = form.save()
            services.appointment_finish(appointment=appointment, visit=visit)
        messages.success(request, _("Visit no. %(number)s recorded.") % {"number": visit.number})
        return redirect("visits:saved", visit_id=visit.pk)
    context = recording_context(request, appointment.client, form)
    context["appointment"] = appointment
    return render(request, "visits/visit_form.html", context)


def get_reschedule_request(request, reschedulerequest_id):
    """Return a request of the logged-in account to move an appointment, or 404."""
    return get_object_or_404(RescheduleRequest.objects.all(), pk=reschedulerequest_id)


@account_required
@require_POST
def reschedule_request_dismiss(request, reschedulerequest_id):
    """She dealt with a client's request to move an appointment: it leaves the dashboard."""
    reschedule_request = get_reschedule_request(request, reschedulerequest_id)
    services.reschedule_request_dismiss(reschedule_request=reschedule_request)
    messages.success(request, _("The request is marked as dealt with."))
    return redirect("dashboard")


@account_required
def offline_sync(request):
    """The pages of today and tomorrow her phone keeps for the day offline (the morning sync)."""
    pages, summary = offline_pages(timezone.localdate())
    data = {"user": user_key(request.user), "pages": pages, "summary": summary}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@account_required
@require_POST
def feed_regenerate(request):
    """A new secret address for the calendar feed: the old one stops working."""
    account = request.account
    account.calendar_feed_token = new_feed_token()
    account.save(update_fields=["calendar_feed_token"])
    messages.success(request, _("Your calendar has a new address: subscribe to it again."))
    return redirect(f"{reverse('account')}#calendar")


def feed(request, token):
    """The private calendar feed a phone subscribes to: the token is the only key."""
    account = Account.objects.filter(calendar_feed_token=token).first() if len(token) > 20 else None
    if account is None:
        raise Http404
    with scope(account=account.pk), timezone.override(account.time_zone):
        body = calendar_feed(account)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="nailpro.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
