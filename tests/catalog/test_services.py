"""The services of the catalog: listed, added, edited, archived and restored, never deleted."""

from decimal import Decimal

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from catalog import demo
from catalog.models import Product, Service
from nailpro.models import User
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

GOOD = {"name": "Pose gel complète", "duration": "90", "price": "55", "colour": "#c2577f"}


def error_code(response, field):
    return response.context["form"].errors.as_data()[field][0].code


def listed(response):
    return [service.name for service in response.context["services"]]


def test_it_lists_active_services_and_groups_the_archived_ones(alice, bob, alice_client):
    with scopes_disabled():
        ServiceFactory(account=alice.account, name="Remplissage gel")
        ServiceFactory(account=alice.account, name="Dépose")
        ServiceFactory(account=alice.account, name="Pose vernis", archived=True)
        ServiceFactory(account=bob.account, name="Service de Bob")

    response = alice_client.get("/catalog/")

    assert response.status_code == 200
    assert listed(response) == ["Dépose", "Remplissage gel"]
    assert [service.name for service in response.context["archived"]] == ["Pose vernis"]
    page = response.content.decode()
    assert "<details" in page
    assert "Service de Bob" not in page


def test_it_shows_prices_with_two_decimals_and_the_account_currency(alice, alice_client):
    alice.account.currency = "CHF"
    alice.account.save()
    with scopes_disabled():
        ServiceFactory(account=alice.account, name="Dépose", price=Decimal("15"), duration=20)

    page = alice_client.get("/catalog/").content.decode()

    assert "15,00\xa0CHF" in page  # French number format: the account speaks French
    assert "20 min" in page


def test_it_shows_the_agenda_colour_without_inline_style(alice, alice_client):
    with scopes_disabled():
        ServiceFactory(account=alice.account, colour="#5f9e7f")

    page = alice_client.get("/catalog/").content.decode()

    assert 'fill="#5f9e7f"' in page
    assert "style=" not in page


def test_an_empty_catalog_says_what_to_do(alice_client):
    page = alice_client.get("/catalog/").content.decode()
    assert 'href="/catalog/services/new/"' in page


def test_it_creates_a_service(alice, alice_client):
    response = alice_client.post("/catalog/services/new/", GOOD)

    assert response.status_code == 302
    assert response.headers["Location"] == "/catalog/"
    with scopes_disabled():
        service = Service.objects.get()
    assert (service.account, service.name, service.duration) == (alice.account, GOOD["name"], 90)
    assert service.price == Decimal("55.00")


def test_it_edits_a_service(alice, alice_client):
    with scopes_disabled():
        service = ServiceFactory(account=alice.account, name="Remplissage")

    form = alice_client.get(f"/catalog/services/{service.pk}/")
    response = alice_client.post(
        f"/catalog/services/{service.pk}/", {**GOOD, "name": "Remplissage gel", "price": "47.50"}
    )

    assert form.status_code == 200
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.price) == ("Remplissage gel", Decimal("47.50"))


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("price", "-1", "min_value"),
        ("price", "abc", "invalid"),
        ("duration", "0", "min_value"),
        ("duration", "4", "min_value"),
        ("duration", "-10", "min_value"),
        ("colour", "red", "invalid"),
        ("colour", "#12345g", "invalid"),
        ("name", "", "required"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(alice_client, field, value, code):
    response = alice_client.post("/catalog/services/new/", {**GOOD, field: value})

    assert response.status_code == 200
    assert error_code(response, field) == code
    assert response.context["form"][field].value() == value, "what she typed is kept"
    with scopes_disabled():
        assert not Service.objects.exists()


def test_a_bad_edit_changes_nothing(alice, alice_client):
    with scopes_disabled():
        service = ServiceFactory(account=alice.account, name="Dépose", price=Decimal("15"))

    response = alice_client.post(f"/catalog/services/{service.pk}/", {**GOOD, "price": "-15"})

    assert response.status_code == 200
    service.refresh_from_db()
    assert (service.name, service.price) == ("Dépose", Decimal("15.00"))


@pytest.mark.parametrize(
    "name", ["pose gel complète", "POSE GEL COMPLÈTE", "  Pose gel  complète "]
)
def test_a_second_active_service_with_the_same_name_is_refused(alice, alice_client, name):
    with scopes_disabled():
        ServiceFactory(account=alice.account, name="Pose gel complète")

    response = alice_client.post("/catalog/services/new/", {**GOOD, "name": name})

    assert response.status_code == 200
    assert error_code(response, "name") == "duplicate"
    with scopes_disabled():
        assert Service.objects.count() == 1


def test_renaming_a_service_to_another_one_s_name_is_refused(alice, alice_client):
    with scopes_disabled():
        ServiceFactory(account=alice.account, name="Dépose")
        other = ServiceFactory(account=alice.account, name="Soin des mains")

    response = alice_client.post(f"/catalog/services/{other.pk}/", {**GOOD, "name": "dépose"})

    assert error_code(response, "name") == "duplicate"
    other.refresh_from_db()
    assert other.name == "Soin des mains"


def test_the_same_name_is_free_once_archived_or_in_another_account(alice, bob, alice_client):
    with scopes_disabled():
        ServiceFactory(account=alice.account, name="Pose gel complète", archived=True)
        ServiceFactory(account=bob.account, name="Pose gel complète")

    response = alice_client.post("/catalog/services/new/", GOOD)

    assert response.status_code == 302
    with scopes_disabled():
        assert Service.objects.filter(account=alice.account).count() == 2


def test_saving_a_service_under_its_own_name_is_fine(alice, alice_client):
    with scopes_disabled():
        service = ServiceFactory(account=alice.account, name="Pose gel complète")

    response = alice_client.post(f"/catalog/services/{service.pk}/", {**GOOD, "duration": "95"})

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.duration == 95


def test_it_archives_and_restores_a_service_with_a_message(alice, alice_client):
    with scopes_disabled():
        service = ServiceFactory(account=alice.account, name="Pose vernis")

    archived = alice_client.post(f"/catalog/services/{service.pk}/archive/", follow=True)
    service.refresh_from_db()
    assert service.archived is True
    assert archived.redirect_chain == [("/catalog/", 302)]
    assert [m.level_tag for m in archived.context["messages"]] == ["success"]
    assert "Pose vernis" in str(next(iter(archived.context["messages"])))
    assert [s.name for s in archived.context["archived"]] == ["Pose vernis"]

    restored = alice_client.post(f"/catalog/services/{service.pk}/restore/", follow=True)
    service.refresh_from_db()
    assert service.archived is False
    assert listed(restored) == ["Pose vernis"]
    with scopes_disabled():
        assert Service.objects.filter(pk=service.pk).exists(), "never deleted"


def test_restoring_next_to_an_active_namesake_is_refused(alice, alice_client):
    with scopes_disabled():
        old = ServiceFactory(account=alice.account, name="Dépose", archived=True)
        ServiceFactory(account=alice.account, name="dépose")

    response = alice_client.post(f"/catalog/services/{old.pk}/restore/", follow=True)

    old.refresh_from_db()
    assert old.archived is True
    assert response.redirect_chain == [(f"/catalog/services/{old.pk}/", 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_archive_and_restore_reject_get(alice, alice_client):
    with scopes_disabled():
        service = ServiceFactory(account=alice.account)

    assert alice_client.get(f"/catalog/services/{service.pk}/archive/").status_code == 405
    assert alice_client.get(f"/catalog/services/{service.pk}/restore/").status_code == 405
    service.refresh_from_db()
    assert service.archived is False


def test_it_checks_the_owner(bob, alice_client):
    with scopes_disabled():
        bobs = ServiceFactory(account=bob.account, name="Service de Bob")

    assert alice_client.get(f"/catalog/services/{bobs.pk}/").status_code == 404
    assert alice_client.post(f"/catalog/services/{bobs.pk}/", GOOD).status_code == 404
    assert alice_client.post(f"/catalog/services/{bobs.pk}/archive/").status_code == 404
    bobs.refresh_from_db()
    assert (bobs.name, bobs.archived) == ("Service de Bob", False)


def test_it_handles_a_bad_uuid(alice_client):
    assert alice_client.get("/catalog/services/not-a-uuid/").status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert alice_client.get(f"/catalog/services/{unknown}/").status_code == 404


def test_it_needs_a_login(client):
    response = client.get("/catalog/")
    assert response.headers["Location"] == "/accounts/login/?next=/catalog/"


def test_the_menu_links_to_the_catalog(alice_client):
    assert 'href="/catalog/"' in alice_client.get("/").content.decode()


def test_staff_find_services_in_the_admin(alice):
    with scopes_disabled():
        ServiceFactory(account=alice.account, name="Manucure russe")
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client = Client()
    client.force_login(staff)

    found = client.get("/admin/catalog/service/", {"q": "alice@example.com"})

    assert found.status_code == 200
    assert [s.name for s in found.context["cl"].result_list] == ["Manucure russe"]


def test_the_demo_seed_runs_once(alice, no_scopes):
    demo.seed(alice.account, client_count=40)
    services = Service.objects.filter(account=alice.account)
    products = Product.objects.filter(account=alice.account)
    counts = (services.count(), products.count())

    demo.seed(alice.account, client_count=40)

    assert (services.count(), products.count()) == counts
    assert counts[0] >= 9 and counts[1] >= 15
    gel = services.get(name="Pose gel complète")
    assert (gel.duration, gel.price) == (90, Decimal("55.00"))
    assert services.filter(archived=True).count() == 1
    assert products.filter(archived=True).count() == 1
    for service in services:
        service.full_clean()
    with_hema = products.filter(allergens__code="hema")
    assert with_hema.count() >= 3
    assert products.filter(allergens__code="tpo").exists()
    assert products.filter(allergens__code="iboa").exists()
    assert products.filter(allergens__code="di-hema-tmhdc").exists()
    assert len({p.category for p in products}) >= 8
