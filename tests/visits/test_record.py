from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from catalog.models import Product, Service
from clients.models import NailState
from tests.factories import NailStateFactory, VisitFactory
from tests.visits.conftest import visit_data
from visits.models import Visit

pytestmark = pytest.mark.django_db


def new_visit(alice_client, client, data):
    return alice_client.post(f"/visits/new/{client.pk}/", data)


def test_a_visit_is_recorded_with_services_products_batch_and_payment(alice_client, zoe, catalog):
    data = visit_data(
        catalog,
        **{
            f"service_{catalog['nail_art'].pk}": "on",
            f"price_{catalog['nail_art'].pk}": "6.00",
            f"product_{catalog['top'].pk}": "on",
            f"batch_{catalog['top'].pk}": "LOT-2611",
            "technique_notes": "Mix nude 02 + 1 goutte rose",
        },
    )
    response = new_visit(alice_client, zoe, data)

    assert response.status_code == 302
    with scopes_disabled():
        visit = Visit.objects.get()
        assert [(line.name, line.price) for line in visit.services.all()] == [
            ("Nail art par ongle", Decimal("6.00")),
            ("Pose gel complète", Decimal("55.00")),
        ]
        assert [(use.product, use.batch_number) for use in visit.products.all()] == [
            (catalog["top"], "LOT-2611")
        ]
    assert visit.total == Decimal("61.00")  # computed when left empty
    assert visit.duration == 90
    assert visit.number == 1


def test_the_total_can_be_lowered_for_a_discount(alice_client, zoe, catalog):
    new_visit(alice_client, zoe, visit_data(catalog, total="50.00"))
    with scopes_disabled():
        visit = Visit.objects.get()
        assert visit.total == Decimal("50.00")
        assert visit.discount == Decimal("5.00")


def test_visit_numbers_follow_each_other_per_account(alice_client, bob, zoe, catalog):
    with scopes_disabled():
        VisitFactory(client__account=bob.account)
    new_visit(alice_client, zoe, visit_data(catalog))
    new_visit(alice_client, zoe, visit_data(catalog, started_at="2026-11-21T10:00"))
    with scopes_disabled():
        assert sorted(
            Visit.objects.filter(account=zoe.account).values_list("number", flat=True)
        ) == [1, 2]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "09:00"}, "ends_at"),
        ({"total": "-5"}, "total"),
        ({"price_PRICE": "-1"}, "price"),
        ({"payment_method": "bitcoin"}, "payment_method"),
        ({"started_at": "not a date"}, "started_at"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(alice_client, zoe, catalog, change, field):
    key, value = next(iter(change.items()))
    key = key.replace("PRICE", str(catalog["pose"].pk))
    response = new_visit(
        alice_client, zoe, visit_data(catalog, **{key: value}, technique_notes="gardé")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(name.startswith(field) for name in errors)
    assert "gardé" in response.content.decode()
    with scopes_disabled():
        assert not Visit.objects.exists()


def test_a_visit_needs_a_service(alice_client, zoe, catalog):
    data = visit_data(catalog)
    del data[f"service_{catalog['pose'].pk}"]
    response = new_visit(alice_client, zoe, data)
    assert response.context["form"].has_error("__all__", "no_service")


def test_a_product_of_another_account_in_the_post_is_refused(alice_client, bob, zoe, catalog):
    with scopes_disabled():
        foreign = Product.objects.create(account=bob.account, brand="Bob", name="Gel")
    response = new_visit(alice_client, zoe, visit_data(catalog, **{f"product_{foreign.pk}": "on"}))
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "unknown_item")
    with scopes_disabled():
        assert not Visit.objects.exists()


def test_archived_services_and_products_stay_on_old_visits(alice_client, zoe, catalog):
    new_visit(
        alice_client,
        zoe,
        visit_data(catalog, **{f"product_{catalog['top'].pk}": "on"}),
    )
    with scopes_disabled():
        Service.objects.filter(pk=catalog["pose"].pk).update(archived=True)
        Product.objects.filter(pk=catalog["top"].pk).update(archived=True)
        visit = Visit.objects.get()
    page = alice_client.get(f"/visits/{visit.pk}/").content.decode()
    assert "Pose gel complète" in page
    assert "Lumi Top coat" in page
    edit = alice_client.get(f"/visits/{visit.pk}/edit/").content.decode()
    assert "Pose gel complète" in edit
    fresh = alice_client.get(f"/visits/new/{zoe.pk}/").content.decode()
    assert f'name="service_{catalog["pose"].pk}"' not in fresh
    assert f'name="product_{catalog["top"].pk}"' not in fresh


def test_the_visit_keeps_a_snapshot_of_her_hand_chart(alice_client, zoe, catalog):
    with scopes_disabled():
        NailStateFactory(client=zoe, finger=NailState.Finger.LEFT_RING, condition="lifting")
    new_visit(alice_client, zoe, visit_data(catalog))
    with scopes_disabled():
        NailState.objects.filter(client=zoe).update(condition="healthy")
        visit = Visit.objects.get()
    assert visit.chart_snapshot["left_ring"]["condition"] == "lifting"


def test_the_form_shows_her_shape_allergies_and_last_visit(alice_client, allergic_zoe, catalog):
    with scopes_disabled():
        allergic_zoe.nail_shape = "almond"
        allergic_zoe.save()
    new_visit(alice_client, allergic_zoe, visit_data(catalog, technique_notes="Mix corail"))
    page = alice_client.get(f"/visits/new/{allergic_zoe.pk}/").content.decode()
    assert "Amande" in page
    assert "HEMA" in page
    assert "Mix corail" in page
