"""The main pages at 390x844, light and dark, saved as screenshots for a person to look at
(tests/e2e/screenshots/look-*.png): the stylesheet's changes are checked on them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.factories import (
    AppointmentFactory,
    ClientFactory,
    ServiceFactory,
    UserFactory,
    VisitFactory,
    make_pro,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lea(db, password):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    with scopes_disabled():
        account = user.account
        make_pro(account)
        for name, price in [("Pose gel", "55"), ("Nail art", "10"), ("Manucure", "25")]:
            ServiceFactory(account=account, name=name, price=Decimal(price))
        zoe = ClientFactory(
            account=account,
            first_name="Zoé",
            last_name="Martin",
            email="zoe@example.com",
            street="12 rue des Lilas",
            postal_code="69003",
            city="Lyon",
        )
        others = ClientFactory.create_batch(8, account=account)
        now = timezone.now()
        VisitFactory(client=zoe, total=Decimal("65"), started_at=now - datetime.timedelta(weeks=3))
        VisitFactory(client=others[0], started_at=now - datetime.timedelta(weeks=20))
        start = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=2)
        AppointmentFactory(client=zoe, start=start)
        AppointmentFactory(client=others[1], start=start + datetime.timedelta(hours=2))
    return {"zoe": zoe}


def test_the_main_pages_look_right(live_server, page, screenshot, fits_the_phone, lea, password):
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot("look-login")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill(password)
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(f"{live_server.url}/")

    zoe = lea["zoe"]
    pages = {
        "dashboard": "/",
        "list": "/clients/",
        "card": f"/clients/{zoe.pk}/",
        "checkout": f"/visits/new/{zoe.pk}/",
        "agenda": "/agenda/",
        "new-client": "/clients/new/",
        "visits": "/visits/",
        "catalog": "/catalog/",
        "billing": "/billing/",
        "account": "/account/",
    }
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            assert fits_the_phone(), name
            screenshot(f"look-{name}-{scheme}")
    page.get_by_label("Menu").first.click()
    screenshot("look-menu-dark")
