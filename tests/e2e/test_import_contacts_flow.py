"""Her clients are in her iPhone: she uploads its contacts (.vcf) and imports them as they come."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from clients.models import Client
from clients.vcard import COLUMNS
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).resolve().parents[1] / "clients" / "samples" / "iphone-contacts.vcf"


def test_she_imports_her_iphone_contacts_without_choosing_a_column(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="nouvelle@example.com", account__name="Ongles Nouvelle")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("nouvelle@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()

    page.goto(f"{live_server.url}/clients/import/")
    expect(page.locator("input[type=file]")).to_have_attribute("accept", re.compile(r"\.vcf"))
    screenshot("import-contacts-upload")
    assert axe_violations() == []
    page.locator("input[type=file]").set_input_files(SAMPLE)
    page.locator("main form button[type=submit]").click()

    # Every column already mapped; the three contacts checked and ready.
    expect(page).to_have_url(re.compile(r"/clients/import/[0-9a-f-]+/$"))
    for index, name in enumerate(COLUMNS):
        expect(page.locator(f"#id_column_{index}")).to_have_value(name)
    expect(page.locator(".import-rows > li")).to_have_count(3)
    expect(page.locator(".import-rows")).to_contain_text("Camille Lefèvre")
    expect(page.locator(".import-rows")).to_contain_text("19 juillet")
    screenshot("import-contacts-mapping")
    assert axe_violations() == []
    assert fits_the_phone()
    page.locator("button[name=start]").click()

    expect(page).to_have_url(re.compile(r"/clients/import/[0-9a-f-]+/progress/$"))
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    expect(page.locator("progress")).to_have_attribute("value", "3", timeout=10_000)
    expect(page.locator("#import-progress[hx-trigger]")).to_have_count(0)
    screenshot("import-contacts-finished")
    assert axe_violations() == []
    assert fits_the_phone()

    with scopes_disabled():
        clients = {c.first_name: c for c in Client.objects.filter(account=user.account)}
    assert set(clients) == {"Camille", "Hélène", "Zoé"}
    camille = clients["Camille"]
    assert (camille.phone.as_e164, camille.phone2.as_e164) == ("+33612345678", "+33142001122")
    assert (camille.email, camille.city, camille.birthday) == (
        "camille.lefevre@example.com",
        "Paris",
        (7, 19),
    )

    # Her card shows the birthday without a year.
    page.goto(f"{live_server.url}/clients/{camille.pk}/")
    expect(page.locator("main")).to_contain_text("19 juillet")
    screenshot("import-contacts-card")
    assert axe_violations() == []
    assert fits_the_phone()
