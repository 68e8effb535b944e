import datetime

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from catalog.forms import LONGEST_LINE, ServiceLinesMixin, service_lines_of
from clients.models import Client
from clients.widgets import use_picker
from nailpro.clock import duration_until
from nailpro.dates import weekday_day_month
from nailpro.forms import AccountFormMixin, CleanTextMixin
from nailpro.inputs import DateInput, DateTimeInput

from .models import Appointment


class AppointmentForm(ServiceLinesMixin, AccountFormMixin, forms.ModelForm):
    """An appointment: her, when, where, the services (catalog duration and price, editable);
    a clash with another appointment, or too little time to drive between them, is shown and
    saved only once confirmed."""

    with_durations = True

    ends_at = forms.TimeField(
        label=_("End time"),
        required=False,
        help_text=_("Left empty: the services' durations added up."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    confirm_clash = forms.BooleanField(label=_("Book it anyway"), required=False)

    class Meta:
        model = Appointment
        fields = ["client", "start", "place", "other_address", "notes"]
        widgets = {
            "start": DateTimeInput(),
            "place": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"client": SafeModelChoiceField}

    def __init__(self, *args, services=None, **kwargs):
        """`services` proposes lines ({service id: line}) for a new appointment."""
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(account=self.account)
        use_picker(self, "client")
        self.fields["start"].label = _("Date and time")
        if not self.account.address:
            self.fields["place"].help_text = _("Add your place in your account settings.")
        editing = not self.instance._state.adding
        if editing:
            self.fields["client"].disabled = True
            self.fields["ends_at"].initial = timezone.localtime(self.instance.end).time()
        self.add_service_rows(service_lines_of(self.instance) if editing else services or {})
        self.clashes = []

    def clean(self):
        cleaned = super().clean()
        self.clean_service_lines(cleaned)
        return cleaned

    def clean_start(self):
        return within_calendar(self.cleaned_data["start"])

    def _post_clean(self):
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("ends_at")
        durations = [line.duration for line in self.service_lines]
        if start and end:
            try:
                self.instance.duration = duration_until(start, end)
            except forms.ValidationError as error:
                self.add_error("ends_at", error)
        elif durations and all(durations):
            self.instance.duration = min(sum(durations), LONGEST_LINE)
        super()._post_clean()
        if not self.errors and self.instance.is_active:
            self.clashes = self.instance.clashes(self.account.travel_buffer_minutes)
            if self.clashes and not self.cleaned_data.get("confirm_clash"):
                self.add_error(None, clash_error(self.clashes[0], self.instance))

    @transaction.atomic
    def save(self):
        appointment = super().save()
        self.save_service_lines(appointment.services)
        return appointment


def clash_error(other, appointment):
    """Name the clashing appointment: an overlap, or too short a drive between the two."""
    start = timezone.localtime(other.start)
    when = f"{weekday_day_month(start)}, {date_format(start, 'H:i')}"
    params = {"client": other.client.display_name, "when": when}
    if other.start < appointment.end and other.end > appointment.start:
        message = _("It overlaps the appointment of %(client)s (%(when)s).")
        code = "overlap"
    else:
        gap = (
            appointment.start - other.end
            if other.start < appointment.start
            else other.start - appointment.end
        )
        params["minutes"] = int(gap / datetime.timedelta(minutes=1))
        params["buffer"] = appointment.account.travel_buffer_minutes
        message = _(
            "Only %(minutes)s min between this one and the appointment of %(client)s "
            "(%(when)s), less than your %(buffer)s min of travel."
        )
        code = "travel_buffer"
    return forms.ValidationError(message, code=code, params=params)


class CancelForm(CleanTextMixin, forms.Form):
    cancelled_by = forms.ChoiceField(
        label=_("Who cancelled?"),
        choices=Appointment.CancelledBy.choices,
        widget=forms.RadioSelect,
        initial=Appointment.CancelledBy.CLIENT,
    )


class DayForm(CleanTextMixin, forms.Form):
    date = forms.DateField(label=_("Go to a date"), required=False, widget=DateInput)

    def clean_date(self):
        return within_calendar(self.cleaned_data["date"])


FIRST_YEAR, LAST_YEAR = 2000, 2100


def within_calendar(moment):
    """Refuse a date the agenda cannot page around (year 1 or 9999 in a typed address)."""
    if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return moment


class ReplyForm(CleanTextMixin, forms.Form):
    """Her answer to a reminder: confirm, or ask to move it (with a message if she wants)."""

    CONFIRM, RESCHEDULE = "confirm", "reschedule"

    action = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (RESCHEDULE, RESCHEDULE)])
    message = forms.CharField(
        label=_("Your message (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the days and times that suit you better."),
    )
