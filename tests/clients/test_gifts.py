import datetime

import pytest
import time_machine
from django_scopes import scopes_disabled

from clients.models import Gift
from tests.factories import ClientFactory, GiftFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(
            account=alice.account, first_name="Zoé", birth_date=datetime.date(1990, 3, 12)
        )


@time_machine.travel(NOW, tick=False)
def test_a_birthday_gift_shows_as_given_this_year_next_to_the_birthday(alice_client, zoe):
    response = alice_client.post(
        f"/clients/{zoe.pk}/gifts/new/",
        {
            "occasion": "birthday",
            "description": "Huile cuticules",
            "given_on": "2026-03-12",
            "value": "8.50",
        },
    )
    assert response.status_code == 302
    card = alice_client.get(f"/clients/{zoe.pk}/")
    assert card.context["birthday_gift_given"] is True
    assert "Huile cuticules" in card.content.decode()


@time_machine.travel(NOW, tick=False)
def test_last_year_s_gift_does_not_count_for_this_year(alice_client, zoe):
    with scopes_disabled():
        GiftFactory(client=zoe, given_on=datetime.date(2025, 3, 12))
    card = alice_client.get(f"/clients/{zoe.pk}/")
    assert card.context["birthday_gift_given"] is False
    assert "<h3>2025</h3>" in card.content.decode()


def test_a_gift_needs_a_description_and_a_valid_value(alice_client, zoe):
    response = alice_client.post(
        f"/clients/{zoe.pk}/gifts/new/", {"occasion": "birthday", "description": "", "value": "-3"}
    )
    errors = response.context["form"].errors
    assert set(errors) == {"description", "value", "given_on"} or set(errors) >= {
        "description",
        "value",
    }
    with scopes_disabled():
        assert not Gift.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_gifts_page_lists_this_year_s_gifts_of_the_account(alice, bob, alice_client, zoe):
    with scopes_disabled():
        GiftFactory(client=zoe, description="Crème karité", given_on=datetime.date(2026, 5, 1))
        GiftFactory(client=zoe, description="Vieux cadeau", given_on=datetime.date(2025, 5, 1))
        GiftFactory(
            client=ClientFactory(account=bob.account),
            given_on=datetime.date(2026, 5, 1),
            description="Cadeau de Bob",
        )
    page = alice_client.get("/clients/gifts/").content.decode()
    assert "Crème karité" in page
    assert "Vieux cadeau" not in page
    assert "Cadeau de Bob" not in page
    assert "Vieux cadeau" in alice_client.get("/clients/gifts/", {"year": "2025"}).content.decode()
    assert alice_client.get("/clients/gifts/", {"year": "abc"}).status_code == 200


def test_a_gift_can_be_removed(alice_client, zoe):
    with scopes_disabled():
        gift = GiftFactory(client=zoe)
    response = alice_client.post(f"/clients/{zoe.pk}/gifts/{gift.pk}/delete/")
    assert response.status_code == 302
    with scopes_disabled():
        assert not Gift.objects.exists()


def test_removing_a_gift_asks_first(alice_client, zoe):
    with scopes_disabled():
        gift = GiftFactory(client=zoe, description="Lime en verre")
    response = alice_client.get(f"/clients/{zoe.pk}/gifts/{gift.pk}/delete/")
    assert "Lime en verre" in response.context["consequence"]
    assert response.context["cancel_url"] == f"/clients/{zoe.pk}/#gifts"
    assert "Lime en verre" in response.content.decode()
    with scopes_disabled():
        assert Gift.objects.exists()
