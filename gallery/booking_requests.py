"""Appointment requests sent from her public page by people without an account.

The form is open to anyone: a per-address limit, a honeypot field that people never see, CSRF,
and a cap on the requests waiting per account keep robots from filling her dashboard."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from catalog.models import Service
from nailpro.forms import AccountFormMixin

from .models import BookingRequest

REQUEST_TRIES = 10  # posts per address and window, typos included
REQUEST_WINDOW = datetime.timedelta(hours=1)
MAX_WAITING = 100  # requests waiting on one dashboard
# Handled (booked or dismissed) requests are deleted after this; waiting ones after KEPT_WAITING.
KEPT_HANDLED = datetime.timedelta(days=30)
KEPT_WAITING = datetime.timedelta(days=90)

TOO_MANY_TRIES = _("Too many requests from this connection. Try again in an hour, or call her.")
TOO_MANY_WAITING = _("She cannot take new requests right now. Try again later, or call her.")


def public_services():
    """The services she shows on her public page (inside her account's scope)."""
    return Service.objects.filter(public=True, archived=False).order_by("category", "name")


class BookingRequestForm(AccountFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PhoneNumberField(
        label=_("Your phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": _("Enter a valid phone number, e.g. 06 12 34 56 78.")},
    )
    services = forms.MultipleChoiceField(
        label=_("Services you would like"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    postal_code = forms.CharField(
        label=_("Your postal code"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    preferred_times = forms.CharField(
        label=_("Preferred days and times"),
        max_length=200,
        required=False,
        help_text=_("E.g. Tuesday or Thursday after 6 pm."),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {str(service.pk): service for service in services}
        self.fields["services"].choices = [
            (pk, service.name) for pk, service in self.services.items()
        ]
        if not self.services:
            del self.fields["services"]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def is_bot(self):
        return bool(self.cleaned_data.get("website"))

    def chosen_services(self):
        return [
            {"id": pk, "name": self.services[pk].name}
            for pk in self.cleaned_data.get("services", [])
        ]


def booking_request_create(*, account, form):
    """Store the request for her dashboard, unless too many already wait there."""
    with transaction.atomic():
        waiting = BookingRequest.objects.filter(account=account).waiting()
        if waiting.count() >= MAX_WAITING:
            raise ValidationError(TOO_MANY_WAITING, code="too_many_waiting")
        data = form.cleaned_data
        booking = BookingRequest(
            account=account,
            name=data["name"].strip(),
            phone=data["phone"],
            services=form.chosen_services(),
            postal_code=data["postal_code"].strip(),
            preferred_times=data["preferred_times"].strip(),
            message=data["message"].strip(),
            language=translation.get_language() or "",
        )
        booking.full_clean()
        booking.save()
    return booking


def booking_requests_purge():
    """Delete the requests handled a while ago, and those left waiting too long (a
    maintenance job): they hold a stranger's name and phone."""
    now = timezone.now()
    handled = BookingRequest.objects.exclude(status=BookingRequest.Status.WAITING)
    handled.filter(handled_at__lte=now - KEPT_HANDLED).delete()
    BookingRequest.objects.waiting().filter(created_at__lte=now - KEPT_WAITING).delete()
