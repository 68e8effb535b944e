import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.factories import ClientFactory, UserFactory

# The browser reads committed data, from the live server's own connection.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_full_free_account_is_sent_to_the_pricing_page(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="plein@example.com", account__name="Ongles Complet")
    with scopes_disabled():
        ClientFactory.create_batch(20, account=user.account)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("plein@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Clientes"
    ).click()
    expect(page.locator(".plan-usage")).to_contain_text("20 / 20 clientes")
    screenshot("plan-full-list")
    page.get_by_role("button", name="Nouvelle cliente").click()

    # First why, then the way out.
    expect(page.get_by_role("heading", name="Votre plan gratuit est complet.")).to_be_visible()
    screenshot("plan-full-new-client")
    assert axe_violations() == []
    page.get_by_role("button", name="Voir le plan Pro").click()
    expect(page).to_have_url(f"{live_server.url}/billing/")
    expect(page.get_by_role("heading", name="Votre plan : Gratuit")).to_be_visible()
    expect(page.get_by_text("Votre plan gratuit est complet.", exact=False).first).to_be_visible()
    screenshot("pricing")
    assert axe_violations() == []
    assert fits_the_phone()
