"""The appointment services: what each does to the database, and the codes of what they refuse."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from agenda.models import Appointment
from agenda.services import (
    appointment_cancel,
    appointment_confirm,
    appointment_finish,
    appointment_no_show,
    appointment_reschedule,
)
from tests.agenda.conftest import at, book
from visits.models import Visit

pytestmark = pytest.mark.django_db

Status = Appointment.Status


def status_of(appointment):
    with scopes_disabled():
        return Appointment.objects.get(pk=appointment.pk).status


def refused_code(action, **kwargs):
    with pytest.raises(ValidationError) as refused, scopes_disabled():
        action(**kwargs)
    return refused.value.code


def test_it_confirms_a_planned_appointment_and_twice_changes_nothing(zoe, services):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])
    with scopes_disabled():
        appointment_confirm(appointment=appointment)
        appointment_confirm(appointment=appointment)
    assert status_of(appointment) == Status.CONFIRMED


@pytest.mark.parametrize(
    ("status", "code"),
    [(Status.DONE, "already_done"), (Status.CANCELLED, "cancelled"), (Status.NO_SHOW, "no_show")],
)
def test_it_refuses_to_change_a_closed_appointment(zoe, services, status, code):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]], status=status)
    for action, kwargs in [
        (appointment_confirm, {}),
        (appointment_no_show, {}),
        (appointment_cancel, {"by": Appointment.CancelledBy.CLIENT}),
        (appointment_reschedule, {"previous_start": at(2026, 12, 1, 10, 0)}),
    ]:
        assert refused_code(action, appointment=appointment, **kwargs) == code
    assert status_of(appointment) == status


@time_machine.travel(at(2026, 12, 2, 10, 0), tick=False)
def test_it_records_a_no_show_from_the_start(zoe, services):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])
    with scopes_disabled():
        appointment_no_show(appointment=appointment)
    assert status_of(appointment) == Status.NO_SHOW


@time_machine.travel(at(2026, 12, 2, 9, 59), tick=False)
def test_it_refuses_a_no_show_before_the_start(zoe, services):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])
    assert refused_code(appointment_no_show, appointment=appointment) == "not_started"
    assert status_of(appointment) == Status.PLANNED


def test_the_day_and_the_appointment_offer_absent_only_once_it_has_started(
    alice_client, zoe, services
):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])
    no_show_url = f"/agenda/{appointment.pk}/no-show/"
    for now, offered in ((at(2026, 12, 2, 9, 30), False), (at(2026, 12, 2, 10, 5), True)):
        with time_machine.travel(now, tick=False):
            day = alice_client.get("/agenda/?date=2026-12-02").content.decode()
            detail = alice_client.get(f"/agenda/{appointment.pk}/").content.decode()
        assert (no_show_url in day, no_show_url in detail) == (offered, offered)

    with time_machine.travel(at(2026, 12, 2, 9, 30), tick=False):
        response = alice_client.post(no_show_url)
    assert response.status_code == 302
    assert status_of(appointment) == Status.PLANNED


@time_machine.travel(at(2026, 12, 1, 12, 0), tick=False)
def test_it_cancels_saying_who_and_when(zoe, services):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])
    with scopes_disabled():
        appointment_cancel(appointment=appointment, by=Appointment.CancelledBy.TECHNICIAN)
        saved = Appointment.objects.get(pk=appointment.pk)
    assert (saved.status, saved.cancelled_by) == (Status.CANCELLED, "technician")
    assert saved.cancelled_at == at(2026, 12, 1, 12, 0)


def test_it_refuses_to_cancel_without_saying_who(zoe, services):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])
    code = refused_code(appointment_cancel, appointment=appointment, by="nobody")
    assert code == "invalid_cancelled_by"
    assert status_of(appointment) == Status.PLANNED


def visit_of(client):
    with scopes_disabled():
        return Visit.objects.create(account=client.account, client=client, total=55)


def test_it_finishes_an_appointment_with_its_visit(zoe, services):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])
    visit = visit_of(zoe)
    with scopes_disabled():
        appointment_finish(appointment=appointment, visit=visit)
        saved = Appointment.objects.get(pk=appointment.pk)
    assert (saved.status, saved.visit_id) == (Status.DONE, visit.pk)


def test_it_refuses_to_finish_with_another_clients_visit(zoe, lina, services):
    appointment = book(zoe, at(2026, 12, 2, 10, 0), [services["pose"]])
    code = refused_code(appointment_finish, appointment=appointment, visit=visit_of(lina))
    assert code == "other_client"
    with scopes_disabled():
        saved = Appointment.objects.get(pk=appointment.pk)
    assert (saved.status, saved.visit_id) == (Status.PLANNED, None)


@time_machine.travel(at(2026, 11, 25, 12, 0), tick=False)
def test_rescheduling_sends_the_reminder_again(zoe, services):
    appointment = book(
        zoe, at(2026, 12, 2, 10, 0), [services["pose"]], reminder_sent_at=at(2026, 11, 25, 9, 0)
    )
    with scopes_disabled():
        appointment_reschedule(appointment=appointment, previous_start=at(2026, 12, 2, 10, 0))
        assert Appointment.objects.get(pk=appointment.pk).reminder_sent_at is not None
        appointment.start = at(2026, 12, 3, 10, 0)
        appointment.save()
        appointment_reschedule(appointment=appointment, previous_start=at(2026, 12, 2, 10, 0))
        assert Appointment.objects.get(pk=appointment.pk).reminder_sent_at is None


def test_the_missed_counts_come_from_the_statuses(zoe, services):
    for day, fields in [
        (1, {"status": Status.NO_SHOW}),
        (2, {"status": Status.CANCELLED, "cancelled_by": "client"}),
        (3, {"status": Status.CANCELLED, "cancelled_by": "technician"}),
    ]:
        book(zoe, at(2026, 12, day, 10, 0), [services["pose"]], **fields)
    book(zoe, at(2026, 12, 4, 10, 0), [services["pose"]])
    with scopes_disabled():
        assert zoe.appointments.missed_counts() == {"no_shows": 1, "cancelled_by_her": 1}
        assert zoe.appointments.open().count() == 1
        assert zoe.appointments.inactive().count() == 3
