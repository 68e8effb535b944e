"""A long client list is prepared by the worker while the page shows its progress."""

import re

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.factories import ClientFactory, UserFactory, make_pro

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_long_list_is_prepared_then_downloaded(
    live_server, page, settings, screenshot, axe_violations, fits_the_phone
):
    settings.CLIENT_EXPORT_IMMEDIATE_MAX = 5
    user = UserFactory(email="longue@example.com", account__name="Ongles Longue")
    with scopes_disabled():
        make_pro(user.account)
        ClientFactory.create_batch(12, account=user.account)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("longue@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()

    page.goto(f"{live_server.url}/clients/")
    page.locator("details.export summary").click()
    page.locator("details.export button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/clients/export/\?"))
    expect(page.locator("main h1")).to_be_visible()
    screenshot("list-export-start")
    assert axe_violations() == []
    assert fits_the_phone()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/clients/export/[0-9a-f-]+/$"))
    expect(page.locator("#list-export-status[hx-trigger]")).to_be_attached()
    screenshot("list-export-waiting")
    assert axe_violations() == []
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    expect(page.locator("#list-export-status[hx-trigger]")).to_have_count(0, timeout=10_000)
    download_link = page.locator("#list-export-status a[download]")
    expect(download_link).to_be_visible()
    screenshot("list-export-ready")
    assert axe_violations() == []
    assert fits_the_phone()
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
