"""The hand chart drawing: where each of the ten nails sits, and what state it is in."""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from .models import NailState

Finger = NailState.Finger

# Seen from above, back of the hands, as the technician faces her work: on each hand the
# fingers run left to right. x is the finger's centre, top its tip, in a 300×190 drawing.
LAYOUT = {
    "left": [
        (Finger.LEFT_LITTLE, 40, 62),
        (Finger.LEFT_RING, 95, 28),
        (Finger.LEFT_MIDDLE, 150, 14),
        (Finger.LEFT_INDEX, 205, 30),
        (Finger.LEFT_THUMB, 262, 92),
    ],
    "right": [
        (Finger.RIGHT_THUMB, 38, 92),
        (Finger.RIGHT_INDEX, 95, 30),
        (Finger.RIGHT_MIDDLE, 150, 14),
        (Finger.RIGHT_RING, 205, 28),
        (Finger.RIGHT_LITTLE, 260, 62),
    ],
}
FINGER_WIDTH = 46


@dataclass
class ChartNail:
    finger: str
    label: str
    state: NailState | None
    x: int
    top: int
    consent: bool = False  # her health consent: a medical condition is shown only under it
    url: str = ""  # her nail form for this finger

    @cached_property
    def condition(self):
        if not self.state:
            return ""
        return NailState.shown_condition(self.state.condition, consent=self.consent)

    # The drawing's coordinates, as the SVG attributes write them (text: a template would
    # format each number for the active language first).
    @property
    def finger_x(self):
        return str(self.x - FINGER_WIDTH // 2)

    @property
    def finger_y(self):
        return str(self.top)

    @property
    def nail_x(self):
        return str(self.x - 14)

    @property
    def nail_y(self):
        return str(self.top + 6)

    @property
    def finger_height(self):
        return str(150 - self.top)

    @cached_property
    def summary(self):
        if not self.state or self.state.is_blank:
            return _("not noted")
        conditions = dict(NailState.Condition.choices)
        parts = [conditions.get(self.condition, ""), self.state.get_length_display()]
        return ", ".join(str(part) for part in parts if part) or self.state.remarks

    @cached_property
    def aria_label(self):
        """ "Left thumb: onycholysis, short", read out on the drawing's link."""
        return _("%(nail)s: %(state)s") % {"nail": self.label, "state": self.summary}

    @property
    def noted(self):
        return bool(self.state) and not self.state.is_blank


def hand_chart(nails, *, consent=False, url=""):
    """Return the two hands with the state of each nail, from her NailState rows `nails`;
    `consent` is her current health consent, `url` her nail form (each nail's link adds its
    finger)."""
    states = {nail.finger: nail for nail in nails}
    labels = dict(Finger.choices)
    return {
        hand: [
            ChartNail(
                finger,
                labels[finger],
                states.get(finger),
                x,
                top,
                consent,
                f"{url}?finger={finger}",
            )
            for finger, x, top in fingers
        ]
        for hand, fingers in LAYOUT.items()
    }


def chart_legend(chart):
    """Return (condition, readable label) for each condition drawn on the chart, in choice order."""
    drawn = {nail.condition for nails in chart.values() for nail in nails if nail.condition}
    return [(value, label) for value, label in NailState.Condition.choices if value in drawn]
