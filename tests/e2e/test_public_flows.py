"""What her clients do on their own phones, logged out: sign the consent form sent as a link,
and ask for an appointment on her public page; then what the technician sees of it."""

import datetime
import re
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from clients.models import ConsentEvent, SignedConsent
from clients.services import consent_record
from gallery.models import BookingRequest
from gallery.portfolio import portfolio_add
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import (
    ClientFactory,
    PhotoFactory,
    PortfolioFactory,
    ServiceFactory,
    UserFactory,
)

# The browser reads committed data, from the live server's own connection.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def technician_phone(browser, browser_context_args, live_server):
    """The technician's own phone, logged in: another browser than her client's."""
    context = browser.new_context(**browser_context_args)
    tech = context.new_page()
    tech.goto(f"{live_server.url}/accounts/login/")
    tech.get_by_label("Adresse e-mail").fill("lea@example.com")
    tech.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    tech.get_by_role("button", name="Connexion").click()
    expect(tech.get_by_role("heading", name="Bonjour !")).to_be_visible()
    return context, tech


def shot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def draw_stroke(page):
    pad = page.get_by_role("img", name="Votre signature")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 13):
        x = box["x"] + 30 + step * 22
        y = box["y"] + box["height"] * (0.7 - 0.4 * (step % 2))
        page.mouse.move(x, y, steps=4)
    page.mouse.up()


def test_she_signs_the_form_sent_as_a_link_on_her_own_phone(
    live_server, page, browser, browser_context_args, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    with scopes_disabled():
        zoe = ClientFactory(
            account=user.account, first_name="Zoé", last_name="Martin", phone="+33612345678"
        )
    context, tech = technician_phone(browser, browser_context_args, live_server)
    tech.goto(f"{live_server.url}/clients/{zoe.pk}/")
    tech.locator('details[data-fold="consents"] > summary').click()
    tech.get_by_role("button", name="Envoyer le formulaire").click()
    tech.get_by_role("button", name="Créer le lien").click()
    expect(tech.get_by_role("button", name="SMS")).to_be_visible()
    expect(tech.get_by_role("button", name="WhatsApp")).to_be_visible()
    url = tech.get_by_label("Lien vers le formulaire").input_value()
    assert re.fullmatch(rf"{live_server.url}/f/[\w-]{{40,}}/", url)
    shot(tech, "consent-link-to-send")

    # Her phone, logged out: her first name, the technician's name, the form; nothing else.
    page.goto(url)
    expect(page.get_by_role("heading", name="Vos données et vos choix")).to_be_visible()
    expect(page.get_by_text("Pour Zoé, de la part de Léa Ongles")).to_be_visible()
    expect(page.get_by_text("Martin")).to_have_count(0)
    expect(page.get_by_role("navigation")).to_have_count(0)
    for kind in ("data_processing", "health", "reminders", "image_rights"):
        page.locator(f'input[name="{kind}"][value="yes"]').check()
    page.locator('input[name="marketing"][value="no"]').check()
    draw_stroke(page)
    screenshot("consent-link-signed-on-her-phone")
    assert fits_the_phone()
    assert axe_violations() == []
    page.get_by_role("button", name="Signer le formulaire").click()
    expect(page.get_by_role("heading", name="Merci, votre formulaire est signé")).to_be_visible()
    assert axe_violations() == []

    # The link works once.
    page.goto(url)
    expect(page.get_by_role("heading", name="Ce lien ne peut plus servir")).to_be_visible()

    # The technician finds it on the card, as if signed on her own phone.
    with scopes_disabled():
        signed = SignedConsent.objects.get(client=zoe)
    assert signed.integrity_verified() and signed.choices["marketing"] is False
    tech.goto(f"{live_server.url}/clients/{zoe.pk}/")
    tech.locator('details[data-fold="consents"]').evaluate("fold => { fold.open = true; }")
    tech.locator(f'.signed-forms a[href="{signed.get_absolute_url()}"]').click()
    expect(tech.locator("#integrity")).to_be_visible()
    expect(tech.locator(".signature-image")).to_be_visible()
    assert tech.evaluate("document.querySelector('.signature-image').naturalWidth")
    shot(tech, "consent-link-signed-on-the-card")
    context.close()


def publish(client, caption):
    photo = PhotoFactory(client=client, caption=caption)
    portfolio_add(photo)
    return photo


def test_the_public_page_shows_services_and_takes_a_request_found_on_the_dashboard(
    live_server, page, browser, browser_context_args, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    with scopes_disabled():
        PortfolioFactory(
            account=user.account,
            slug="lea-ongles",
            title="Léa Ongles à domicile",
            area="Lyon, Villeurbanne, 69100",
            phone="+33478000000",
            whatsapp=True,
            instagram="lea.ongles",
        )
        gel = ServiceFactory(
            account=user.account, name="Pose gel", price=Decimal("45"), duration=90, public=True
        )
        ServiceFactory(account=user.account, name="Dépose", price=Decimal("15"), public=False)
        zoe = ClientFactory(account=user.account, first_name="Zoé", last_name="Martin")
        consent_record(
            client=zoe,
            kind=ConsentEvent.Kind.IMAGE_RIGHTS,
            given=True,
            method=ConsentEvent.Method.IN_APP,
            date=datetime.date.today(),
        )
        publish(zoe, "Baby boomer")
        publish(zoe, "Chrome rose")

    page.goto(f"{live_server.url}/p/lea-ongles/")
    expect(page.get_by_role("heading", name="Prestations et tarifs")).to_be_visible()
    expect(page.get_by_text("Pose gel")).to_be_visible()
    expect(page.get_by_text("Dépose")).to_have_count(0)
    expect(page.get_by_text("Lyon, Villeurbanne, 69100")).to_be_visible()
    expect(page.get_by_role("button", name="Appeler")).to_have_attribute("href", "tel:+33478000000")
    expect(page.get_by_role("button", name="Instagram")).to_be_visible()
    expect(page.get_by_role("button", name="E-mail")).to_have_count(0)
    screenshot("public-page-with-services")
    assert fits_the_phone()
    assert axe_violations() == []

    # A photo opens on a page of its own; the keyboard goes on and back to the grid.
    # The newest first: "Chrome rose", then "Baby boomer".
    page.get_by_role("img", name="Chrome rose").click()
    expect(page).to_have_url(re.compile(r"/p/lea-ongles/photos/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", name="Chrome rose")).to_be_visible()
    screenshot("public-photo-page")
    assert axe_violations() == []
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Baby boomer")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/p/lea-ongles/#photo-"))

    # The request, logged out.
    page.get_by_role("button", name="Demander un rendez-vous").click()
    page.get_by_label("Votre nom").fill("Inès Moreau")
    page.get_by_label("Votre téléphone").fill("06 11 22 33 44")
    page.get_by_label("Pose gel").check()
    page.get_by_label("Votre code postal").fill("69003")
    page.get_by_label("Jours et heures préférés").fill("Mardi soir")
    page.get_by_label("Message").fill("Première pose, merci !")
    expect(page.get_by_label("Laissez ce champ vide")).not_to_be_in_viewport()
    screenshot("public-appointment-request-form")
    assert fits_the_phone()
    assert axe_violations() == []
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", name="Votre demande est envoyée")).to_be_visible()
    with scopes_disabled():
        booking = BookingRequest.objects.get(account=user.account)
    assert booking.services == [{"id": str(gel.pk), "name": "Pose gel"}]

    # On her dashboard: one tap creates the client and opens the booking, filled in.
    context, tech = technician_phone(browser, browser_context_args, live_server)
    block = tech.locator("#booking-requests")
    expect(block).to_contain_text("Inès Moreau")
    expect(block).to_contain_text("Mardi soir")
    shot(tech, "dashboard-appointment-request")
    block.get_by_role("button", name="Créer la cliente et réserver").click()
    expect(tech).to_have_url(re.compile(r"/agenda/new/\?"))
    expect(tech.locator(f'input[name="service_{gel.pk}"]')).to_be_checked()
    expect(tech.locator('textarea[name="notes"]')).to_contain_text("Première pose, merci !")
    shot(tech, "appointment-request-booking-form")
    with scopes_disabled():
        booking.refresh_from_db()
        assert booking.client.first_name == "Inès" and booking.client.last_name == "Moreau"
    context.close()
