"""Template tags shared by every page: icons and the navigation."""

import functools
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from nailpro import dates, links
from nailpro.icons import ICONS, sprite_url
from nailpro.money import format_money
from nailpro.phones import format_phone

register = template.Library()


@register.simple_tag
def icon(name, size=24):
    """Render a decorative icon from the sprite (hidden from screen readers: a label goes next)."""
    return _icon_markup(name, size, sprite_url())


@functools.cache
def _icon_markup(name, size, url):
    # A page repeats the same few icons a hundred times: each markup is built once.
    if name not in ICONS:
        raise KeyError(name)
    return format_html(
        '<svg class="icon" width="{}" height="{}" aria-hidden="true" focusable="false">'
        '<use href="{}#{}"/></svg>',
        size,
        size,
        url,
        name,
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


@functools.cache
def _reverse(url_name, urlconf, prefix, language):
    """The URL of a view without arguments, or None: reversed once per URLconf, script prefix
    and language (what a URL depends on), not on every page for every item."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _items(request, entries):
    match = getattr(request, "resolver_match", None)
    current_name = match.view_name if match else ""
    current_namespace = match.namespace if match else ""
    key = (get_urlconf(), get_script_prefix(), get_language())
    items = []
    for url_name, label, icon_name in entries:
        url = _reverse(url_name, *key)
        if url is None:
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
    return _reverse(url_name, get_urlconf(), get_script_prefix(), get_language())


@register.simple_tag
def language_choices():
    """[(code, name)]: each language of the site named in itself ("Français", "Русский")."""
    return _language_choices()


@functools.cache
def _language_choices():
    return [
        (code, capfirst(get_language_info(code)["name_local"])) for code, _ in settings.LANGUAGES
    ]


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
