"""Phone numbers as people read them: nationally in the account's region, else international."""

import contextvars
from contextlib import contextmanager

import phonenumbers
from django.conf import settings

_region = contextvars.ContextVar("phone_region", default=None)


def active_region():
    """The region activated for this request or task; None outside one."""
    return _region.get()


def activate(region):
    """Show numbers for `region` in this request or task (the account's phone region)."""
    _region.set((region or "").upper() or None)


def deactivate():
    _region.set(None)


@contextmanager
def override(region):
    token = _region.set((region or "").upper() or None)
    try:
        yield
    finally:
        _region.reset(token)


def has_number(phone):
    """Whether there is a number: `bool(phone)` without its cost (a PhoneNumber's truth is
    the length of its text, which validates and formats it). A number read from the database
    keeps what was stored as its raw input, so that alone answers."""
    if isinstance(phone, phonenumbers.PhoneNumber) and phone.raw_input:
        return True
    return bool(phone)


def format_phone(phone, region=None):
    """Return "06 12 34 56 78" for a number of the region, "+44 7700 900123" for another, ""
    for none. `region`: the active one (the account's) by default; with none, every number is
    written as dialled in its own country."""
    if not has_number(phone):
        return ""
    region = region or active_region()
    number = phone
    if not isinstance(number, phonenumbers.PhoneNumber):
        try:
            number = phonenumbers.parse(str(phone), region or settings.PHONENUMBER_DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            return str(phone)
    if region is None or phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
