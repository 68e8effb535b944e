"""The service picker shared by visits and appointments: one set of fields, codes and saving."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from agenda.forms import AppointmentForm
from agenda.models import AppointmentService
from catalog.models import Service
from tests.agenda.conftest import form_data
from tests.factories import ClientFactory
from visits.forms import VisitForm
from visits.models import VisitService

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(alice, bob):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, street="1 rue", postal_code="69001", city="Lyon")
        pose = Service.objects.create(
            account=alice.account, name="Pose", duration=90, price=Decimal("55")
        )
        bobs = Service.objects.create(account=bob.account, name="Bob's", price=Decimal("9"))
    return zoe, pose, bobs


def visit_form(zoe, data):
    return VisitForm(
        {"started_at": "2026-11-20T10:00", "payment_method": "card", **data}, client=zoe
    )


def appointment_form(zoe, data):
    base = form_data(zoe, [], start="2026-12-02T10:00")
    return AppointmentForm({**base, **data}, account=zoe.account)


def codes(form):
    return {field: [e.code for e in errors] for field, errors in form.errors.as_data().items()}


@pytest.mark.parametrize("make", [visit_form, appointment_form])
def test_the_same_codes_on_visits_and_appointments(setting, make):
    zoe, pose, bobs = setting
    with scopes_disabled():
        assert "no_service" in codes(make(zoe, {"ends_at": "11:30"}))["__all__"]
        missing = codes(make(zoe, {"ends_at": "11:30", f"service_{pose.pk}": "on"}))
        assert missing[f"price_{pose.pk}"] == ["required"]
        foreign = make(zoe, {f"service_{bobs.pk}": "on", f"price_{bobs.pk}": "9"})
        assert codes(foreign)["__all__"] == ["unknown_item"]
        backwards = make(
            zoe,
            {
                "ends_at": "09:00",
                f"service_{pose.pk}": "on",
                f"price_{pose.pk}": "55",
                f"duration_{pose.pk}": "90",
            },
        )
        assert codes(backwards)["ends_at"] == ["end_before_start"]


def test_an_appointment_line_needs_its_duration(setting):
    zoe, pose, _bobs = setting
    with scopes_disabled():
        form = appointment_form(zoe, {f"service_{pose.pk}": "on", f"price_{pose.pk}": "55"})
        assert codes(form)[f"duration_{pose.pk}"] == ["required"]


def test_the_lines_are_saved_with_their_agreed_price_and_duration(setting):
    zoe, pose, _bobs = setting
    with scopes_disabled():
        line = {f"service_{pose.pk}": "on", f"price_{pose.pk}": "50", f"duration_{pose.pk}": "80"}
        appointment = appointment_form(zoe, line)
        assert appointment.is_valid(), appointment.errors
        saved = appointment.save()
        visit = visit_form(zoe, {"ends_at": "11:30", **line})
        assert visit.is_valid(), visit.errors
        done = visit.save()
        assert list(
            AppointmentService.objects.values_list("appointment", "name", "price", "duration")
        ) == [(saved.pk, "Pose", Decimal("50"), 80)]
        assert saved.duration == 80  # no end time given: the lines' durations added up
        assert list(VisitService.objects.values_list("visit", "name", "price")) == [
            (done.pk, "Pose", Decimal("50"))
        ]
        assert done.duration == 90 and done.total == Decimal("50")
