"""Time as the clock on the wall and as it really passes."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def minutes_between(start, end):
    """Minutes that pass between two aware moments, a change of clocks included."""
    elapsed = end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC)
    return int(elapsed / datetime.timedelta(minutes=1))


def duration_until(start, end_time):
    """Return the minutes from `start` to `end_time` of the same local day, a change of clocks
    included; refuse an end that does not come after the start."""
    local_start = timezone.localtime(start)
    end_at = timezone.make_aware(datetime.datetime.combine(local_start.date(), end_time))
    if end_at <= local_start:
        raise forms.ValidationError(_("The end comes before the start."), code="end_before_start")
    return minutes_between(local_start, end_at)
