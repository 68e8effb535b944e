import pytest
from django_scopes import scopes_disabled

from clients.models import Client
from tests.errors import error_codes
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_it_creates_a_client_from_a_name_alone(alice_client):
    response = alice_client.post("/clients/new/", {"first_name": "Inès"})
    with scopes_disabled():
        client = Client.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/{client.pk}/"
    assert client.account.name == "Alice Nails"


def test_it_creates_a_client_from_a_phone_alone_in_the_account_region(alice, alice_client):
    alice.account.phone_region = "BE"
    alice.account.save()
    alice_client.post("/clients/new/", {"phone": "0470 12 34 56"})
    with scopes_disabled():
        client = Client.objects.get()
    assert str(client.phone) == "+32470123456"
    assert client.display_name.startswith("Cliente 0470")


def test_it_refuses_an_empty_card_and_says_why(alice_client):
    response = alice_client.post("/clients/new/", {"first_name": " ", "email": "x@example.com"})
    assert response.status_code == 200
    assert error_codes(response) == ["name_or_phone"]
    with scopes_disabled():
        assert not Client.objects.exists()


def test_it_refuses_an_invalid_phone_and_keeps_what_was_typed(alice_client):
    response = alice_client.post("/clients/new/", {"first_name": "Zoé", "phone": "12ab"})
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert 'value="Zoé"' in page
    assert 'value="12ab"' in page
    with scopes_disabled():
        assert not Client.objects.exists()


def test_it_warns_about_a_phone_already_used_and_links_to_that_card(alice, alice_client):
    with scopes_disabled():
        existing = ClientFactory(account=alice.account, phone="+33612345678", first_name="Léa")

    response = alice_client.post("/clients/new/", {"first_name": "Lea", "phone": "06 12 34 56 78"})

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="/clients/{existing.pk}/"' in page
    assert 'value="Lea"' in page
    with scopes_disabled():
        assert Client.objects.count() == 1


def test_it_warns_about_an_e_mail_already_used_whatever_its_case(alice, alice_client):
    with scopes_disabled():
        ClientFactory(account=alice.account, email="lea@example.com")
    response = alice_client.post("/clients/new/", {"first_name": "Léa", "email": "LEA@example.com"})
    assert response.context["form"].duplicates


def test_it_creates_the_duplicate_when_she_confirms(alice, alice_client):
    with scopes_disabled():
        ClientFactory(account=alice.account, phone="+33612345678")
    data = {"first_name": "Lea", "phone": "0612345678", "confirm_duplicate": "1"}
    assert alice_client.post("/clients/new/", data).status_code == 302
    with scopes_disabled():
        assert Client.objects.count() == 2


def test_another_account_s_client_is_no_duplicate(bob, alice_client):
    with scopes_disabled():
        ClientFactory(account=bob.account, phone="+33612345678")
    response = alice_client.post("/clients/new/", {"first_name": "Lea", "phone": "0612345678"})
    assert response.status_code == 302


def test_editing_her_phone_to_another_client_s_number_warns_too(alice, alice_client):
    with scopes_disabled():
        existing = ClientFactory(account=alice.account, phone="+33612345678", first_name="Léa")
        zoe = ClientFactory(account=alice.account, first_name="Zoé", phone="+33698765432")
    data = {"first_name": "Zoé", "phone": "06 12 34 56 78"}

    response = alice_client.post(f"/clients/{zoe.pk}/identity/", data)

    assert response.status_code == 200
    assert f'href="/clients/{existing.pk}/"' in response.content.decode()
    with scopes_disabled():
        zoe.refresh_from_db()
    assert str(zoe.phone) == "+33698765432"
    confirmed = alice_client.post(
        f"/clients/{zoe.pk}/identity/", {**data, "confirm_duplicate": "on"}
    )
    assert confirmed.status_code == 302


def test_a_confirmed_duplicate_is_not_asked_again_for_other_edits(alice, alice_client):
    with scopes_disabled():
        ClientFactory(account=alice.account, phone="+33612345678", first_name="Maman")
        daughter = ClientFactory(account=alice.account, phone="+33612345678", first_name="Fille")
    response = alice_client.post(
        f"/clients/{daughter.pk}/identity/", {"first_name": "Jade", "phone": "0612345678"}
    )
    assert response.status_code == 302
