"""The client picker: at most ten matches as she types, her account's only."""

import pytest
from django_scopes import scopes_disabled

from clients.models import Client
from tests.factories import ClientFactory, make_pro

pytestmark = pytest.mark.django_db


def matches(response):
    return [client.display_name for client in response.context["widget"]["matches"]]


def test_the_matches_follow_the_typing_within_her_account(alice, bob, alice_client):
    with scopes_disabled():
        ClientFactory(account=alice.account, first_name="Hélène", last_name="Dupont")
        ClientFactory(account=bob.account, first_name="Hélène", last_name="Autre")
    response = alice_client.get("/clients/pick/", {"field": "client", "client_q": "helene"})
    assert response.status_code == 200
    assert matches(response) == ["Hélène Dupont"]
    assert 'name="client"' in response.content.decode()


def test_at_most_ten_matches_and_none_without_text(alice, alice_client):
    with scopes_disabled():
        make_pro(alice.account)
        ClientFactory.create_batch(30, account=alice.account, first_name="Léa")
    assert len(matches(alice_client.get("/clients/pick/", {"client_q": "lea"}))) == 10
    assert matches(alice_client.get("/clients/pick/", {"client_q": "  "})) == []


def test_the_excluded_client_is_not_offered(alice, alice_client):
    with scopes_disabled():
        lea = ClientFactory(account=alice.account, first_name="Léa")
    params = {"field": "referred_by", "referred_by_q": "lea", "exclude": str(lea.pk)}
    assert matches(alice_client.get("/clients/pick/", params)) == []
    params["exclude"] = "not-an-id"
    response = alice_client.get("/clients/pick/", params)
    assert response.status_code == 200
    assert [c.pk for c in response.context["widget"]["matches"]] == [lea.pk]


def test_bad_field_names_and_posts_are_refused(alice_client):
    assert alice_client.get("/clients/pick/", {"field": "x<script>"}).status_code == 404
    assert alice_client.post("/clients/pick/").status_code == 405


def test_referred_by_is_picked_by_search_and_saved_as_before(alice, alice_client):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé")
        lina = ClientFactory(account=alice.account, first_name="Lina", last_name="Roux")
    url = f"/clients/{zoe.pk}/relationship/"
    searched = alice_client.post(url, {"referred_by_q": "roux", "_pick": "referred_by"})
    assert searched.status_code == 200
    assert not searched.context["form"].errors
    assert f'value="{lina.pk}"' in searched.content.decode()

    saved = alice_client.post(url, {"referred_by": str(lina.pk)})
    assert saved.status_code == 302
    with scopes_disabled():
        zoe = Client.objects.get(pk=zoe.pk)
    assert zoe.referred_by == lina and zoe.source == "referral"


def test_she_is_not_offered_as_her_own_referrer(alice, alice_client):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé")
    url = f"/clients/{zoe.pk}/relationship/"
    searched = alice_client.post(url, {"referred_by_q": "zoe", "_pick": "referred_by"})
    assert searched.context["form"].fields["referred_by"].widget.exclude == zoe.pk
    assert f'value="{zoe.pk}"' not in searched.content.decode()
