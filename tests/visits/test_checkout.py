"""The visit checkout on one screen: defaults, the product picker, the confirmation that
survives other errors, the after-save screen and its one-tap rebooking."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from agenda.models import Appointment
from clients.models import NailState
from nailpro.money import format_money
from tests.errors import error_codes
from tests.factories import VisitFactory
from tests.visits.conftest import visit_data
from visits.models import Visit, VisitService

pytestmark = pytest.mark.django_db


def test_the_end_time_left_empty_is_the_services_durations_added_up(alice_client, zoe, catalog):
    data = visit_data(
        catalog,
        ends_at="",
        **{f"service_{catalog['nail_art'].pk}": "on", f"price_{catalog['nail_art'].pk}": "3"},
    )
    response = alice_client.post(f"/visits/new/{zoe.pk}/", data)

    assert response.status_code == 302
    with scopes_disabled():
        visit = Visit.objects.get()
    assert visit.duration == 90 + 10
    assert response["Location"] == f"/visits/{visit.pk}/saved/"


def test_the_new_visit_starts_now_and_needs_nothing_else_but_a_service(alice_client, zoe, catalog):
    page = alice_client.get(f"/visits/new/{zoe.pk}/")
    form = page.context["form"]
    start = form["started_at"].value()  # in her time zone
    now = timezone.localtime().replace(tzinfo=None)
    assert abs(now - start.replace(tzinfo=None)) < datetime.timedelta(minutes=2)
    assert [name for name, field in form.fields.items() if field.required] == [
        "started_at",
        "payment_method",
    ]


def test_same_as_last_time_ticks_her_last_services(alice_client, zoe, catalog):
    with scopes_disabled():
        last = VisitFactory(client=zoe, total=Decimal("58"))
        for position, service in enumerate([catalog["pose"], catalog["nail_art"]]):
            VisitService.objects.create(
                account=zoe.account,
                visit=last,
                service=service,
                name=service.name,
                price=Decimal("29"),
                position=position,
            )
    page = alice_client.get(f"/visits/new/{zoe.pk}/")
    assert page.context["last_service_ids"] == [catalog["pose"].pk, catalog["nail_art"].pk]

    same = alice_client.get(f"/visits/new/{zoe.pk}/?same=1").context["form"]
    assert same[f"service_{catalog['pose'].pk}"].value() is True
    assert same[f"service_{catalog['nail_art'].pk}"].value() is True
    assert same[f"price_{catalog['pose'].pk}"].value() == Decimal("29")


def test_the_product_search_flags_only_the_products_with_her_allergens(
    alice_client, allergic_zoe, catalog
):
    found = alice_client.get(f"/visits/new/{allergic_zoe.pk}/products/", {"q": "o"}).context[
        "found"
    ]
    flagged = {row.product: [allergen.code for allergen in row.shared] for row in found}
    assert flagged == {catalog["gel"]: ["hema"], catalog["top"]: []}

    only_top = alice_client.get(f"/visits/new/{allergic_zoe.pk}/products/", {"q": "lumi top"})
    assert [row.product for row in only_top.context["found"]] == [catalog["top"]]
    assert "conflict" not in only_top.content.decode()
    nothing = alice_client.get(f"/visits/new/{allergic_zoe.pk}/products/", {"q": ""})
    assert nothing.context["found"] == []


def test_the_product_search_is_scoped(alice_client, bob, client, zoe, catalog):
    client.force_login(bob)
    assert client.get(f"/visits/new/{zoe.pk}/products/", {"q": "gel"}).status_code == 404
    assert alice_client.post(f"/visits/new/{zoe.pk}/products/").status_code == 405


def test_without_javascript_the_search_button_finds_products_and_keeps_what_was_typed(
    alice_client, zoe, catalog
):
    data = visit_data(catalog, technique_notes="Mix corail", q="builder", find="1")
    response = alice_client.post(f"/visits/new/{zoe.pk}/", data)

    assert response.status_code == 200
    assert [row.product for row in response.context["found"]] == [catalog["gel"]]
    assert response.context["form"]["technique_notes"].value() == "Mix corail"
    with scopes_disabled():
        assert not Visit.objects.exists()


def test_the_allergy_confirmation_survives_another_error(alice_client, allergic_zoe, catalog):
    gel = catalog["gel"].pk
    data = visit_data(
        catalog, ends_at="09:00", confirm_allergy="on", **{f"product_{gel}": "on"}
    )  # ends before it starts
    response = alice_client.post(f"/visits/new/{allergic_zoe.pk}/", data)

    assert error_codes(response, "ends_at") == ["end_before_start"]
    assert error_codes(response) == []  # confirmed: no allergy error on top
    form = response.context["form"]
    assert form["confirm_allergy"].value() is True
    assert [row.product for row in form.chosen_rows] == [catalog["gel"]]
    assert 'name="confirm_allergy" value="on" checked' in response.content.decode()

    data["ends_at"] = ""
    saved = alice_client.post(f"/visits/new/{allergic_zoe.pk}/", data)
    assert saved.status_code == 302
    with scopes_disabled():
        assert Visit.objects.get().allergy_confirmed is True


def test_the_after_save_screen_proposes_the_services_cadence(alice_client, zoe, catalog):
    with scopes_disabled():
        catalog["pose"].rebook_after_weeks = 3
        catalog["pose"].save()
    alice_client.post(f"/visits/new/{zoe.pk}/", visit_data(catalog))
    with scopes_disabled():
        visit = Visit.objects.get()
    page = alice_client.get(f"/visits/{visit.pk}/saved/")

    assert page.status_code == 200
    assert page.context["weeks"] == 3
    local = timezone.localtime(visit.started_at)
    assert timezone.localtime(page.context["proposed"]) == local + datetime.timedelta(weeks=3)


def test_without_a_cadence_the_account_s_usual_gap_is_proposed(alice, alice_client, zoe, catalog):
    alice.account.rebook_after_weeks = 6
    alice.account.save()
    alice_client.post(f"/visits/new/{zoe.pk}/", visit_data(catalog))
    with scopes_disabled():
        visit = Visit.objects.get()
    assert alice_client.get(f"/visits/{visit.pk}/saved/").context["weeks"] == 6


def at_home(client):
    client.street, client.postal_code, client.city = "12 rue des Lilas", "69003", "Lyon"
    client.save()


def test_one_tap_books_the_proposed_slot(alice_client, zoe, catalog):
    with scopes_disabled():
        at_home(zoe)
        catalog["pose"].rebook_after_weeks = 3
        catalog["pose"].save()
    alice_client.post(f"/visits/new/{zoe.pk}/", visit_data(catalog))
    with scopes_disabled():
        visit = Visit.objects.get()

    response = alice_client.post(f"/agenda/again/{visit.pk}/now/")

    assert response.status_code == 302
    with scopes_disabled():
        appointment = Appointment.objects.get()
        assert appointment.client == zoe
        assert [line.service for line in appointment.services.all()] == [catalog["pose"]]
    assert timezone.localtime(appointment.start) == timezone.localtime(
        visit.started_at
    ) + datetime.timedelta(weeks=3)
    assert response["Location"] == f"/agenda/{appointment.pk}/"
    assert alice_client.get(f"/agenda/again/{visit.pk}/now/").status_code == 405


def test_one_tap_on_a_taken_slot_opens_the_form_with_the_clash(alice_client, zoe, catalog):
    alice_client.post(f"/visits/new/{zoe.pk}/", visit_data(catalog))
    with scopes_disabled():
        at_home(zoe)
        visit = Visit.objects.get()
        start = visit.started_at + datetime.timedelta(weeks=4)
        Appointment.objects.create(account=zoe.account, client=zoe, start=start, duration=60)

    response = alice_client.post(f"/agenda/again/{visit.pk}/now/")

    assert response.status_code == 200
    assert error_codes(response) == ["overlap"]
    with scopes_disabled():
        assert Appointment.objects.count() == 1


def test_the_visit_page_shows_money_dates_and_chart_in_words(alice_client, english, zoe, catalog):
    with scopes_disabled():
        visit = VisitFactory(
            client=zoe,
            total=Decimal("16969"),
            started_at=timezone.make_aware(datetime.datetime(2026, 6, 3, 10, 0)),
            chart_snapshot={"left_thumb": {"length": "short", "condition": "split"}},
        )
    page = alice_client.get(f"/visits/{visit.pk}/").content.decode()

    assert format_money(Decimal("16969"), "EUR", language="en") in page
    assert format_money(Decimal("16969"), "EUR", language="en") == "€16,969.00"
    assert "Total :" not in page
    title = page.split("<title>")[1].split("</title>")[0]
    assert "<script" not in title
    lengths, conditions = dict(NailState.Length.choices), dict(NailState.Condition.choices)
    assert str(lengths["short"]) in page and str(conditions["split"]) in page
    assert "split short" not in page


def test_money_is_formatted_by_the_language():
    assert format_money(Decimal("16969"), "EUR", language="fr") == "16\u202f969,00\xa0€"
    assert format_money(None, "EUR") == ""
    assert format_money("not a number", "EUR") == ""


def test_the_bar_shows_the_total_and_the_discount_she_gave(alice_client, zoe, catalog):
    page = alice_client.get(f"/visits/new/{zoe.pk}/")
    assert page.context["form"].running_figures == {"total": 0, "discount": 0}

    data = visit_data(catalog, total="50", q="", find="1")
    figures = alice_client.post(f"/visits/new/{zoe.pk}/", data).context["form"].running_figures
    assert figures == {"total": Decimal("50"), "discount": Decimal("5")}
    data["total"] = "not a number"
    figures = alice_client.post(f"/visits/new/{zoe.pk}/", data).context["form"].running_figures
    assert figures == {"total": Decimal("55"), "discount": 0}


def test_the_services_are_grouped_by_category(alice_client, zoe, catalog):
    with scopes_disabled():
        catalog["pose"].category = "Mains"
        catalog["pose"].save()
    form = alice_client.get(f"/visits/new/{zoe.pk}/").context["form"]
    groups = [(category, [row.service for row in rows]) for category, rows in form.service_groups]
    assert groups == [("Mains", [catalog["pose"]]), ("", [catalog["nail_art"]])]
