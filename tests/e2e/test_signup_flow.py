import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

# The browser reads committed data, from the live server's own connection.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_new_technician_signs_up_switches_language_and_is_protected_from_guessing(
    live_server, page, screenshot, axe_violations
):
    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_role("heading", name="Créez votre compte")).to_be_visible()
    assert axe_violations() == []
    page.get_by_label("Nom de votre activité").fill("Chloé Ongles")
    page.get_by_label("Adresse e-mail").fill("chloe@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("vernis-corail-2026")
    page.get_by_label("Confirmez le mot de passe").fill("vernis-corail-2026")
    screenshot("signup")
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Bonjour !")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Chloé Ongles")).to_be_visible()
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Accueil")).to_have_attribute("aria-current", "page")
    assert axe_violations() == []
    screenshot("dashboard-fr")

    page.get_by_label("Menu").click()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Hello!")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot("dashboard-en")

    page.get_by_label("Menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text("You are logged out")).to_be_visible()

    for _ in range(5):
        page.get_by_label("E-mail address").fill("chloe@example.com")
        page.get_by_label(re.compile("^Password")).fill("not-my-password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many attempts")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Try again in 15 minutes")
    assert axe_violations() == []
    screenshot("locked-out")


def test_the_shell_works_with_the_keyboard(live_server, page):
    UserFactory(email="kbd@example.com", account__name="Clavier")
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("Adresse e-mail")).to_be_focused()
    page.keyboard.type("kbd@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery-staple")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bonjour !")).to_be_visible()

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()

    page.get_by_label("Menu").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Compte")).to_be_visible()
    page.get_by_role("link", name="Compte").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Compte", exact=True)).to_be_visible()
