import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from agenda.models import Appointment
from catalog.models import Service
from tests.factories import ClientFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_book_from_the_card_find_it_in_the_day_with_its_map_and_finish_it_as_a_visit(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    with scopes_disabled():
        account = user.account
        Service.objects.create(
            account=account, name="Remplissage", duration=60, price=Decimal("40")
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
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()
    page.goto(f"{live_server.url}/clients/{zoe.pk}/")
    page.get_by_role("button", name="Prendre rendez-vous").click()

    expect(page.get_by_role("radio", name=re.compile("Zoé Martin"))).to_be_checked()
    page.get_by_label("Date et heure").fill(f"{tomorrow.isoformat()}T10:00")
    page.get_by_role("checkbox", name="Remplissage").check()
    screenshot("agenda-booking")
    assert axe_violations() == []
    page.get_by_role("button", name="Réserver").click()

    appointment = page.locator(".timeline .appointment").first
    expect(appointment).to_contain_text("10:00–11:00")
    expect(appointment).to_contain_text("Zoé Martin")
    expect(appointment).to_contain_text("12 rue des Lilas, 69003 Lyon")
    expect(appointment).to_contain_text("Digicode 4521B")
    maps = appointment.get_by_role("link", name="Maps")
    expect(maps).to_have_attribute("href", re.compile(r"^https://www\.google\.com/maps/.*Lilas"))
    screenshot("agenda-day")
    assert axe_violations() == []
    assert fits_the_phone()

    appointment.get_by_role("button", name="Terminé").click()
    expect(page.get_by_role("checkbox", name="Remplissage")).to_be_checked()
    expect(page.get_by_label("Heure de fin")).to_have_value("11:00")
    expect(page.get_by_label("Date et heure")).to_have_value(f"{tomorrow.isoformat()}T10:00")
    page.get_by_role("button", name="Enregistrer la visite").click()

    expect(page.locator("h1")).to_contain_text("Visite n° 1")
    expect(page.locator("main")).to_contain_text("Remplissage")
    with scopes_disabled():
        booked = Appointment.objects.get()
    assert booked.status == "done" and booked.visit is not None
    screenshot("agenda-visit-from-appointment")
