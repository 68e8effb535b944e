import datetime

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from catalog.models import Service
from clients.models import Client
from nailpro.clock import minutes_between
from nailpro.forms import AccountFormMixin
from nailpro.inputs import DateInput, DateTimeInput

from .models import Appointment, AppointmentService


class AppointmentForm(AccountFormMixin, forms.ModelForm):
    """An appointment: her, when, where, the services (catalog duration and price, editable);
    a clash with another appointment, or too little time to drive between them, is shown and
    saved only once confirmed."""

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
        """`services` proposes lines ({service: (duration, price)}) for a new appointment."""
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(account=self.account).only(
            "first_name", "last_name", "blacklisted", "search_name"
        )
        self.fields["client"].label_from_instance = client_label
        self.fields["start"].label = _("Date and time")
        if not self.account.address:
            self.fields["place"].help_text = _("Add your place in your account settings.")
        editing = not self.instance._state.adding
        if editing:
            self.fields["client"].disabled = True
            self.fields["ends_at"].initial = timezone.localtime(self.instance.end).time()
            proposed = {
                line.service_id: (line.duration, line.price)
                for line in self.instance.services.all()
            }
        else:
            proposed = services or {}
        catalog = Service.objects.filter(account=self.account).filter(
            Q(archived=False) | Q(pk__in=[pk for pk in proposed if pk])
        )
        self.service_rows = []
        for service in catalog:
            line = proposed.get(service.pk)
            chosen, duration, price = (
                f"service_{service.pk}",
                f"duration_{service.pk}",
                f"price_{service.pk}",
            )
            self.fields[chosen] = forms.BooleanField(
                label=service.name, required=False, initial=line is not None
            )
            self.fields[duration] = forms.IntegerField(
                label=_("Duration of %(service)s (minutes)") % {"service": service.name},
                required=False,
                min_value=5,
                max_value=16 * 60,
                initial=line[0] if line else service.duration,
                widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
            )
            self.fields[price] = forms.DecimalField(
                label=_("Price of %(service)s") % {"service": service.name},
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=2,
                initial=line[1] if line else service.price,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            self.service_rows.append((service, self[chosen], self[duration], self[price]))
        self.clashes = []
        self.chosen = []

    def clean(self):
        cleaned = super().clean()
        for key in self.data:
            prefix, _sep, _rest = key.partition("_")
            if prefix in ("service", "duration", "price") and key not in self.fields:
                raise forms.ValidationError(
                    _("This service is not in your catalog."), code="unknown_item"
                )
        for service, *_fields in self.service_rows:
            if not cleaned.get(f"service_{service.pk}"):
                continue
            duration = cleaned.get(f"duration_{service.pk}")
            price = cleaned.get(f"price_{service.pk}")
            if duration is None and f"duration_{service.pk}" not in self.errors:
                self.add_error(f"duration_{service.pk}", _("Give the duration of this service."))
            if price is None and f"price_{service.pk}" not in self.errors:
                self.add_error(f"price_{service.pk}", _("Give the price of this service."))
            self.chosen.append((service, duration, price))
        if not self.chosen:
            self.add_error(
                None, forms.ValidationError(_("Choose at least one service."), code="no_service")
            )
        return cleaned

    def clean_start(self):
        return within_calendar(self.cleaned_data["start"])

    def _post_clean(self):
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("ends_at")
        if start and end:
            local_start = timezone.localtime(start)
            end_at = timezone.make_aware(datetime.datetime.combine(local_start.date(), end))
            if end_at <= local_start:
                self.add_error(
                    "ends_at",
                    forms.ValidationError(
                        _("The end comes before the start."), code="end_before_start"
                    ),
                )
            else:
                self.instance.duration = minutes_between(local_start, end_at)
        elif self.chosen and all(duration for _s, duration, _p in self.chosen):
            self.instance.duration = min(sum(d for _s, d, _p in self.chosen), 16 * 60)
        super()._post_clean()
        if not self.errors and self.instance.is_active:
            self.clashes = self.instance.clashes(self.account.travel_buffer_minutes)
            if self.clashes and not self.cleaned_data.get("confirm_clash"):
                self.add_error(None, clash_error(self.clashes[0], self.instance))

    @transaction.atomic
    def save(self):
        appointment = super().save()
        appointment.services.all().delete()
        AppointmentService.objects.bulk_create(
            AppointmentService(
                account=appointment.account,
                appointment=appointment,
                service=service,
                name=service.name,
                duration=duration,
                price=price,
                position=position,
            )
            for position, (service, duration, price) in enumerate(self.chosen)
        )
        return appointment


def client_label(client):
    if client.blacklisted:
        return _("%(name)s (blacklisted)") % {"name": client.display_name}
    return client.display_name


def clash_error(other, appointment):
    """Name the clashing appointment: an overlap, or too short a drive between the two."""
    when = date_format(timezone.localtime(other.start), "l j F, H:i")
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


class CancelForm(forms.Form):
    cancelled_by = forms.ChoiceField(
        label=_("Who cancelled?"),
        choices=Appointment.CancelledBy.choices,
        widget=forms.RadioSelect,
        initial=Appointment.CancelledBy.CLIENT,
    )


class DayForm(forms.Form):
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
