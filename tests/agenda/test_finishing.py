"""What becomes of an appointment: done (a visit), missed, cancelled; and booking again."""

from decimal import Decimal

import pytest
import time_machine
from django_scopes import scopes_disabled

from agenda.models import Appointment
from visits.models import Visit

from .conftest import at, book, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(at(2026, 12, 2, 12, 0), tick=False):
        yield


def test_done_opens_the_visit_form_prefilled_and_links_both(alice_client, zoe, services):
    appointment = book(zoe, at(2026, 12, 2, 9, 0), [services["pose"], services["refill"]])
    with scopes_disabled():
        appointment.services.filter(name="Remplissage").update(price=Decimal("35"))

    form = alice_client.get(f"/agenda/{appointment.pk}/done/").context["form"]

    assert form.client == zoe
    assert form["started_at"].value().replace(tzinfo=None).isoformat() == "2026-12-02T09:00:00"
    assert form["ends_at"].value().isoformat() == "11:30:00"
    assert form[f"service_{services['pose'].pk}"].value() is True
    assert form[f"service_{services['refill'].pk}"].value() is True
    assert form[f"price_{services['refill'].pk}"].value() == Decimal("35")

    data = {
        "started_at": "2026-12-02T09:00",
        "ends_at": "11:30",
        "payment_method": "cash",
        "paid": "on",
        f"service_{services['pose'].pk}": "on",
        f"price_{services['pose'].pk}": "55.00",
        f"service_{services['refill'].pk}": "on",
        f"price_{services['refill'].pk}": "35.00",
    }
    response = alice_client.post(f"/agenda/{appointment.pk}/done/", data)

    with scopes_disabled():
        appointment.refresh_from_db()
        visit = Visit.objects.get()
    assert response["Location"] == f"/visits/{visit.pk}/saved/"  # the after-save screen
    assert appointment.status == "done"
    assert appointment.visit == visit
    assert visit.total == Decimal("90.00")
    assert visit.duration == 150
    # Done twice leads to the visit, never to a second one.
    again = alice_client.get(f"/agenda/{appointment.pk}/done/")
    assert again["Location"] == visit.get_absolute_url()


def test_a_no_show_is_recorded_counted_on_her_card_and_kept_in_her_history(
    alice_client, zoe, services
):
    missed = book(zoe, at(2026, 12, 2, 9, 0), [services["pose"]])
    cancelled = book(zoe, at(2026, 12, 5, 9, 0), [services["refill"]])

    response = alice_client.post(f"/agenda/{missed.pk}/no-show/")
    assert response["Location"] == "/agenda/?date=2026-12-02"
    assert alice_client.get(f"/agenda/{cancelled.pk}/cancel/").status_code == 200
    alice_client.post(f"/agenda/{cancelled.pk}/cancel/", {"cancelled_by": "client"})

    with scopes_disabled():
        missed.refresh_from_db()
        cancelled.refresh_from_db()
    assert missed.status == "no_show"
    assert (cancelled.status, cancelled.cancelled_by) == ("cancelled", "client")
    assert cancelled.cancelled_at == at(2026, 12, 2, 12, 0)

    card = alice_client.get(f"/clients/{zoe.pk}/")
    assert card.context["appointment_counts"] == {"no_shows": 1, "cancelled_by_her": 1}
    assert card.context["missed_appointments"] == [cancelled, missed]
    page = card.content.decode()
    assert f'href="/agenda/{missed.pk}/"' in page and f'href="/agenda/{cancelled.pk}/"' in page
    # A closed appointment stays closed.
    alice_client.post(f"/agenda/{missed.pk}/cancel/", {"cancelled_by": "technician"})
    with scopes_disabled():
        missed.refresh_from_db()
    assert missed.status == "no_show"


def test_cancelling_without_saying_who_asks_again(alice_client, zoe, services):
    appointment = book(zoe, at(2026, 12, 5, 9, 0), [services["pose"]])
    response = alice_client.post(f"/agenda/{appointment.pk}/cancel/", {"cancelled_by": "nobody"})
    assert response.status_code == 200
    assert response.context["form"].errors["cancelled_by"]
    with scopes_disabled():
        assert Appointment.objects.get().status == "planned"


def test_the_client_card_lists_her_coming_appointments(alice_client, zoe, services):
    book(zoe, at(2026, 12, 9, 14, 0), [services["refill"]])
    book(zoe, at(2026, 11, 1, 14, 0), [services["refill"]], status="done")
    card = alice_client.get(f"/clients/{zoe.pk}/")
    assert [a.start for a in card.context["upcoming_appointments"]] == [at(2026, 12, 9, 14, 0)]


def test_book_again_proposes_the_same_services_as_many_weeks_later_as_they_ask(
    alice_client, zoe, services
):
    with scopes_disabled():
        visit = Visit.objects.create(
            account=zoe.account, client=zoe, started_at=at(2026, 11, 25, 10, 0), total=40
        )
        visit.services.create(
            account=zoe.account, service=services["refill"], name="Remplissage", price=38
        )
    page = alice_client.get(visit.get_absolute_url()).content.decode()
    assert f"/agenda/again/{visit.pk}/" in page

    form = alice_client.get(f"/agenda/again/{visit.pk}/").context["form"]

    assert form["start"].value().isoformat() == "2026-12-16T10:00:00"  # refill: 3 weeks
    assert form["client"].value() == zoe.pk
    assert form[f"service_{services['refill'].pk}"].value() is True
    assert form[f"price_{services['refill'].pk}"].value() == Decimal("38.00")
    assert form[f"service_{services['pose'].pk}"].value() is False


def test_book_again_across_the_change_to_summer_time_keeps_the_hour(alice_client, zoe, services):
    """Three weeks after 10:00 on 14 March 2027 is 10:00 on 4 April, summer time or not."""
    with scopes_disabled():
        visit = Visit.objects.create(
            account=zoe.account, client=zoe, started_at=at(2027, 3, 14, 10, 0), total=40
        )
        visit.services.create(
            account=zoe.account, service=services["refill"], name="Remplissage", price=40
        )
    form = alice_client.get(f"/agenda/again/{visit.pk}/").context["form"]
    assert form["start"].value().isoformat() == "2027-04-04T10:00:00"

    response = alice_client.post(
        f"/agenda/again/{visit.pk}/", form_data(zoe, [services["refill"]], "2027-04-04T10:00")
    )
    assert response.status_code == 302
    with scopes_disabled():
        appointment = Appointment.objects.get()
    assert appointment.start == at(2027, 4, 4, 10, 0)
    assert appointment.start.utcoffset is not None
    assert appointment.start.astimezone(at(2027, 1, 1).tzinfo).hour == 10
