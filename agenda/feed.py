"""The calendar feed (ICS) a phone's calendar subscribes to.

An event says who (her first name only), what (the services) and where; never anything of her
health, her notes or her contact details: the feed travels to a third-party calendar service.
"""

import datetime

from django.utils import timezone

from .models import Appointment

PAST_DAYS, FUTURE_DAYS = 60, 400
STATUS = {
    Appointment.Status.CANCELLED: "CANCELLED",
    Appointment.Status.NO_SHOW: "CANCELLED",
    Appointment.Status.PLANNED: "TENTATIVE",
}


def calendar_feed(account):
    from icalendar import Calendar  # loaded by the feed's requests only (~8 MB)

    calendar = Calendar()
    calendar.add("prodid", "-//NailPro//Agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"NailPro · {account.name}")
    calendar.add("x-wr-timezone", account.time_zone)
    now = timezone.now()
    appointments = (
        Appointment.objects.filter(
            start__gte=now - datetime.timedelta(days=PAST_DAYS),
            start__lt=now + datetime.timedelta(days=FUTURE_DAYS),
        )
        .select_related("client", "account")
        .prefetch_related("services")
        .order_by("start")
    )
    for appointment in appointments:
        calendar.add_component(_event(appointment))
    return calendar.to_ical()


def _event(appointment):
    services = ", ".join(line.name for line in appointment.services.all())
    who = appointment.client.first_name or appointment.client.last_name
    from icalendar import Event

    event = Event()
    event.add("uid", f"{appointment.pk}@nailpro")
    event.add("dtstamp", appointment.updated_at)
    event.add("dtstart", appointment.start)
    event.add("dtend", appointment.end)
    event.add("summary", f"{who} · {services}" if services else who)
    if appointment.address:
        event.add("location", appointment.address)
    event.add("status", STATUS.get(appointment.status, "CONFIRMED"))
    return event
