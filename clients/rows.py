"""The rows of every list of clients (templates/clients/client_rows.html): what a row shows,
worked out once per row in Python instead of by template tags repeated on every row (a phone
number formatted ten times, a translation looked up for every link)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext

from nailpro import dates, links
from nailpro.phones import format_phone, has_number

PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def url_for_ids(name, kwarg):
    """A function giving the URL of `name` for an id: reversed once for a whole list."""
    head, _, tail = reverse(name, kwargs={kwarg: PLACEHOLDER}).partition(PLACEHOLDER)
    return lambda pk: f"{head}{pk}{tail}"


def _number(value):
    return formats.localize(value)  # as a template shows a number


def _full_date(value):
    return dates.full_date(timezone.template_localtime(value)) if value else ""


class ClientRow:
    """One row: `client`, and `row` (what the list gave: the client, or a row holding her)."""

    def __init__(self, row, client, url):
        self.row = row
        self.client = client
        self.url = url

    @cached_property
    def name(self):
        return self.client.display_name

    @cached_property
    def has_phone(self):
        return has_number(self.client.phone)

    @cached_property
    def phone_national(self):
        return format_phone(self.client.phone) if self.has_phone else ""

    @cached_property
    def tel_url(self):
        return links.tel_url(self.client)

    @cached_property
    def sms_url(self):
        return links.sms_url(self.client)

    @cached_property
    def whatsapp_url(self):
        return links.whatsapp_url(self.client)

    @cached_property
    def mail_url(self):
        return links.mail_url(self.client)

    # The links' labels: the same sentences as {% blocktranslate %} would look up.
    @cached_property
    def call_label(self):
        return gettext("Call %(name)s") % {"name": self.name}

    @cached_property
    def text_label(self):
        return gettext("Text %(name)s") % {"name": self.name}

    @cached_property
    def whatsapp_label(self):
        return gettext("WhatsApp %(name)s") % {"name": self.name}

    @cached_property
    def mail_label(self):
        return gettext("E-mail %(name)s") % {"name": self.name}

    @cached_property
    def last_visit_line(self):
        """To book again: when she last came and how often she comes."""
        days = self.row.interval_days
        return ngettext(
            "Last visit %(date)s · comes every %(days)s day",
            "Last visit %(date)s · comes every %(days)s days",
            days,
        ) % {"date": _full_date(self.row.last_visit), "days": _number(days)}

    @cached_property
    def late_line(self):
        days = self.row.overdue_days
        return ngettext("%(days)s day late", "%(days)s days late", days) % {
            "days": _number(days)
        }

    @cached_property
    def lapsed_line(self):
        return gettext("Last visit %(date)s") % {"date": _full_date(self.client.last_visit)}


def client_rows(rows):
    """The ClientRow of each of `rows` (clients, or rows with a `.client`)."""
    detail_url = url_for_ids("clients:detail", "client_id")
    made = []
    for row in rows:
        client = getattr(row, "client", None) or row  # as `row.client|default:row`
        made.append(ClientRow(row, client, detail_url(client.pk)))
    return made
