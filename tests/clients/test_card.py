import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from clients.models import Client, ConsentEvent, NailState
from tests.errors import error_codes
from tests.factories import (
    CategoryFactory,
    ClientFactory,
    ConsentEventFactory,
    GiftFactory,
    HealthProfileFactory,
    NailStateFactory,
    make_pro,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(
            account=alice.account,
            first_name="Zoé",
            last_name="Martin",
            phone="+33698765432",
            nail_shape=Client.NailShape.ALMOND,
            street="12 rue des Lilas",
            postal_code="75019",
            city="Paris",
            access_notes="Code 4B21",
        )


def url(client, suffix=""):
    return f"/clients/{client.pk}/{suffix}"


def test_the_card_shows_her_identity_shape_address_and_maps_link(alice_client, zoe):
    page = alice_client.get(url(zoe)).content.decode()
    assert "Zoé Martin" in page
    assert "06 98 76 54 32" in page
    assert "Forme :" in page and "Amande" in page
    assert "Code 4B21" in page
    assert "https://www.google.com/maps/search/?api=1&amp;query=12%20rue%20des%20Lilas" in page


def test_a_section_saves_as_a_plain_form_and_comes_back_to_the_card(alice_client, zoe):
    response = alice_client.post(
        url(zoe, "address/"),
        {"street": "3 allée des Cerisiers", "postal_code": "94300", "city": "Vincennes"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == url(zoe)
    with scopes_disabled():
        zoe.refresh_from_db()
    assert zoe.city == "Vincennes"


def test_a_section_edits_in_place_with_htmx(alice_client, zoe):
    form = alice_client.get(url(zoe, "preferences/"), HTTP_HX_REQUEST="true")
    assert form.content.decode().lstrip().startswith('<section id="preferences"')
    assert "<form" in form.content.decode()

    saved = alice_client.post(
        url(zoe, "preferences/"),
        {"nail_system": "gel", "nail_shape": "square", "notes": "Aime le nude"},
        HTTP_HX_REQUEST="true",
    )
    page = saved.content.decode()
    assert page.lstrip().startswith('<section id="preferences"')
    assert "Aime le nude" in page
    assert "<form" not in page


def test_a_future_birth_date_is_refused_with_a_message_and_nothing_saved(alice_client, zoe):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = alice_client.post(
        url(zoe, "identity/"), {"first_name": "Zoé", "last_name": "Martin", "birth_date": future}
    )
    assert response.status_code == 200
    assert error_codes(response, "birth_date") == ["future_birth_date"]
    assert f'value="{future}"' in response.content.decode()
    with scopes_disabled():
        zoe.refresh_from_db()
    assert zoe.birth_date is None


def test_an_invalid_second_phone_is_refused(alice_client, zoe):
    response = alice_client.post(
        url(zoe, "identity/"), {"first_name": "Zoé", "phone2": "0000", "phone": "0698765432"}
    )
    assert response.context["form"].errors["phone2"]


def test_referral_and_category_are_limited_to_her_account(alice, bob, alice_client, zoe):
    with scopes_disabled():
        friend = ClientFactory(account=alice.account, first_name="Inès")
        stranger = ClientFactory(account=bob.account)
        bobs_category = CategoryFactory(account=bob.account)
    refused = alice_client.post(
        url(zoe, "relationship/"), {"referred_by": stranger.pk, "category": bobs_category.pk}
    )
    assert set(refused.context["form"].errors) == {"referred_by", "category"}

    alice_client.post(url(zoe, "relationship/"), {"referred_by": friend.pk})
    with scopes_disabled():
        zoe.refresh_from_db()
    assert zoe.referred_by == friend
    assert zoe.source == Client.Source.REFERRAL


def test_new_accounts_get_the_default_categories_in_their_language(alice_client, zoe):
    page = alice_client.get(url(zoe, "relationship/")).content.decode()
    for name in ("VIP", "Régulière", "Occasionnelle"):
        assert name in page


def test_blacklisting_needs_a_reason_and_shows_on_the_card(alice_client, zoe):
    refused = alice_client.post(url(zoe, "relationship/"), {"blacklisted": "on"})
    assert "blacklist_reason" in refused.context["form"].errors
    alice_client.post(
        url(zoe, "relationship/"), {"blacklisted": "on", "blacklist_reason": "Absente 2 fois"}
    )
    page = alice_client.get(url(zoe)).content.decode()
    assert "Absente 2 fois" in page


def test_the_card_shows_allergies_as_a_red_badge_in_its_header(alice_client, zoe):
    from catalog.models import Allergen

    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        health = HealthProfileFactory(client=zoe)
        health.set_allergens([Allergen.objects.get(code="hema")])
        health.save()
    response = alice_client.get(url(zoe))
    assert [allergen.code for allergen in response.context["allergens"]] == ["hema"]
    page = response.content.decode()
    assert page.index('class="allergy-banner"') < page.index('<nav class="card-actionbar"')


def test_the_card_runs_a_fixed_number_of_queries(alice, alice_client, zoe):
    """One of everything, then many of everything: the card reads it in as many queries."""
    from catalog.models import Allergen

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(url(zoe)).status_code == 200
        # Only her row is read, never the account's whole client list (counting is fine).
        for query in captured:
            if 'FROM "clients_client"' in query["sql"] and "COUNT(*)" not in query["sql"]:
                assert '"clients_client"."id" =' in query["sql"], query["sql"]
        return len(captured)

    with scopes_disabled():
        make_pro(alice.account)  # the size changes, not the plan (a Free plan shows its usage)
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        health = HealthProfileFactory(client=zoe, allergy_notes="Parfums")
        health.set_allergens(Allergen.objects.all()[:1])
        health.save()
        NailStateFactory(client=zoe, finger=NailState.Finger.LEFT_THUMB)
        GiftFactory(client=zoe)
        ClientFactory.create_batch(4, account=alice.account)
    few = queries()
    with scopes_disabled():
        ConsentEventFactory.create_batch(20, client=zoe, kind=ConsentEvent.Kind.MARKETING)
        health.set_allergens(Allergen.objects.all()[:8])
        health.save()
        for finger in NailState.Finger.values[4:]:
            NailStateFactory(client=zoe, finger=finger)
        GiftFactory.create_batch(30, client=zoe)
        ClientFactory.create_batch(195, account=alice.account)
    many = queries()
    print(
        f"client card: {few} queries with one of each, {many} with 21 consents, 7 nails, 31 gifts"
    )
    assert many == few
