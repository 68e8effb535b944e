import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from agenda.models import Appointment, AppointmentService, ReplyLink
from tests.factories import ClientFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_she_confirms_from_her_reminder_and_the_technician_sees_it_in_her_day(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    cache.clear()  # the reply links' per-connection budget
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with scopes_disabled():
        account = user.account
        account.phone = "+33611223344"
        account.save()
        zoe = ClientFactory(
            account=account,
            first_name="Zoé",
            last_name="Martin",
            street="12 rue des Lilas",
            postal_code="69003",
            city="Lyon",
        )
        start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10)))
        appointment = Appointment.objects.create(
            account=account, client=zoe, start=start, duration=60
        )
        AppointmentService.objects.create(
            account=account,
            appointment=appointment,
            name="Remplissage",
            duration=60,
            price=Decimal("40"),
        )
        _link, token = ReplyLink.issue(appointment)

    # Her phone: the link from the SMS, logged out.
    page.goto(f"{live_server.url}/r/{token}")
    expect(page.locator("h1")).to_contain_text("Zoé, votre rendez-vous")
    expect(page.locator("main")).to_contain_text("10:00")
    expect(page.locator("main")).to_contain_text("12 rue des Lilas, 69003 Lyon")
    expect(page.locator("main")).not_to_contain_text("Martin")
    expect(page.get_by_role("button", name=re.compile("Appeler Léa Ongles"))).to_have_attribute(
        "href", "tel:+33611223344"
    )
    screenshot("reply-link")
    assert axe_violations() == []
    assert fits_the_phone()
    page.get_by_role("button", name="Je confirme").click()
    expect(page.locator("h1")).to_contain_text("votre rendez-vous est confirmé")
    screenshot("reply-link-confirmed")
    assert axe_violations() == []

    page.goto(f"{live_server.url}/r/{token}")  # the same link again: it says it was used
    expect(page.locator("h1")).to_contain_text("déjà été utilisé")

    # The technician's phone: her day shows it confirmed.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()
    page.goto(f"{live_server.url}/agenda/?date={tomorrow.isoformat()}")
    card = page.locator(".timeline .appointment").first
    expect(card).to_contain_text("Zoé Martin")
    expect(card.locator(".badge")).to_have_text("Confirmé")
    screenshot("reply-link-day-confirmed")
