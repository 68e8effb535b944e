"""Dates written out in words, as each language writes them (Babel, from CLDR).

Django's own month and weekday names are capitalised in Italian and Russian ("01 Dicembre",
"Вторник"), and it has no "weekday, day and month" format: these come from CLDR instead.
"""

import datetime
import re
from functools import cache

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


def _current():
    return _locale(get_language() or settings.LANGUAGE_CODE)


@cache
def _weekday_pattern(locale):
    """The locale's pattern of a weekday, day and month, the weekday written in full."""
    skeleton = match_skeleton("MMMMEEEEd", locale.datetime_skeletons)
    return re.sub("E+", "EEEE", str(locale.datetime_skeletons[skeleton]))


def _date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def day_month(value):
    """ "1 décembre", "December 1", "1 de diciembre", "1 dicembre", "1 декабря"."""
    locale = _current()
    return format_date(_date(value), str(locale.datetime_skeletons["MMMMd"]), locale=locale)


def full_date(value):
    """ "1 décembre 2026", "December 1, 2026", "1 dicembre 2026", "1 декабря 2026 г."."""
    return format_date(_date(value), "long", locale=_current())


def weekday_day_month(value):
    """ "mardi 1 décembre", "Tuesday, December 1", "вторник, 1 декабря"."""
    locale = _current()
    return format_date(_date(value), _weekday_pattern(locale), locale=locale)


def weekday_full_date(value):
    """ "mardi 1 décembre 2026", "Tuesday, December 1, 2026", "вторник, 1 декабря 2026 г."."""
    return format_date(_date(value), "full", locale=_current())
