import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from clients.models import Client
from nailpro.text import fold
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_fold_folds_case_and_accents():
    assert fold("  Hélène ÉLODIE Gaëlle  ") == "helene elodie gaelle"


def test_it_stores_the_phone_in_e164_and_shows_it_nationally(alice, no_scopes):
    client = ClientFactory(account=alice.account, phone="06 12 34 56 78")
    client.refresh_from_db()
    assert str(client.phone) == "+33612345678"
    assert client.phone_national == "06 12 34 56 78"
    assert client.phone_digits == "0612345678 33612345678"


def test_a_client_without_a_name_is_shown_by_her_phone(alice, no_scopes):
    client = ClientFactory(account=alice.account, first_name="", last_name="", phone="+33611223344")
    assert client.display_name == "Cliente 06 11 22 33 44"


def test_it_needs_a_name_or_a_phone(alice, no_scopes):
    client = Client(account=alice.account)
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    assert error.value.error_dict["__all__"][0].code == "name_or_phone"


def test_a_birth_date_cannot_be_in_the_future(alice, no_scopes):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    client = Client(account=alice.account, first_name="Zoé", birth_date=tomorrow)
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    assert error.value.error_dict["birth_date"][0].code == "future_birth_date"


def test_a_referral_must_come_from_the_same_account(alice, bob, no_scopes):
    stranger = ClientFactory(account=bob.account)
    client = ClientFactory(account=alice.account)
    client.referred_by = stranger
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    assert error.value.error_dict["referred_by"][0].code == "other_account"


def test_a_blacklisted_client_needs_a_reason(alice, no_scopes):
    client = ClientFactory(account=alice.account, blacklisted=True)
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    assert "blacklist_reason" in error.value.error_dict


def test_a_29_february_birthday_falls_on_the_28th_in_common_years(alice, no_scopes):
    client = ClientFactory(account=alice.account, birth_date=datetime.date(2000, 2, 29))
    assert client.birthday_in(2027) == datetime.date(2027, 2, 28)
    assert client.birthday_in(2028) == datetime.date(2028, 2, 29)


def test_staff_find_clients_in_the_admin_without_seeing_health_data(client, alice):
    from catalog.models import Allergen
    from clients.models import ConsentEvent
    from nailpro.models import User
    from tests.factories import ConsentEventFactory, HealthProfileFactory

    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé", last_name="Secret")
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        health = HealthProfileFactory(
            client=zoe, medications="Isotrétinoïne", health_notes="Diabète"
        )
        health.set_allergens([Allergen.objects.get(code="nickel")])
        health.save()
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)

    found = client.get("/admin/clients/client/", {"q": "zoe"})
    assert list(found.context["cl"].result_list) == [zoe]
    pages = [
        client.get(f"/admin/clients/client/{zoe.pk}/change/"),
        client.get("/admin/clients/healthprofile/"),
        client.get(f"/admin/clients/healthprofile/{health.pk}/change/"),
    ]
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        assert "Isotrétinoïne" not in text
        assert "Diabète" not in text
        assert "Nickel" not in text
