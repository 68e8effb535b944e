"""Her nails' medical conditions and allergy warnings on a visit's page: shown under her
health consent, gone once she withdraws it; a reaction needs the consent first."""

import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from clients.models import ConsentEvent
from clients.services import consent_record
from tests.factories import ClientFactory, ConsentEventFactory, UserFactory, VisitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHART = {
    "left_thumb": {"length": "short", "condition": "mycosis_suspected", "remarks": "à revoir"},
    "right_ring": {"length": "long", "condition": "lifting", "remarks": ""},
}


def log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()


def test_the_visit_page_shows_her_conditions_only_while_her_consent_holds(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    with scopes_disabled():
        zoe = ClientFactory(account=user.account, first_name="Zoé", last_name="Martin")
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        visit = VisitFactory(
            client=zoe,
            chart_snapshot=CHART,
            allergy_warning="Ongle Étoile Builder gel Nude 02 : HEMA",
            allergy_confirmed=True,
        )
    log_in(page, live_server)

    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    chart = page.locator(".nail-list")
    expect(chart).to_contain_text("Mycose suspectée")
    expect(page.locator(".message.error")).to_contain_text("HEMA")
    screenshot("visit-health-under-consent")
    assert axe_violations() == []
    assert fits_the_phone()

    with scopes_disabled():
        consent_record(
            client=zoe,
            kind=ConsentEvent.Kind.HEALTH,
            given=False,
            method=ConsentEvent.Method.IN_APP,
            date=timezone.localdate(),
        )
    page.reload()
    expect(chart).to_contain_text("Décollement")  # not health data: it stays
    expect(chart).not_to_contain_text("Mycose")
    expect(page.locator(".message.error")).to_have_count(0)
    screenshot("visit-after-health-withdrawal")


def test_a_reaction_asks_for_her_consent_first_and_keeps_what_was_typed(
    live_server, page, screenshot, axe_violations
):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    with scopes_disabled():
        zoe = ClientFactory(account=user.account, first_name="Zoé", last_name="Martin")
    log_in(page, live_server)

    page.goto(f"{live_server.url}/visits/reactions/new/{zoe.pk}/")
    record_consent = "Enregistrer son consentement aux données de santé"
    expect(page.get_by_role("link", name=record_consent)).to_be_visible()
    page.get_by_label("Symptômes").fill("Rougeurs autour des cuticules")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.get_by_label("Symptômes")).to_have_value("Rougeurs autour des cuticules")
    screenshot("reaction-without-consent")
    assert axe_violations() == []
