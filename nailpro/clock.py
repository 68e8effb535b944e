"""Time as the clock on the wall and as it really passes."""

import datetime


def minutes_between(start, end):
    """Minutes that pass between two aware moments, a change of clocks included."""
    elapsed = end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC)
    return int(elapsed / datetime.timedelta(minutes=1))
