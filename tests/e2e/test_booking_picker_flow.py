"""Booking from an empty slot at phone size: the client picker, a new client inline, the
services as chips; taps and page loads counted; and the same without JavaScript."""

import datetime
import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from agenda.models import Appointment
from catalog.models import Service
from clients.models import Client
from tests.factories import ClientFactory, UserFactory, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The rules that were only "needs review" or best practice, run as rules that fail.
STRICT_RULES = ["target-size", "label-content-name-mismatch", "aria-valid-attr-value"]


def strict_axe(page):
    """axe's violations, with the strict rules enabled, and what they leave to review."""
    options = {
        "resultTypes": ["violations", "incomplete"],
        "rules": {rule: {"enabled": True} for rule in STRICT_RULES},
    }
    response = Axe().run(page, options=options).response
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in response["violations"]]
    review = [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in response["incomplete"]
        if v["id"] in STRICT_RULES
    ]
    return violations, review


class Taps:
    """Count what her thumb does (clicks and fills) and the full page loads it causes."""

    def __init__(self, page):
        self.page, self.taps, self.loads = page, 0, 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def click(self, locator):
        self.taps += 1
        locator.click()

    def fill(self, locator, text):
        self.taps += 1
        locator.fill(text)


def account_with_a_service(**clients):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    with scopes_disabled():
        account = user.account
        account.address = "8 quai Saint-Vincent, 69001 Lyon"
        account.save()
        Service.objects.create(
            account=account, name="Remplissage", duration=60, price=Decimal("40")
        )
        ClientFactory(account=account, first_name="Zoé", last_name="Martin")
    return user


def log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()


def booked(account):
    with scopes_disabled():
        return list(Appointment.objects.filter(account=account).select_related("client"))


def test_empty_slot_to_a_booked_new_client_in_six_taps(
    live_server, page, screenshot, fits_the_phone
):
    user = account_with_a_service()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/agenda/?date={tomorrow.isoformat()}")

    taps = Taps(page)
    taps.click(page.locator(".free-slot a", has_text="10:00"))
    expect(page.get_by_label("Date et heure")).to_have_value(f"{tomorrow.isoformat()}T10:00")
    new_client = page.locator(".picker-new")
    taps.fill(new_client.get_by_label("Prénom"), "Inès")
    taps.fill(new_client.get_by_label("Téléphone"), "06 11 22 33 44")
    taps.click(page.locator(".service-chips .chip", has_text="Remplissage"))
    taps.click(page.get_by_label("Chez moi"))
    expect(page.locator("#computed-end")).to_contain_text("11:00")
    expect(page.get_by_label("Adresse", exact=True)).to_be_hidden()  # only for another address
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("booking-sheet")
    assert fits_the_phone()
    violations, review = strict_axe(page)
    assert violations == [] and review == []
    taps.click(page.get_by_role("button", name="Réserver"))

    expect(page.locator(".timeline .appointment").first).to_contain_text("Inès")
    print(f"empty slot → booked for a new client: {taps.taps} taps, {taps.loads} page loads")
    assert taps.taps <= 6 and taps.loads <= 2
    [appointment] = booked(user.account)
    assert appointment.client.first_name == "Inès" and appointment.client.phone == "+33611223344"
    assert timezone.localtime(appointment.start).hour == 10 and appointment.duration == 60


def test_the_picker_finds_her_as_she_types(live_server, page):
    user = account_with_a_service()
    with scopes_disabled():
        ClientFactory.create_batch(15, account=user.account, first_name="Léa")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/agenda/new/?start={tomorrow.isoformat()}T14:00")

    taps = Taps(page)
    taps.fill(page.get_by_label("Trouvez-la"), "zoe")
    taps.click(page.get_by_role("radio", name=re.compile("Zoé Martin")))
    taps.click(page.locator(".service-chips .chip", has_text="Remplissage"))
    taps.click(page.get_by_label("Chez moi"))
    taps.click(page.get_by_role("button", name="Réserver"))
    expect(page.locator(".timeline .appointment").first).to_contain_text("Zoé Martin")
    page.wait_for_load_state("load")
    print(f"booking form → booked for a known client: {taps.taps} taps, {taps.loads} page loads")
    assert taps.loads == 1
    page.goto(f"{live_server.url}/agenda/new/")
    page.get_by_label("Trouvez-la").fill("lea")
    expect(page.locator("#id_client_matches .picker-option")).to_have_count(10)


@pytest.fixture
def no_js_page(browser, browser_context_args):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_booking_works_without_javascript(live_server, no_js_page):
    page = no_js_page
    user = account_with_a_service()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/agenda/?date={tomorrow.isoformat()}")
    page.locator(".free-slot a", has_text="11:00").click()

    # Her name searched with a plain post of the form: the matches come back as radios.
    page.get_by_label("Trouvez-la").fill("martin")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_label("Date et heure")).to_have_value(f"{tomorrow.isoformat()}T11:00")
    page.get_by_role("radio", name=re.compile("Zoé Martin")).check()
    page.get_by_role("checkbox", name=re.compile("Remplissage")).check()
    page.get_by_label("Une autre adresse").check()
    page.get_by_label("Adresse", exact=True).fill("5 rue Neuve, Lyon")
    page.get_by_role("button", name="Réserver").click()
    expect(page.locator(".timeline .appointment").first).to_contain_text("Zoé Martin")

    # A new client added inline comes back chosen, then booked.
    page.locator(".free-slot a", has_text="15:00").click()
    new_client = page.locator(".picker-new")
    new_client.get_by_label("Prénom").fill("Inès")
    new_client.get_by_label("Téléphone").fill("06 11 22 33 44")
    new_client.get_by_role("button", name="L’ajouter").click()
    expect(page.get_by_role("radio", name=re.compile("Inès"))).to_be_checked()
    page.get_by_role("checkbox", name=re.compile("Remplissage")).check()
    page.get_by_label("Chez moi").check()
    page.get_by_role("button", name="Réserver").click()
    expect(page.locator(".timeline")).to_contain_text("Inès")
    names = sorted(a.client.first_name for a in booked(user.account))
    assert names == ["Inès", "Zoé"]
    with scopes_disabled():
        assert Client.objects.filter(account=user.account, first_name="Inès").count() == 1


def test_finding_her_from_the_client_list(live_server, page, screenshot, fits_the_phone):
    user = account_with_a_service()
    with scopes_disabled():
        ClientFactory(
            account=user.account,
            first_name="Marie-Charlotte-Alexandrine",
            last_name="de La Rochefoucauld-Montmorency",
            phone="+33612345678",
            email="mc@example.com",
        )
    log_in(page, live_server)
    page.goto(f"{live_server.url}/clients/")
    expect(page.locator(".topbar-search")).to_be_hidden()  # one search box on this page
    name = page.locator(".client-name strong", has_text="Rochefoucauld")
    box = name.bounding_box()
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth")  # never cut
    icons = page.locator(".client-row", has=name).locator(".contact-actions")
    assert icons.bounding_box()["y"] >= box["y"] + box["height"]  # on a row below the name
    screenshot("client-list-whole-names")
    assert fits_the_phone()
    violations, review = strict_axe(page)
    assert violations == [] and review == []

    taps = Taps(page)
    taps.fill(page.get_by_label("Rechercher par nom ou téléphone"), "rochefou")
    page.get_by_label("Rechercher par nom ou téléphone").press("Enter")
    expect(page).to_have_url(re.compile(r"/clients/[0-9a-f-]{36}/$"))
    page.wait_for_load_state("load")  # the URL changes before the page has loaded
    print(f"client list → her card: {taps.taps} taps + Enter, {taps.loads} page loads")
    assert taps.loads == 1


def test_the_picker_replaces_the_client_lists_of_photos_and_referral(
    live_server, page, tmp_path, screenshot
):
    user = account_with_a_service()
    with scopes_disabled():
        lina = ClientFactory(account=user.account, first_name="Lina", last_name="Roux")
    log_in(page, live_server)

    # "Referred by" on her card, edited in place.
    page.goto(f"{live_server.url}/clients/{lina.pk}/relationship/")
    page.get_by_label("Recommandée par").fill("martin")
    page.get_by_role("radio", name=re.compile("Zoé Martin")).check()
    violations, review = strict_axe(page)
    assert violations == [] and review == []
    # Saved by a plain post or an htmx swap: the database is read once its answer has come
    # (the live server shares the test's SQLite connection: no reads while it writes).
    with page.expect_response(
        lambda response: "/relationship/" in response.url and response.request.method == "POST"
    ) as saved:
        page.get_by_role("button", name="Enregistrer").click()
    assert saved.value.status < 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Lina Roux")
    with scopes_disabled():
        lina = Client.objects.select_related("referred_by").get(pk=lina.pk)
    assert lina.referred_by.first_name == "Zoé"

    # A photo for her, found by typing.
    picture = tmp_path / "nails.jpg"
    picture.write_bytes(image_bytes())
    page.goto(f"{live_server.url}/gallery/upload/")
    page.locator("#id_photos").set_input_files(str(picture))
    page.get_by_label("Cliente", exact=True).fill("roux")
    page.get_by_role("radio", name=re.compile("Lina Roux")).check()
    screenshot("photo-upload-picker")
    violations, review = strict_axe(page)
    assert violations == [] and review == []
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lina Roux")
    with scopes_disabled():
        assert lina.photos.count() == 1
