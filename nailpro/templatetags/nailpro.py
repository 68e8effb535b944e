"""Template tags shared by every page: icons and the navigation."""

from dataclasses import dataclass

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from nailpro import dates, links
from nailpro.money import format_money
from nailpro.phones import format_phone

register = template.Library()

# Stroke icons drawn on a 24x24 grid; always shown next to a text label.
ICONS = {
    "home": '<path d="M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z"/>',
    "clients": '<circle cx="9" cy="8" r="4"/><path d="M2 21v-1a7 7 0 0 1 14 0v1"/>'
    '<path d="M16 3.5a4 4 0 0 1 0 9M22 21v-1a7 7 0 0 0-4-6.3"/>',
    "agenda": '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>',
    "visits": '<rect x="5" y="4" width="14" height="17" rx="2"/>'
    '<path d="M9 4V3h6v1M9 11h6M9 15h4"/>',
    "gallery": '<rect x="3" y="3" width="18" height="18" rx="2"/><circle cx="9" cy="9" r="2"/>'
    '<path d="m21 15-5-5L5 21"/>',
    "menu": '<path d="M4 6h16M4 12h16M4 18h16"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/>',
    "catalog": '<path d="M21 8 12 3 3 8v8l9 5 9-5z"/><path d="m3 8 9 5 9-5M12 13v8"/>',
    "billing": '<rect x="2" y="5" width="20" height="14" rx="2"/><path d="M2 10h20"/>',
    "account": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "logout": '<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9"/>',
    "globe": '<circle cx="12" cy="12" r="9"/>'
    '<path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "phone": '<path d="M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5'
    'a2 2 0 0 1 2-2z"/>',
    "sms": '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1.1-4.6A8 8 0 1 1 21 12z"/>',
    "whatsapp": '<path d="M3.5 20.5 5 16a8.5 8.5 0 1 1 3.2 3.1z"/>'
    '<path d="M9 9.5c.5 2.5 2.5 4.6 5 5l1.2-1.2 1.8.8-.5 1.6c-3.7.3-7.8-3.6-7.6-7.5L10.5 8'
    'l.8 1.8z"/>',
    "mail": '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="m3 7 9 6 9-6"/>',
    "map": '<path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z"/>'
    '<circle cx="12" cy="9.5" r="2.5"/>',
    "camera": '<path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9'
    'a1 1 0 0 1 1-1z"/><circle cx="12" cy="13.5" r="3.5"/>',
    "edit": '<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13.5 6.5 4 4"/>',
    "trash": '<path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3"/>',
    "gift": '<rect x="3" y="8" width="18" height="4" rx="1"/><path d="M5 12v9h14v-9M12 8v13'
    'M12 8S10.5 3 8 4s0 4 4 4zm0 0s1.5-5 4-4 0 4-4 4z"/>',
    "alert": '<path d="M12 3 2 20h20z"/><path d="M12 10v4M12 17v.5"/>',
}


@register.simple_tag
def icon(name, size=24):
    """Render a decorative inline SVG icon (hidden from screen readers: a label goes with it)."""
    return format_html(
        '<svg class="icon" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true" focusable="false">{}</svg>',
        size,
        size,
        mark_safe(ICONS[name]),  # noqa: S308 - constant markup defined above
    )


@dataclass
class NavItem:
    label: str
    url: str
    icon: str
    current: bool


# (URL name, label, icon). Sections appear once their app defines the URL, so the navigation
# never leads to a missing page while the product grows.
BOTTOM_NAV = [
    ("dashboard", _("Home"), "home"),
    ("clients:list", _("Clients"), "clients"),
    ("agenda:day", _("Agenda"), "agenda"),
    ("visits:list", _("Visits"), "visits"),
    ("gallery:list", _("Gallery"), "gallery"),
]
MENU = [
    ("catalog:index", _("Catalog"), "catalog"),
    ("billing:index", _("Subscription"), "billing"),
    ("account", _("Account"), "account"),
]


def _items(request, entries):
    match = getattr(request, "resolver_match", None)
    current_name = match.view_name if match else ""
    current_namespace = match.namespace if match else ""
    items = []
    for url_name, label, icon_name in entries:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        namespace = url_name.rpartition(":")[0]
        current = url_name == current_name or bool(namespace and namespace == current_namespace)
        items.append(NavItem(label=label, url=url, icon=icon_name, current=current))
    return items


@register.simple_tag(takes_context=True)
def bottom_nav(context):
    return _items(context["request"], BOTTOM_NAV)


@register.simple_tag(takes_context=True)
def menu_items(context):
    return _items(context["request"], MENU)


@register.simple_tag
def url_or_none(url_name):
    """Return the URL of a view, or None while the app that provides it does not exist yet."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


# Links that open another app on her phone, built in one place (nailpro.links):
# {{ client.address|maps_url }}, {{ client|whatsapp_url }}, {{ client|sms_url:text }}…


@register.filter
def maps_url(address):
    return links.maps_url(address)


@register.filter
def waze_url(address):
    return links.waze_url(address)


@register.filter
def mail_url(person):
    return links.mail_url(person)


@register.filter
def tel_url(person):
    return links.tel_url(person)


@register.filter
def whatsapp_url(person, text=""):
    return links.whatsapp_url(person, text)


@register.filter
def sms_url(person, text=""):
    return links.sms_url(person, text)


@register.filter
def money(amount, currency="EUR"):
    """Format an amount as the active language writes it: {{ total|money:account.currency }}."""
    return format_money(amount, currency)


@register.filter(expects_localtime=True)
def long_day(value):
    """ "mardi 1 décembre", "вторник, 1 декабря": the weekday, day and month."""
    return dates.weekday_day_month(value) if value else ""


@register.filter(expects_localtime=True)
def long_date(value):
    """ "mardi 1 décembre 2026": the weekday and the whole date."""
    return dates.weekday_full_date(value) if value else ""


@register.filter(expects_localtime=True)
def day_month(value):
    """ "1 décembre", "December 1", "1 декабря": a day of the year."""
    return dates.day_month(value) if value else ""


@register.filter(expects_localtime=True)
def full_date(value):
    """ "1 décembre 2026", "December 1, 2026", "1 dicembre 2026": a date in words."""
    return dates.full_date(value) if value else ""


@register.filter
def phone(number):
    """A phone number as the account's region reads it: national at home, else international."""
    return format_phone(number)
