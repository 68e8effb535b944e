import pytest
from django_scopes import scopes_disabled

from billing.models import Plan, Subscription
from nailpro.models import User
from tests.factories import ClientFactory, UserFactory, make_pro

pytestmark = pytest.mark.django_db


def fill(account, count):
    with scopes_disabled():
        ClientFactory.create_batch(count, account=account)


def test_the_list_and_the_menu_count_clients_against_the_free_plan(alice, alice_client):
    fill(alice.account, 12)
    page = alice_client.get("/clients/").content.decode()
    assert page.count("12 / 20 clientes") == 2  # the list and the account menu
    assert "Plus que" not in page


def test_from_18_clients_a_gentle_notice_says_how_many_places_are_left(alice, alice_client):
    fill(alice.account, 18)
    page = alice_client.get("/clients/").content.decode()
    assert "Plus que 2 places sur le plan gratuit." in page


def test_at_20_the_new_client_button_leads_to_the_pricing_page(alice, alice_client):
    fill(alice.account, 20)
    page = alice_client.get("/clients/").content.decode()
    assert 'class="button-new" href="/billing/"' in page
    assert 'href="/clients/new/"' not in page
    assert "Votre plan gratuit est complet." in page


def test_pro_accounts_see_no_counter(alice, alice_client):
    make_pro(alice.account)
    fill(alice.account, 3)
    assert "/ 20 clientes" not in alice_client.get("/clients/").content.decode()


def test_the_billing_page_shows_plan_usage_and_price(alice, alice_client):
    fill(alice.account, 5)
    page = alice_client.get("/billing/").content.decode()
    assert "Votre plan : Gratuit" in page
    assert "5 / 20 clientes" in page
    assert "9,90 EUR par mois" in page or "9.90 EUR par mois" in page


def test_staff_see_plan_status_and_client_count_and_move_accounts(client, alice, bob):
    fill(alice.account, 3)
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)

    listing = client.get("/admin/nailpro/account/", {"plan": "free", "q": "alice@example.com"})
    row = listing.context["cl"].result_list[0]
    assert (row.plan, row.status, row.client_total) == ("free", "active", 3)

    client.post(
        "/admin/nailpro/account/",
        {"action": "move_to_pro", "_selected_action": [alice.account.pk]},
    )
    with scopes_disabled():
        assert Subscription.objects.get(account=alice.account).plan == Plan.PRO
        assert Subscription.objects.get(account=bob.account).plan == Plan.FREE
    pro_only = client.get("/admin/nailpro/account/", {"plan": "pro"})
    assert list(pro_only.context["cl"].result_list) == [alice.account]


def test_staff_admin_pages_count_clients_in_one_query(client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/admin/nailpro/account/")
        return len(captured)

    few = queries()
    for _ in range(10):
        fill(UserFactory().account, 2)
    assert queries() == few
