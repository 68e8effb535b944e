"""Money shown to a person: the amount in the account's currency, formatted by the locale."""

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency
from django.utils.translation import get_language, to_locale


def format_money(amount, currency="EUR", *, language=None):
    """Return the amount as the language writes it ("16 969,00 €", "€16,969.00"); "" for none."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return ""
    if not value.is_finite():  # not an amount (and a signalling NaN cannot be a cache key)
        return ""
    return _written(value, currency or "EUR", to_locale(language or get_language() or "fr"))


# A page writes the same few amounts many times (its rows): each is written once per currency
# and language, then remembered. Equal amounts (45 and 45.00) are written alike.
@lru_cache(maxsize=4096)
def _written(value, currency, locale):
    try:
        return format_currency(value, currency, locale=locale)
    except (ValueError, LookupError):  # an unknown locale or currency: still readable
        return format_currency(value, currency, locale="fr")
