import json
import re
import zipfile

import pytest
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from clients.models import SignedConsent
from nailpro.dates import full_date
from tests.factories import ClientFactory, UserFactory

# The browser reads committed data, from the live server's own connection.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_client_signs_the_consent_form_with_her_finger(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    # A technician working in English: the form opens in the English version of the text.
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles", account__language="en")
    with scopes_disabled():
        zoe = ClientFactory(account=user.account, first_name="Zoé", last_name="Martin")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()
    page.goto(f"{live_server.url}/clients/{zoe.pk}/")
    page.locator('details[data-fold="consents"] > summary').click()
    page.get_by_role("button", name="Consent form: sign on the phone").click()

    # Kiosk mode: the phone is in her hands, nothing of the app around the form.
    expect(page.get_by_role("heading", name="Your data and your choices")).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(page.get_by_role("search")).to_have_count(0)
    expect(page.get_by_role("button", name="Give the phone back")).to_be_visible()
    # Her answers: yes to everything but the marketing messages.
    for kind in ("data_processing", "health", "reminders", "image_rights"):
        page.locator(f'input[name="{kind}"][value="yes"]').check()
    page.locator('input[name="marketing"][value="no"]').check()

    # Signing with nothing drawn is refused, and her answers stay ticked.
    page.get_by_role("button", name="Sign the form").click()
    expect(page.locator("#signature-error")).to_contain_text("The signature box is empty")
    expect(page.locator('input[name="marketing"][value="no"]')).to_be_checked()
    assert axe_violations() == []

    # She signs with her finger: a stroke across the box.
    pad = page.get_by_role("img", name="Your signature")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 13):
        x = box["x"] + 30 + step * 22
        y = box["y"] + box["height"] * (0.7 - 0.4 * (step % 2))
        page.mouse.move(x, y, steps=4)
    page.mouse.up()
    screenshot("consent-form-signed-on-the-phone")
    assert fits_the_phone()
    page.get_by_role("button", name="Sign the form").click()

    # Signed: she hands the phone back; the technician's password (no PIN set) unlocks it.
    expect(page.get_by_role("heading", name="Give the phone back")).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)
    assert axe_violations() == []
    page.get_by_label("Your password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Unlock").click()

    expect(page.locator("#integrity")).to_contain_text("Integrity verified")
    expect(page.get_by_role("img", name="Signature of Zoé Martin")).to_be_visible()
    assert page.evaluate("document.querySelector('.signature-image').naturalWidth"), (
        "the signature image loads"
    )
    screenshot("consent-form-as-signed")
    assert axe_violations() == []
    with scopes_disabled():
        signed = SignedConsent.objects.get(client=zoe)
        assert signed.choices["marketing"] is False and signed.choices["health"] is True

    # The card shows her consents, given today through the form.
    page.get_by_role("link", name="← Zoé Martin").click()
    with translation.override("en"):
        today = full_date(timezone.localdate())  # "December 1, 2026"
    consents = page.locator("#consents")
    expect(consents).to_contain_text(f"given on {today} (In the app)")
    expect(consents).to_contain_text(f"refused or withdrawn on {today}")
    expect(consents.get_by_role("link", name=re.compile("In the app · text EN v1"))).to_be_visible()
    consents.scroll_into_view_if_needed()
    screenshot("client-card-consents-from-the-form")
    assert axe_violations() == []
    assert fits_the_phone()

    # Her export downloads from the card, with her name and the signed form in it.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export her data (ZIP)").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        data = json.loads(archive.read("data.json"))
        assert data["identity"]["first_name"] == "Zoé"
        assert data["identity"]["last_name"] == "Martin"
        assert "Zoé Martin" in archive.read("summary.html").decode()
        assert any(name.startswith("consents/") for name in archive.namelist())


def test_a_blank_form_prints_without_the_app_around_it(
    live_server, page, screenshot, axe_violations
):
    user = UserFactory(email="lea@example.com", account__language="en")
    with scopes_disabled():
        zoe = ClientFactory(account=user.account, first_name="Zoé", last_name="Martin")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()
    page.goto(f"{live_server.url}/clients/{zoe.pk}/")
    page.locator('details[data-fold="consents"] > summary').click()
    page.get_by_role("link", name="Print a blank form").click()

    expect(page.get_by_role("heading", name="Your data and your choices")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert axe_violations() == []
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_hidden()
    expect(page.locator(".language-choice")).to_be_hidden()
    expect(page.get_by_text("Signature:")).to_be_visible()
    screenshot("consent-form-blank-printed")

    # Signed on paper: the technician copies her answers, with the date.
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Record it once signed").click()
    for kind in ("data_processing", "health", "reminders", "marketing", "image_rights"):
        page.locator(f'input[name="{kind}"][value="yes"]').check()
    screenshot("consent-form-paper")
    assert axe_violations() == []
    page.get_by_role("button", name="Record the paper form").click()
    expect(page.locator("#integrity")).to_contain_text("Integrity verified")
    expect(page.get_by_text("Signed on paper: the paper form is the original.")).to_be_visible()
