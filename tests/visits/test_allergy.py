import pytest
from django_scopes import scopes_disabled

from tests.errors import error_codes
from tests.visits.conftest import visit_data
from visits.models import Visit

pytestmark = pytest.mark.django_db


def with_gel(catalog, **extra):
    return visit_data(catalog, **{f"product_{catalog['gel'].pk}": "on"}, **extra)


def test_a_product_with_her_allergen_is_named_and_blocks_the_save(
    alice_client, allergic_zoe, catalog
):
    response = alice_client.post(f"/visits/new/{allergic_zoe.pk}/", with_gel(catalog))

    assert response.status_code == 200
    assert error_codes(response) == ["allergy_unconfirmed"]
    conflicts = response.context["form"].allergy_conflicts
    assert [(str(product), allergen.code) for product, allergen in conflicts] == [
        ("Ongle Étoile Builder gel Nude 02", "hema")
    ]
    assert 'name="confirm_allergy"' in response.content.decode()
    with scopes_disabled():
        assert not Visit.objects.exists()


def test_confirming_saves_and_records_the_confirmation(alice_client, allergic_zoe, catalog):
    response = alice_client.post(
        f"/visits/new/{allergic_zoe.pk}/", with_gel(catalog, confirm_allergy="on")
    )
    assert response.status_code == 302
    with scopes_disabled():
        visit = Visit.objects.get()
    assert visit.allergy_confirmed is True
    assert "HEMA" in visit.allergy_warning
    assert "Builder gel" in visit.allergy_warning


def test_a_product_without_her_allergens_needs_no_confirmation(alice_client, allergic_zoe, catalog):
    data = visit_data(catalog, **{f"product_{catalog['top'].pk}": "on"})
    assert alice_client.post(f"/visits/new/{allergic_zoe.pk}/", data).status_code == 302
    with scopes_disabled():
        assert Visit.objects.get().allergy_confirmed is False


def test_without_health_consent_there_is_no_check_and_the_form_says_so(alice_client, zoe, catalog):
    response = alice_client.get(f"/visits/new/{zoe.pk}/")
    assert response.context["health_consent"] is False
    assert response.context["allergens"] == []
    assert alice_client.post(f"/visits/new/{zoe.pk}/", with_gel(catalog)).status_code == 302
