from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from billing.models import Plan, Subscription
from nailpro.models import User
from nailpro.money import format_money
from tests.factories import ClientFactory, UserFactory, make_pro

pytestmark = pytest.mark.django_db


def fill(account, count):
    with scopes_disabled():
        ClientFactory.create_batch(count, account=account)


def test_the_list_and_the_menu_count_clients_against_the_free_plan(alice, alice_client):
    fill(alice.account, 12)
    response = alice_client.get("/clients/")
    usage = response.context["client_usage"]
    assert (usage.count, usage.limit, usage.near_limit) == (12, 20, False)
    assert response.content.decode().count("12 / 20 ") == 2  # the list and the account menu


def test_from_18_clients_a_gentle_notice_says_how_many_places_are_left(alice, alice_client):
    fill(alice.account, 18)
    response = alice_client.get("/clients/")
    usage = response.context["client_usage"]
    assert (usage.near_limit, usage.remaining) == (True, 2)
    assert 'class="plan-usage message"' in response.content.decode()


def test_at_20_the_new_client_button_says_why_then_leads_to_the_pricing_page(alice, alice_client):
    fill(alice.account, 20)
    response = alice_client.get("/clients/")
    assert response.context["client_usage"].at_limit is True
    assert 'class="button-new" href="/clients/new/"' in response.content.decode()
    explained = alice_client.get("/clients/new/")
    assert explained.status_code == 200
    assert explained.context["plan_full"] is True and explained.context["form"] is None
    assert 'href="/billing/"' in explained.content.decode()


def test_pro_accounts_see_no_counter(alice, alice_client):
    make_pro(alice.account)
    fill(alice.account, 3)
    response = alice_client.get("/clients/")
    assert response.context["client_usage"].limit is None
    assert "/ 20 " not in response.content.decode()


def test_the_billing_page_shows_plan_usage_and_price(alice, alice_client):
    fill(alice.account, 5)
    response = alice_client.get("/billing/")
    assert response.context["subscription"].plan == Plan.FREE
    usage = response.context["client_usage"]
    assert (usage.count, usage.limit) == (5, 20)
    assert '<progress value="5" max="20"' in response.content.decode()
    # The price in her locale's format: "9,90 €" in French, not "9.90 EUR".
    assert format_money(Decimal("9.90"), "EUR", language="fr") in response.content.decode()
    assert "EUR" not in response.content.decode()


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


def test_the_import_page_says_the_plan_is_full(alice, alice_client):
    fill(alice.account, 20)
    response = alice_client.get("/clients/import/")
    assert response.status_code == 200
    assert response.context["client_usage"].at_limit is True
    assert 'id="plan-full"' in response.content.decode()


def test_billing_write_to_us_is_a_mailto_link_to_support(alice_client, settings):
    settings.SUPPORT_EMAIL = "aide@nailpro.example"
    page = alice_client.get("/billing/").content.decode()
    assert 'href="mailto:aide@nailpro.example"' in page
