import pytest
from django_scopes import scopes_disabled

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
    page = response.content.decode()
    warning = page.split('class="allergy-conflicts"')[1].split("</ul>")[0]
    assert "Ongle Étoile Builder gel Nude 02" in warning
    assert "HEMA" in warning
    assert 'name="confirm_allergy"' in page
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
    page = alice_client.get(f"/visits/new/{zoe.pk}/").content.decode()
    assert "NailPro ne connaît aucune de ses allergies" in page or "aucune de ses allergies" in page
    assert alice_client.post(f"/visits/new/{zoe.pk}/", with_gel(catalog)).status_code == 302
