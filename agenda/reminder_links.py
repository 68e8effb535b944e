"""Reminders sent by hand from her phone: the text the WhatsApp / SMS links carry (built by
nailpro.links, in the agenda's views)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from nailpro.dates import weekday_day_month


def reminder_text(appointment, services=None):
    """The reminder she receives, in her language. `services`: the names of the services
    booked, when already read (the agenda's day reads them for every appointment at once)."""
    with appointment.client.in_her_language():
        return _reminder_text(appointment, services)


def _reminder_text(appointment, services=None):
    if services is None:
        services = [line.name for line in appointment.services.all()]
    moment = timezone.localtime(appointment.start)
    text = _(
        "Hello %(name)s, a reminder of your appointment on %(date)s at %(time)s "
        "(%(services)s). See you soon! %(business)s"
    ) % {
        "name": appointment.client.first_name or appointment.client.display_name,
        "date": weekday_day_month(moment),
        "time": date_format(moment, "H:i"),
        "services": ", ".join(services),
        "business": appointment.account.name,
    }
    return text
