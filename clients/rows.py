"""The rows of every list of clients (templates/clients/client_rows.html): what a row shows,
worked out once per row in Python instead of by template tags repeated on every row (a phone
number formatted ten times, a translation looked up for every link).

A row is a dict: the template reads `row.url` from it in one lookup (on an object, Django's
template engine first tries the key, fails, then the attribute)."""

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from nailpro import dates, links
from nailpro.phones import format_phone, has_number


def _number(value):
    """A count of days as a template shows it; without thousands separators, its digits (what
    localize() gives, at a fraction of its cost: it looks up three formats per number)."""
    return formats.localize(value) if settings.USE_THOUSAND_SEPARATOR else str(value)


def _full_date(value):
    """As {{ value|full_date }}: in her time zone."""
    return dates.full_date(timezone.template_localtime(value)) if value else ""


def _row(client, url):
    """What every row shows: the link to her card, her initials and her name."""
    return {"client": client, "url": url, "initials": client.initials, "name": client.display_name}


def _contacts(row, client, *, phone_links=True):
    """Her phone links and e-mail link, each with its label for screen readers."""
    name = {"name": row["name"]}
    row["has_phone"] = has_number(client.phone)
    if row["has_phone"]:
        row["whatsapp_url"] = links.whatsapp_url(client)
        row["whatsapp_label"] = gettext("WhatsApp %(name)s") % name
        if phone_links:
            row["phone"] = format_phone(client.phone)
            row["tel_url"] = links.tel_url(client)
            row["call_label"] = gettext("Call %(name)s") % name
            row["sms_url"] = links.sms_url(client)
            row["text_label"] = gettext("Text %(name)s") % name
    if phone_links:
        # Always set: a key the template asks for and does not find costs a dir() of the row.
        row["mail_url"] = links.mail_url(client) if client.email else ""
        if client.email:
            row["mail_label"] = gettext("E-mail %(name)s") % name
    return row


def list_row(client, url):
    """The client list: her phone and category, the blacklist and allergy badges, her links."""
    row = _contacts(_row(client, url), client)
    row["category"] = client.category.name if client.category_id else ""
    row["allergies"] = ", ".join(getattr(client, "allergy_names", None) or ())
    row["allergy_marker"] = getattr(client, "allergy_marker", False)
    return row


def rebook_row(item, url):
    """To book again (`item` a business.dashboard.Rebook): her last visit, how late she is."""
    row = _row(item.client, url)
    interval, late = item.interval_days, item.overdue_days
    row["last_visit_line"] = ngettext(
        "Last visit %(date)s · comes every %(days)s day",
        "Last visit %(date)s · comes every %(days)s days",
        interval,
    ) % {"date": _full_date(item.last_visit), "days": _number(interval)}
    row["late_line"] = ngettext("%(days)s day late", "%(days)s days late", late) % {
        "days": _number(late)
    }
    return row


def lapsed_row(client, url):
    """Not seen for a while: her last visit, and WhatsApp to write to her."""
    row = _contacts(_row(client, url), client, phone_links=False)
    row["last_visit_line"] = gettext("Last visit %(date)s") % {
        "date": _full_date(client.last_visit)
    }
    return row


def inactive_row(client, url):
    """Inactive clients: when she was last seen, or added; the link to erase her."""
    row = _row(client, url)
    row["erase_url"] = url + "erase/"
    if client.last_seen:
        row["seen_line"] = gettext("Last seen %(date)s") % {"date": _full_date(client.last_seen)}
    else:
        row["seen_line"] = gettext("Never seen · added %(date)s") % {
            "date": _full_date(client.created_at)
        }
    return row


ROWS = {"rebook": rebook_row, "lapsed": lapsed_row, "inactive": inactive_row}


def client_rows(items, kind=""):
    """The rows of `items` (clients, or to book again rows holding one) for a list `kind`."""
    detail_url = links.page_urls("clients:detail")
    make = ROWS.get(kind, list_row)
    rows = []
    for item in items:
        client = item.client if kind == "rebook" else item
        rows.append(make(item, detail_url(client.pk)))
    return rows
