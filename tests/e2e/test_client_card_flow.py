import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

# The browser reads committed data, from the live server's own connection.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logged_in(live_server, page):
    UserFactory(email="lea@example.com", account__name="Léa Ongles")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour !")).to_be_visible()
    return page


def test_a_technician_records_a_new_client_s_card(
    live_server, logged_in, screenshot, axe_violations, fits_the_phone
):
    page = logged_in
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Clientes"
    ).click()
    expect(page.get_by_role("heading", name="Votre liste de clientes est vide")).to_be_visible()
    page.get_by_role("button", name="Nouvelle cliente").click()

    page.get_by_label("Prénom").fill("Hélène")
    page.get_by_label("Nom", exact=True).fill("Dupont")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Hélène Dupont", level=1)).to_be_visible()
    assert axe_violations() == []

    # Health consent, then an allergy: the card header gets a red badge.
    page.locator('details[data-fold="health"] > summary').click()
    page.get_by_role("button", name="Enregistrer son consentement aux données de santé").click()
    page.get_by_label("Moyen").select_option("paper")
    page.get_by_label("Elle accepte").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.locator("#health").get_by_role("link", name=re.compile("^Modifier"))
    ).to_be_visible()
    page.locator("#health").get_by_role("link", name=re.compile("^Modifier")).click()
    page.get_by_role("checkbox", name=re.compile("^HEMA")).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".allergy-badge")).to_contain_text("HEMA")

    # Annotate the left ring finger by tapping it.
    page.locator('details[data-fold="nails"] > summary').click()
    page.get_by_role("link", name=re.compile("^annulaire gauche")).click()
    form = page.locator("#nail-form form")
    expect(form.get_by_role("heading", name="Annulaire gauche")).to_be_visible()
    form.get_by_role("radio", name="Long", exact=True).check()
    form.get_by_role("radio", name="Décollement").check()
    form.get_by_label("Remarques").fill("Décollement côté cuticule")
    form.get_by_role("button", name="Enregistrer cet ongle").click()
    expect(page.get_by_role("link", name="annulaire gauche : Décollement, Long")).to_be_visible()

    # A birthday gift.
    page.locator('details[data-fold="gifts"] > summary').click()
    page.locator("#gifts").get_by_role("link", name="Ajouter un cadeau").click()
    gift_form = page.locator("#gift-form form")
    gift_form.get_by_label("Cadeau").fill("Huile pour cuticules")
    gift_form.get_by_role("button", name="Enregistrer le cadeau").click()
    expect(page.locator("#gifts")).to_contain_text("Huile pour cuticules")
    screenshot("client-card")
    assert axe_violations() == []
    assert fits_the_phone()

    # Find her again, typing her name without accents in the top-bar search: the one match
    # opens her card.
    page.get_by_role("searchbox", name="Rechercher une cliente").fill("helene")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hélène Dupont")
    page.get_by_role("link", name="Clientes").click()
    page.get_by_label("Rechercher par nom ou téléphone").fill("")
    page.get_by_label("Rechercher par nom ou téléphone").type("06 12")
    expect(page.locator("#client-count")).to_contain_text("1 cliente")
    screenshot("client-list")
    assert axe_violations() == []
    assert fits_the_phone()


def test_the_hand_chart_works_with_the_keyboard_alone(live_server, logged_in):
    from django_scopes import scopes_disabled

    from tests.factories import ClientFactory

    with scopes_disabled():
        from nailpro.models import Account

        zoe = ClientFactory(account=Account.objects.get(), first_name="Zoé", last_name="Martin")
    page = logged_in
    page.goto(f"{live_server.url}/clients/{zoe.pk}/")

    # The chart's section is folded: Enter on its title opens it.
    page.locator('details[data-fold="nails"] > summary').focus()
    page.keyboard.press("Enter")
    nail = page.get_by_role("link", name="annulaire gauche : non renseigné")
    page.get_by_role("link", name=re.compile("^auriculaire gauche")).focus()
    page.keyboard.press("Tab")
    expect(nail).to_be_focused()
    page.keyboard.press("Enter")

    heading = page.get_by_role("heading", name="Annulaire gauche")
    expect(heading).to_be_focused()
    page.keyboard.press("Tab")  # first length choice
    page.keyboard.press("ArrowRight")  # Moyen
    page.keyboard.press("Tab")  # first condition choice: Sain
    page.keyboard.press("Space")
    page.locator("#nail-form").get_by_role("button", name="Enregistrer cet ongle").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("link", name="annulaire gauche : Sain, Moyen")).to_be_visible()
