"""The morning sync: which pages of today and tomorrow her phone keeps for the day offline."""

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Appointment, local_midnight


def offline_days(today):
    return [today, today + datetime.timedelta(days=1)]


def offline_pages(today):
    """Return the pages to keep: each day and route, then each booked client's card, the
    appointment and its checkout. A client with no appointment these two days is not there."""
    days = offline_days(today)
    agenda, route = reverse("agenda:day"), reverse("agenda:route")
    pages = [{"url": agenda, "title": _("Agenda"), "kind": "day"}]
    pages.append({"url": route, "title": _("The day's route"), "kind": "route"})
    for day in days:
        name = formats.date_format(day, "l j F").capitalize()
        pages.append({"url": f"{agenda}?date={day.isoformat()}", "title": name, "kind": "day"})
        pages.append(
            {
                "url": f"{route}?date={day.isoformat()}",
                "title": _("Route · %(day)s") % {"day": name},
                "kind": "route",
            }
        )
    end = local_midnight(days[-1] + datetime.timedelta(days=1))
    appointments = (
        Appointment.objects.between(local_midnight(days[0]), end)
        .active()
        .select_related("client")
        .order_by("start")
    )
    cards = set()
    for appointment in appointments:
        client = appointment.client
        when = formats.time_format(timezone.localtime(appointment.start), "H:i")
        if client.pk not in cards:
            cards.add(client.pk)
            pages.append(
                {"url": client.get_absolute_url(), "title": client.display_name, "kind": "card"}
            )
            pages.append(
                {
                    "url": reverse("clients:preferences", args=[client.pk]),
                    "title": _("Notes · %(name)s") % {"name": client.display_name},
                    "kind": "card",
                }
            )
        pages.append(
            {
                "url": appointment.get_absolute_url(),
                "title": f"{client.display_name} · {when}",
                "kind": "appointment",
            }
        )
        if appointment.is_open:
            pages.append(
                {
                    "url": reverse("agenda:done", args=[appointment.pk]),
                    "title": _("Checkout · %(name)s") % {"name": client.display_name},
                    "kind": "checkout",
                }
            )
    summary = ngettext(
        "%(count)s client's card for today and tomorrow",
        "%(count)s clients' cards for today and tomorrow",
        len(cards),
    ) % {"count": len(cards)}
    return pages, summary
