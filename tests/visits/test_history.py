import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scopes_disabled

from catalog.models import Allergen
from clients.models import ConsentEvent, HealthProfile, NailState
from tests.factories import ClientFactory, ConsentEventFactory, make_pro
from visits.models import Reaction, Visit, VisitProduct, VisitService

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)


def add_visit(
    client, day, total, services=("Pose gel complète",), payment="card", paid=True, product=None
):
    visit = Visit.objects.create(
        account=client.account,
        client=client,
        started_at=datetime.datetime(*day, 10, 0, tzinfo=datetime.UTC),
        total=Decimal(total),
        payment_method=payment,
        paid=paid,
    )
    for position, name in enumerate(services):
        VisitService.objects.create(
            account=client.account, visit=visit, name=name, price=Decimal(total), position=position
        )
    if product is not None:
        VisitProduct.objects.create(account=client.account, visit=visit, product=product)
    return visit


@time_machine.travel(NOW, tick=False)
def test_her_figures_on_the_card_come_from_her_kept_figures_and_her_visits(
    alice, alice_client, zoe, catalog
):
    alice_client.force_login(alice)
    with scopes_disabled():
        add_visit(zoe, (2025, 6, 10), "70")  # more than 12 months ago
        add_visit(zoe, (2026, 1, 10), "50", product=catalog["gel"])
        add_visit(zoe, (2026, 7, 10), "40", services=("Remplissage gel",))
        add_visit(zoe, (2026, 11, 20), "60", services=("Remplissage gel", "Nail art par ongle"))
    context = alice_client.get(f"/clients/{zoe.pk}/").context
    stats = context["visit_stats"]
    assert stats["count"] == 4
    assert stats["first"].date() == datetime.date(2025, 6, 10)
    assert stats["last"].date() == datetime.date(2026, 11, 20)
    assert stats["average"] == Decimal("55")
    assert stats["spent_30_days"] == Decimal("60")
    assert stats["spent_12_months"] == Decimal("150")
    assert stats["interval_days"] == 176  # 528 days over 3 intervals
    assert [row["name"] for row in stats["favourite_services"]] == [
        "Pose gel complète",
        "Remplissage gel",
        "Nail art par ongle",
    ]
    newest, *_, oldest_but_one, _ = context["visits"]
    assert newest.lines == ["Remplissage gel", "Nail art par ongle"]
    assert oldest_but_one.uses == [str(catalog["gel"])]


def test_without_a_visit_she_has_no_figures(alice, alice_client, zoe):
    alice_client.force_login(alice)
    stats = alice_client.get(f"/clients/{zoe.pk}/").context["visit_stats"]
    assert stats["count"] == 0
    assert stats["spent_30_days"] is None
    assert stats["favourite_services"] == []


@time_machine.travel(NOW, tick=False)
def test_the_card_shows_her_history_newest_first_with_amount_and_payment(alice, alice_client, zoe):
    alice_client.force_login(alice)
    with scopes_disabled():
        add_visit(zoe, (2026, 10, 1), "45", payment="cash")
        add_visit(zoe, (2026, 11, 20), "61", payment="card", paid=False)
    response = alice_client.get(f"/clients/{zoe.pk}/")
    shown = [
        (visit.started_at.date(), visit.total, visit.payment_method, visit.paid)
        for visit in response.context["visits"]
    ]
    assert shown == [
        (datetime.date(2026, 11, 20), Decimal("61"), "card", False),
        (datetime.date(2026, 10, 1), Decimal("45"), "cash", True),
    ]


def test_the_visits_page_searches_filters_and_totals(alice, alice_client, zoe, catalog):
    with scopes_disabled():
        other = ClientFactory(account=alice.account, first_name="Inès", last_name="Roux")
        add_visit(zoe, (2026, 10, 1), "45", payment="cash", product=catalog["gel"])
        add_visit(zoe, (2026, 11, 2), "30", services=("Semi-permanent mains",), paid=False)
        add_visit(other, (2026, 11, 3), "55")

    def listed(**params):
        with time_machine.travel(NOW, tick=False):
            response = alice_client.get("/visits/", params)
        return response, [visit.total for visit in response.context["page"].object_list]

    # This month by default: its totals, not her history's.
    response, _all = listed()
    assert response.context["month"] == datetime.date(2026, 11, 1)
    assert response.context["totals"] == {"count": 2, "revenue": Decimal("85")}
    revenue = {row["payment_method"]: row["revenue"] for row in response.context["by_payment"]}
    assert revenue == {"card": Decimal("85")}
    response, october = listed(month="2026-10")
    assert october == [Decimal("45")]
    assert response.context["totals"] == {"count": 1, "revenue": Decimal("45")}
    assert response.context["previous_month"] == datetime.date(2026, 9, 1)
    response, _none = listed(month="octobre")
    assert response.status_code == 200
    assert response.context["form"].has_error("month", "invalid")
    assert listed(q="ines")[1] == [Decimal("55")]
    assert listed(q="semi")[1] == [Decimal("30")]
    assert listed(q="etoile", month="2026-10")[1] == [Decimal("45")]
    assert listed(unpaid="on")[1] == [Decimal("30")]
    assert listed(payment_method="cash", month="2026-10")[1] == [Decimal("45")]
    assert listed(date_from="2026-11-01", date_to="2026-11-02")[1] == [Decimal("30")]
    assert listed(client=str(other.pk))[1] == [Decimal("55")]
    assert listed(q="2")[1] == [Decimal("30")]  # visit number 2


def test_the_visits_page_ignores_another_account(alice_client, bob, zoe):
    with scopes_disabled():
        add_visit(ClientFactory(account=bob.account), (2026, 11, 1), "99")
    assert alice_client.get("/visits/").context["totals"]["count"] == 0


def count_queries(client_http, url):
    with CaptureQueriesContext(connection) as captured:
        assert client_http.get(url).status_code == 200
    return len(captured)


def test_pages_run_the_same_queries_with_3_and_300_visits(alice, alice_client, zoe, catalog):
    make_pro(alice.account)
    with scopes_disabled():
        for day in range(1, 4):
            add_visit(zoe, (2026, 1, day), "40", product=catalog["gel"])
    urls = ["/visits/", f"/clients/{zoe.pk}/", f"/visits/new/{zoe.pk}/"]
    few = [count_queries(alice_client, url) for url in urls]
    with scopes_disabled():
        for index in range(297):
            add_visit(zoe, (2025, 1 + index % 12, 1 + index % 28), "40", product=catalog["top"])
    many = [count_queries(alice_client, url) for url in urls]
    print(f"queries with 3 visits {few}, with 300 visits {many} (list, card, visit form)")
    assert few == many


def test_a_reaction_proposes_her_suspected_products_allergens(alice_client, zoe, catalog):
    with scopes_disabled():
        add_visit(zoe, (2026, 11, 1), "55", product=catalog["gel"])
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
    response = alice_client.post(
        f"/visits/reactions/new/{zoe.pk}/",
        {
            "date": "2026-11-03",
            "symptoms": "Rougeurs et démangeaisons",
            "suspected_products": [catalog["gel"].pk],
        },
    )
    with scopes_disabled():
        reaction = Reaction.objects.get()
    assert response.headers["Location"] == f"/visits/reactions/{reaction.pk}/"
    page = alice_client.get(f"/visits/reactions/{reaction.pk}/").content.decode()
    assert "HEMA" in page

    alice_client.post(f"/visits/reactions/{reaction.pk}/", {"allergens": [catalog["hema"].pk]})
    with scopes_disabled():
        assert HealthProfile.objects.get(client=zoe).allergen_list() == [catalog["hema"]]


def test_a_reaction_cannot_add_allergies_without_health_consent(alice_client, zoe, catalog):
    with scopes_disabled():
        add_visit(zoe, (2026, 11, 1), "55", product=catalog["gel"])
        reaction = Reaction.objects.create(account=zoe.account, client=zoe, symptoms="Rougeurs")
        reaction.suspected_products.set([catalog["gel"]])
    alice_client.post(f"/visits/reactions/{reaction.pk}/", {"allergens": [catalog["hema"].pk]})
    with scopes_disabled():
        assert not HealthProfile.objects.exists()
    assert Allergen.objects.filter(code="hema").exists()


def test_only_products_of_her_past_visits_can_be_suspected(alice_client, zoe, catalog):
    response = alice_client.post(
        f"/visits/reactions/new/{zoe.pk}/",
        {"date": "2026-11-03", "symptoms": "x", "suspected_products": [catalog["gel"].pk]},
    )
    assert response.context["form"].errors["suspected_products"]


def test_tapping_a_nail_shows_its_past_states_across_visits(alice_client, zoe):
    with scopes_disabled():
        first = add_visit(zoe, (2026, 9, 1), "40")
        first.chart_snapshot = {
            "left_ring": {"length": "short", "condition": "bitten", "remarks": ""}
        }
        first.save()
        second = add_visit(zoe, (2026, 10, 1), "40")
        second.chart_snapshot = {
            "left_ring": {"length": "medium", "condition": "healthy", "remarks": "Repousse bien"}
        }
        second.save()
    response = alice_client.get(f"/clients/{zoe.pk}/nails/?finger=left_ring")
    with translation.override(zoe.account.language):  # the labels she reads
        healthy_medium = f"{NailState.Condition.HEALTHY.label}, {NailState.Length.MEDIUM.label}"
        bitten_short = f"{NailState.Condition.BITTEN.label}, {NailState.Length.SHORT.label}"
    assert [
        (past["date"].date(), past["state"], past["remarks"])
        for past in response.context["history"]
    ] == [
        (datetime.date(2026, 10, 1), healthy_medium, "Repousse bien"),
        (datetime.date(2026, 9, 1), bitten_short, ""),
    ]
