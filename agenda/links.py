"""Links that open another app on her phone: maps, Waze, WhatsApp, SMS."""

from urllib.parse import quote, urlencode

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def maps_url(address):
    return "https://www.google.com/maps/search/?" + urlencode({"api": 1, "query": address})


def waze_url(address):
    return "https://waze.com/ul?" + urlencode({"q": address, "navigate": "yes"})


def route_url(addresses, origin=""):
    """One link for the whole round, in order: the maps app plans every stop."""
    stops = [a for a in addresses if a]
    if not stops:
        return ""
    params = {"api": 1, "destination": stops[-1], "travelmode": "driving"}
    if origin:
        params["origin"] = origin
    if len(stops) > 1:
        params["waypoints"] = "|".join(stops[:-1])
    return "https://www.google.com/maps/dir/?" + urlencode(params)


def reminder_text(appointment):
    moment = timezone.localtime(appointment.start)
    text = _(
        "Hello %(name)s, a reminder of your appointment on %(date)s at %(time)s "
        "(%(services)s). See you soon! %(business)s"
    ) % {
        "name": appointment.client.first_name or appointment.client.display_name,
        "date": date_format(moment, "l j F"),
        "time": date_format(moment, "TIME_FORMAT"),
        "services": ", ".join(line.name for line in appointment.services.all()),
        "business": appointment.account.name,
    }
    return text


def whatsapp_url(client, text):
    """Open a WhatsApp chat with her, the message typed in, ready to send."""
    return f"https://wa.me/{client.whatsapp_number}?text={quote(text)}" if client.phone else ""


def sms_url(client, text):
    return f"sms:{client.phone.as_e164}?body={quote(text)}" if client.phone else ""


def whatsapp_reminder_url(appointment):
    return whatsapp_url(appointment.client, reminder_text(appointment))


def sms_reminder_url(appointment):
    return sms_url(appointment.client, reminder_text(appointment))
