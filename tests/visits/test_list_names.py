"""/visits/ names the client of each visit."""

import pytest
from django_scopes import scopes_disabled

from tests.factories import ClientFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_the_visits_page_names_each_visit_s_client(alice, alice_client):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé", last_name="Martin")
        VisitFactory(client=zoe)
    response = alice_client.get("/visits/")
    assert response.context["page"].object_list[0].client == zoe
    assert "Zoé Martin" in response.content.decode()
