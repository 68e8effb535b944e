"""Money shown to a person: the amount in the account's currency, formatted by the locale."""

from decimal import Decimal, InvalidOperation

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
    locale = to_locale(language or get_language() or "fr")
    try:
        return format_currency(value, currency or "EUR", locale=locale)
    except (ValueError, LookupError):  # an unknown locale or currency: still readable
        return format_currency(value, currency or "EUR", locale="fr")
