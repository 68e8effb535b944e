"""Dates written out in words, as each language writes them (Babel, from CLDR).

Django's own month and weekday names are capitalised in Italian and Russian ("01 Dicembre",
"Вторник"), and it has no "weekday, day and month" format: these come from CLDR instead.
"""

import datetime
import re
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, match_skeleton
from django.conf import settings
from django.utils.translation import get_language, to_locale


@cache
def _locale(language):
    try:
        return Locale.parse(to_locale(language))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(to_locale(settings.LANGUAGE_CODE))


@cache
def _weekday_pattern(locale):
    """The locale's pattern of a weekday, day and month, the weekday written in full."""
    skeleton = match_skeleton("MMMMEEEEd", locale.datetime_skeletons)
    return re.sub("E+", "EEEE", str(locale.datetime_skeletons[skeleton]))


def _date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


# A page writes the same few days many times (a list's rows): each day is written once per
# language and pattern, then remembered.
@lru_cache(maxsize=4096)
def _written(day, pattern, language):
    locale = _locale(language)
    if pattern == "weekday":
        pattern = _weekday_pattern(locale)
    elif pattern == "MMMMd":
        pattern = str(locale.datetime_skeletons["MMMMd"])
    return format_date(day, pattern, locale=locale)


def _write(value, pattern):
    return _written(_date(value), pattern, get_language() or settings.LANGUAGE_CODE)


def day_month(value):
    """ "1 décembre", "December 1", "1 de diciembre", "1 dicembre", "1 декабря"."""
    return _write(value, "MMMMd")


def full_date(value):
    """ "1 décembre 2026", "December 1, 2026", "1 dicembre 2026", "1 декабря 2026 г."."""
    return _write(value, "long")


def weekday_day_month(value):
    """ "mardi 1 décembre", "Tuesday, December 1", "вторник, 1 декабря"."""
    return _write(value, "weekday")


def weekday_full_date(value):
    """ "mardi 1 décembre 2026", "Tuesday, December 1, 2026", "вторник, 1 декабря 2026 г."."""
    return _write(value, "full")
