"""The visit's allergy check, a rule of the model: her known allergens, under her consent."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from clients.models import ConsentEvent
from tests.factories import ConsentEventFactory
from visits.models import Visit

pytestmark = pytest.mark.django_db


def visit_for(client):
    return Visit(account=client.account, client=client, total=55)


def test_it_refuses_a_product_with_her_allergen_unless_confirmed(allergic_zoe, catalog):
    visit = visit_for(allergic_zoe)
    with scopes_disabled():
        with pytest.raises(ValidationError) as refused:
            visit.check_allergies([catalog["gel"], catalog["top"]], confirmed=False)
        conflicts = visit.allergy_conflicts([catalog["gel"], catalog["top"]])
    assert refused.value.code == "allergy_unconfirmed"
    assert conflicts == [(catalog["gel"], catalog["hema"])]


def test_a_confirmation_keeps_the_warning_with_the_visit(allergic_zoe, catalog):
    visit = visit_for(allergic_zoe)
    with scopes_disabled():
        warning = visit.check_allergies([catalog["gel"]], confirmed=True)
        visit.save()
        saved = Visit.objects.get(pk=visit.pk)
    assert warning == saved.allergy_warning
    assert "HEMA" in saved.allergy_warning
    assert saved.allergy_confirmed is True


def test_products_without_her_allergens_pass_and_clear_the_warning(allergic_zoe, catalog):
    visit = visit_for(allergic_zoe)
    visit.allergy_warning, visit.allergy_confirmed = "old", True
    with scopes_disabled():
        assert visit.check_allergies([catalog["top"]], confirmed=False) == ""
    assert (visit.allergy_warning, visit.allergy_confirmed) == ("", False)


def test_her_allergens_are_known_only_under_a_current_health_consent(allergic_zoe, catalog):
    with scopes_disabled():
        assert allergic_zoe.known_allergens() == [catalog["hema"]]
        assert allergic_zoe.known_allergens(consent=False) == []
        ConsentEventFactory(client=allergic_zoe, kind=ConsentEvent.Kind.HEALTH, given=False)
        assert allergic_zoe.known_allergens() == []
        assert allergic_zoe.known_health() is None
        # Nothing known, nothing to confirm.
        assert visit_for(allergic_zoe).check_allergies([catalog["gel"]], confirmed=False) == ""


def test_without_a_health_profile_she_has_no_known_allergen(zoe, catalog):
    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        assert zoe.known_allergens() == []
        assert zoe.known_allergens(consent=False) == []
