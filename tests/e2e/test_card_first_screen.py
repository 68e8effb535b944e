"""The client card's first screen at 390x844: who she is, what she is allergic to, and the
actions of the day (visit, appointment, call, WhatsApp) without scrolling."""

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from clients.models import Client, ConsentEvent, NailState
from tests.factories import (
    AppointmentFactory,
    ClientFactory,
    ConsentEventFactory,
    HealthProfileFactory,
    NailStateFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Rules axe only reports as best practice or needs-review by default: asked for explicitly.
STRICT = {
    "resultTypes": ["violations"],
    "rules": {
        "target-size": {"enabled": True},
        "label-content-name-mismatch": {"enabled": True},
        "aria-valid-attr-value": {"enabled": True},
    },
}


@pytest.fixture
def strict_axe(page):
    from axe_playwright_python.sync_playwright import Axe

    def run():
        # At the top of the page: scrolled, the sticky action bar covers whatever passes under
        # it, which axe's target-size rule counts against that target.
        page.evaluate("window.scrollTo(0, 0)")
        results = Axe().run(page, options=STRICT)
        return [
            (
                v["id"],
                [n["target"] for n in v["nodes"]][:3],
                v["nodes"][0].get("failureSummary", "")[:200],
            )
            for v in results.response["violations"]
        ]

    return run


@pytest.fixture
def helene(live_server, page):
    from catalog.models import Allergen

    user = UserFactory(email="lea@example.com", account__name="Léa Ongles à domicile")
    with scopes_disabled():
        client = ClientFactory(
            account=user.account,
            first_name="Hélène",
            last_name="Dupont-Lefèvre",
            phone="+33612345678",
            nail_shape=Client.NailShape.ALMOND,
        )
        ConsentEventFactory(client=client, kind=ConsentEvent.Kind.HEALTH)
        health = HealthProfileFactory(client=client, allergy_notes="Parfums forts, latex")
        # Her allergies are many: the banner stays one line until tapped.
        health.set_allergens(Allergen.objects.all()[:8])
        health.save()
        for days in (300, 200, 100, 40):
            VisitFactory(client=client, started_at=_ago(days))
        AppointmentFactory(client=client)
        NailStateFactory(
            client=client,
            finger=NailState.Finger.LEFT_RING,
            condition=NailState.Condition.LIFTING,
            length=NailState.Length.LONG,
        )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour !")).to_be_visible()
    return client


def _ago(days):
    import datetime

    from django.utils import timezone

    return timezone.now() - datetime.timedelta(days=days)


def test_the_card_s_first_screen_holds_her_allergies_and_the_day_s_actions(
    live_server, page, helene, screenshot, strict_axe, fits_the_phone
):
    page.goto(f"{live_server.url}/clients/{helene.pk}/")
    expect(page.get_by_role("heading", name="Hélène Dupont-Lefèvre", level=1)).to_be_visible()
    actions = page.get_by_role("navigation", name="Actions pour cette cliente")
    for name in ("Nouvelle visite", "Prendre rendez-vous", "Appeler", "WhatsApp"):
        link = actions.get_by_role("button", name=name)
        expect(link).to_be_in_viewport(ratio=1)
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (name, box)
    # The allergy banner is one line (44 px tall) until tapped, then lists every allergen.
    banner = page.locator(".allergy-banner")
    assert banner.bounding_box()["height"] < 60
    expect(banner.locator("summary")).to_be_in_viewport(ratio=1)
    expect(page.get_by_text(re.compile("Prochain rendez-vous"))).to_be_in_viewport()
    screenshot("client-card-first-screen")
    page.screenshot(path="tests/e2e/screenshots/client-card-first-screen-viewport.png")
    assert strict_axe() == []
    assert fits_the_phone()

    banner.locator("summary").click()
    expect(banner.get_by_role("listitem")).to_have_count(9)

    # Sections are folded; the last one opened is opened again on her next card.
    nails = page.locator('details[data-fold="nails"]')
    expect(nails).not_to_have_attribute("open", "")
    nails.locator("summary").click()
    expect(page.get_by_role("link", name="annulaire gauche : Décollement, Long")).to_be_visible()
    expect(page.locator(".nail-legend")).to_contain_text("Décollement")
    assert strict_axe() == []

    # The nail form opens as a sheet over the chart, and says the nail is saved.
    page.get_by_role("link", name=re.compile("^pouce droit")).click()
    sheet = page.locator("#nail-form form")
    expect(sheet.get_by_role("heading", name="Pouce droit")).to_be_in_viewport()
    sheet.get_by_role("radio", name="Court", exact=True).check()
    sheet.get_by_role("button", name="Enregistrer cet ongle").click()
    expect(page.get_by_role("status").filter(has_text="pouce droit")).to_be_visible()
    expect(page.locator("#nail-form form")).to_have_count(0)

    page.reload()
    expect(page.locator('details[data-fold="nails"]')).to_have_attribute("open", "")
    expect(page.locator('details[data-fold="visits"]')).not_to_have_attribute("open", "")


def test_the_top_bar_shows_the_business_name_and_the_search_placeholder_whole(
    live_server, page, helene, strict_axe
):
    page.goto(f"{live_server.url}/")
    brand = page.locator(".topbar .brand")
    expect(brand).to_have_text("Léa Ongles à domicile")
    # Nothing of the name is clipped: its box holds all its lines.
    assert brand.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    search = page.get_by_role("searchbox", name="Rechercher une cliente")
    fits = search.evaluate(
        """el => {
            const style = getComputedStyle(el);
            const ctx = document.createElement("canvas").getContext("2d");
            ctx.font = `${style.fontSize} ${style.fontFamily}`;
            const room = el.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return ctx.measureText(el.placeholder).width <= room;
        }"""
    )
    assert fits, "the search placeholder is cut"

    # The month view: each day's link is named by what it shows.
    page.goto(f"{live_server.url}/agenda/month/")
    assert strict_axe() == []


def test_a_count_badge_never_breaks_between_its_digits(live_server, page, helene):
    with scopes_disabled():
        for n in range(10):
            ClientFactory(account=helene.account, first_name=f"Nouvelle{n}")
    page.goto(f"{live_server.url}/")
    badge = page.locator("#new-title .badge")
    expect(badge).to_have_text("11")
    box = badge.bounding_box()
    assert box["height"] < 2 * 16, box


def test_the_consent_kiosk_has_no_way_out_but_the_technician_s_pin(
    live_server, page, helene, strict_axe, screenshot
):
    from nailpro.models import User

    user = User.objects.get(email="lea@example.com")
    user.set_kiosk_pin("2468")
    user.save()
    page.goto(f"{live_server.url}/clients/{helene.pk}/")
    page.locator('details[data-fold="consents"] > summary').click()
    page.get_by_role("button", name="Formulaire de consentement : signer sur le téléphone").click()

    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(page.get_by_role("search")).to_have_count(0)
    screenshot("consent-kiosk")
    assert strict_axe() == []
    # The address bar leads nowhere else while she holds the phone.
    page.goto(f"{live_server.url}/clients/")
    expect(page.get_by_role("button", name="Rendre le téléphone")).to_be_visible()

    page.get_by_role("button", name="Rendre le téléphone").click()
    assert strict_axe() == []
    page.get_by_label("Votre code PIN").fill("1111")
    page.get_by_role("button", name="Déverrouiller").click()
    expect(page.locator("#id_secret_error")).to_be_visible()
    page.get_by_label("Votre code PIN").fill("2468")
    page.get_by_role("button", name="Déverrouiller").click()
    expect(page.get_by_role("heading", name="Hélène Dupont-Lefèvre", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
