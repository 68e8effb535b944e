"""The day in her pocket: after the morning sync her day, route and booked clients' cards read
without network; a visit recorded offline reaches the server once; a conflict is shown to her;
logging out leaves nothing of hers on the phone; NailPro installs and starts offline."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from agenda import services as agenda_services
from agenda.models import Appointment, AppointmentService
from catalog.models import Service
from clients.models import ConsentEvent
from tests.factories import (
    ClientFactory,
    ConsentEventFactory,
    HealthProfileFactory,
    UserFactory,
)
from visits.models import Visit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_context_args(service_workers="allow"),
]

CACHE_CONTENTS = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const type = response.headers.get("Content-Type") || "";
      const text = /html|json|javascript/.test(type) ? await response.text() : "";
      found.push([name, request.url, text]);
    }
  }
  return found;
}"""

REPLAY_TWICE = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const ask = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    registration.active.postMessage({type: "replay"}, [channel.port2]);
  });
  return Promise.all([ask(), ask()]);
}"""


def _book(client, start, service):
    appointment = Appointment.objects.create(
        account=client.account, client=client, start=start, duration=60
    )
    AppointmentService.objects.create(
        account=client.account,
        appointment=appointment,
        service=service,
        name=service.name,
        duration=60,
        price=service.price,
        position=0,
    )
    return appointment


@pytest.fixture
def lea_day(live_server, page):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    now = timezone.localtime()
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    with scopes_disabled():
        account = user.account
        pose = Service.objects.create(
            account=account, name="Pose gel", duration=60, price=Decimal("50")
        )
        zoe = ClientFactory(
            account=account,
            first_name="Zoé",
            last_name="Martin",
            street="12 rue des Lilas",
            postal_code="69003",
            city="Lyon",
            access_notes="Digicode 4521B",
        )
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        HealthProfileFactory(client=zoe, allergy_notes="Latex")
        lina = ClientFactory(account=account, first_name="Lina", last_name="Roux", city="Lyon")
        mia = ClientFactory(account=account, first_name="Mia", last_name="Lenoir")
        day = {
            "zoe": _book(zoe, this_hour, pose),
            "lina": _book(lina, this_hour + datetime.timedelta(minutes=90), pose),
            "mia": mia,
        }
    _login(live_server, page)
    return day


def _login(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour !")).to_be_visible()


def _prepare_the_day(live_server, page):
    page.goto(f"{live_server.url}/agenda/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.get_by_role("button", name="Préparer ma journée").click()
    expect(page.locator("[data-offline-status]")).to_contain_text("depuis", timeout=30_000)


def test_after_the_morning_sync_her_day_reads_offline_and_a_visit_recorded_offline_lands_once(
    live_server, page, context, lea_day, screenshot, axe_violations, fits_the_phone
):
    zoe, lina = lea_day["zoe"], lea_day["lina"]
    _prepare_the_day(live_server, page)
    expect(page.locator("[data-offline-status]")).to_contain_text("2 fiches de clientes")

    # Nothing of a client without an appointment today or tomorrow is on the phone.
    stored = page.evaluate(CACHE_CONTENTS)
    urls = [url for _, url, _ in stored]
    assert f"{live_server.url}/clients/{zoe.client_id}/" in urls
    assert f"{live_server.url}/agenda/{zoe.pk}/done/" in urls
    mia = lea_day["mia"]
    for _, url, text in stored:
        assert str(mia.pk) not in url and "Lenoir" not in text, url
    # Only pages the server marked for the phone, and the public app shell.
    assert all(
        "/static/" in url or url.endswith("/offline/") or name.startswith("nailpro-pages-")
        for name, url, _ in stored
    )

    context.set_offline(True)
    page.goto(f"{live_server.url}/clients/{zoe.client_id}/")
    expect(page.get_by_role("heading", name="Zoé Martin", level=1)).to_be_visible()
    expect(page.locator(".offline-stamp")).to_be_visible()
    expect(page.locator(".offline-stamp")).to_contain_text(re.compile(r"Hors ligne — fiche du"))
    expect(page.locator(".allergy-badge")).to_contain_text("Latex")
    expect(page.locator("main")).to_contain_text("12 rue des Lilas")
    expect(page.locator("main")).to_contain_text("Digicode 4521B")
    screenshot("offline-card")
    assert fits_the_phone()

    page.goto(f"{live_server.url}/agenda/")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Zoé Martin")
    expect(timeline).to_contain_text("Digicode 4521B")
    expect(page.locator(".offline-stamp")).to_be_visible()
    page.goto(f"{live_server.url}/agenda/route/")
    expect(page.locator("main")).to_contain_text("12 rue des Lilas")

    # Any other page: the offline page, saying what the phone holds.
    page.goto(f"{live_server.url}/clients/")
    expect(page.get_by_role("heading", name="Hors ligne", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Zoé Martin", exact=True)).to_be_visible()
    screenshot("offline-page")
    assert axe_violations() == []
    assert fits_the_phone()

    # Offline, she records Zoé's visit and Lina's; both wait on the phone.
    for appointment, notes in ((zoe, "Base rubber, 2 couches"), (lina, "Vernis rouge")):
        page.goto(f"{live_server.url}/agenda/{appointment.pk}/done/")
        if appointment == zoe:  # an htmx request without network says so where it was made
            page.get_by_label("Trouver un produit").fill("gel")
            expect(page.locator(".search-row + .request-failed")).to_contain_text("Pas de réseau")
            page.get_by_label("Trouver un produit").fill("")
        page.get_by_label("Notes de technique").fill(notes)
        page.get_by_role("button", name="Enregistrer la visite").click()
        expect(page.get_by_role("heading", name="Hors ligne", level=1)).to_be_visible()
    waiting = page.locator("[data-offline-waiting] li")
    expect(waiting).to_have_count(2)
    queued = page.evaluate("() => NailProOffline.entries()")
    with scopes_disabled():
        assert not Visit.objects.exists()
        # Meanwhile Lina cancels.
        agenda_services.appointment_cancel(
            appointment=Appointment.objects.get(pk=lina.pk), by=Appointment.CancelledBy.CLIENT
        )

    context.set_offline(False)
    page.evaluate(REPLAY_TWICE)
    # The same writes sent again (as after an answer lost on the way): nothing doubles.
    page.evaluate(
        "async (entries) => { for (const e of entries) await NailProOffline.putEntry(e); }",
        queued,
    )
    page.evaluate(REPLAY_TWICE)
    with scopes_disabled():
        visits = list(Visit.objects.all())
        assert len(visits) == 1
        assert visits[0].client_id == zoe.client_id
        assert visits[0].technique_notes == "Base rubber, 2 couches"
        assert Appointment.objects.get(pk=zoe.pk).status == Appointment.Status.DONE

    # Lina's visit is not lost: shown to her, with what she typed.
    page.goto(f"{live_server.url}/offline/")
    review = page.locator("[data-offline-review-list] > li")
    expect(review).to_have_count(1)
    expect(review).to_contain_text("Lina Roux")
    expect(review).to_contain_text("Vernis rouge")
    expect(review).to_contain_text("clos")
    expect(review.locator("dt", has_text="notes de technique")).to_have_count(1)
    expect(page.locator("[data-offline-waiting] li")).to_have_count(0)
    assert axe_violations() == []
    review.get_by_role("button", name="Écarter").click()
    expect(review).to_have_count(0)


def test_after_logout_nothing_of_hers_reads_offline(live_server, page, context, lea_day):
    zoe = lea_day["zoe"]
    _prepare_the_day(live_server, page)
    page.get_by_label("Menu").click()
    page.get_by_role("button", name="Déconnexion").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    names = page.evaluate("async () => await caches.keys()")
    assert not [name for name in names if name.startswith("nailpro-pages-")]
    context.set_offline(True)
    for path in (f"/clients/{zoe.client_id}/", "/agenda/", f"/agenda/{zoe.pk}/done/"):
        try:
            page.goto(f"{live_server.url}{path}")
        except PlaywrightError:  # no service worker left to answer: the browser's own error
            continue
        expect(page.locator("body")).not_to_contain_text("Zoé")
        expect(page.locator("body")).not_to_contain_text("Digicode")


def test_nailpro_installs_and_starts_offline(live_server, page, context, lea_day):
    manifest = page.request.get(f"{live_server.url}/manifest.webmanifest").json()
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone" and manifest["name"] and manifest["short_name"]
    sizes = set()
    for icon in manifest["icons"]:
        response = page.request.get(f"{live_server.url}{icon['src']}")
        assert response.status == 200 and response.headers["content-type"] == "image/png"
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes

    page.goto(f"{live_server.url}/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    assert page.evaluate("() => navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    _prepare_the_day(live_server, page)

    context.set_offline(True)
    response = page.goto(f"{live_server.url}{manifest['start_url']}")
    assert response.status == 200
    expect(page.get_by_role("heading", name="Hors ligne", level=1)).to_be_visible()


def test_someone_else_logging_in_on_the_phone_finds_nothing_of_hers(
    live_server, page, context, lea_day
):
    _prepare_the_day(live_server, page)
    with scopes_disabled():
        UserFactory(email="chloe@example.com", account__name="Chloé Ongles")
    context.clear_cookies()  # her session ends without a logout (expired, cookies wiped)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("chloe@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("link", name="Chloé Ongles")).to_be_visible()
    # The phone's copies now belong to Chloé: Léa's were cleared before (static/js/offline.js).
    page.wait_for_function(
        """async () => {
          const meta = await NailProOffline.getMeta();
          return meta && meta.user === document.querySelector('meta[name="nailpro-user"]').content;
        }"""
    )
    stored = page.evaluate(CACHE_CONTENTS)
    assert not [url for _, url, text in stored if "Zoé" in text or "Digicode" in text]
    assert page.evaluate("() => NailProOffline.entries()") == []


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def test_on_an_iphone_the_day_says_once_how_to_add_nailpro_to_the_home_screen(
    live_server, browser, lea_day
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", user_agent=IPHONE
    )
    page = context.new_page()
    _login(live_server, page)
    page.goto(f"{live_server.url}/agenda/")
    hint = page.locator("[data-install-hint]")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Sur l’écran d’accueil")
    hint.get_by_role("button", name="Plus tard").click()
    expect(hint).to_be_hidden()
    page.reload()
    expect(page.get_by_role("button", name="Préparer ma journée")).to_be_visible()
    expect(hint).to_be_hidden()
    context.close()
