import pytest
from django_scopes import scopes_disabled

from clients.models import Category, Client
from tests.factories import CategoryFactory, ClientFactory

pytestmark = pytest.mark.django_db


def test_the_account_starts_with_three_categories_and_can_add_one(alice_client):
    page = alice_client.get("/clients/categories/").content.decode()
    assert all(name in page for name in ("VIP", "Régulière", "Occasionnelle"))
    alice_client.post("/clients/categories/", {"name": "Mariées"})
    with scopes_disabled():
        assert Category.objects.filter(name="Mariées").exists()


def test_a_duplicate_category_name_is_refused(alice_client):
    alice_client.get("/clients/categories/")
    response = alice_client.post("/clients/categories/", {"name": "vip"})
    assert response.context["form"].errors["name"]


def test_deleting_a_category_keeps_its_clients(alice, alice_client):
    with scopes_disabled():
        category = CategoryFactory(account=alice.account)
        zoe = ClientFactory(account=alice.account, category=category)
    alice_client.post(f"/clients/categories/{category.pk}/delete/")
    with scopes_disabled():
        assert Client.objects.get(pk=zoe.pk).category is None


def test_deleting_a_category_asks_first_and_deleted_defaults_stay_deleted(alice_client):
    with scopes_disabled():
        vip = Category.objects.get(name="VIP")
    assert (
        "Supprimer la catégorie « VIP » ?"
        in alice_client.get(f"/clients/categories/{vip.pk}/delete/").content.decode()
    )
    alice_client.post(f"/clients/categories/{vip.pk}/delete/")
    alice_client.get("/clients/categories/")
    with scopes_disabled():
        assert not Category.objects.filter(name="VIP").exists()
