"""The health-consent rule of the health profile, allergens included (set after the row)."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from catalog.models import Allergen
from clients.forms import HealthForm
from clients.models import HealthProfile
from tests.factories import ClientFactory, ConsentEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé")


def test_allergens_alone_are_refused_without_consent(zoe):
    hema = Allergen.objects.get(code="hema")
    profile = HealthProfile(account=zoe.account, client=zoe)
    with scopes_disabled():
        profile.check_consent()  # nothing to protect yet
        with pytest.raises(ValidationError) as refused:
            profile.check_consent(allergens=[hema])
    assert refused.value.code == "no_health_consent"


def test_the_form_says_it_once_and_saves_nothing(zoe):
    hema = Allergen.objects.get(code="hema")
    with scopes_disabled():
        only_allergens = HealthForm({"allergens": [hema.pk]}, client=zoe)
        both = HealthForm({"allergens": [hema.pk], "medications": "X"}, client=zoe)
        assert not only_allergens.is_valid() and not both.is_valid()
        for form in (only_allergens, both):
            assert [e.code for e in form.non_field_errors().as_data()] == ["no_health_consent"]
        assert not HealthProfile.objects.exists()


def test_with_consent_the_allergens_pass(zoe):
    hema = Allergen.objects.get(code="hema")
    with scopes_disabled():
        ConsentEventFactory(client=zoe)
        form = HealthForm({"allergens": [hema.pk]}, client=zoe)
        assert form.is_valid(), form.errors
        assert form.save().allergen_list() == [hema]
