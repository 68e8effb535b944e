import re
import signal

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.factories import ClientFactory, PhotoFactory, UserFactory

# The browser reads committed data, from the live server's own connection.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def run_worker():
    """Run the queued tasks as `manage.py db_worker --batch` does, keeping pytest's signals."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def test_she_exports_her_account_and_sees_it_ready_without_reloading(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="export@example.com", account__name="Ongles Export")
    user.account.language = "en"
    user.account.save()
    with scopes_disabled():
        PhotoFactory(client=ClientFactory(account=user.account, first_name="Zoé"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("export@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()

    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_role("link", name="Delete my account")).to_be_visible()
    screenshot("account")
    assert axe_violations() == []
    assert fits_the_phone()

    page.get_by_role("button", name="Export all my data").click()
    expect(page).to_have_url(f"{live_server.url}/account/export/")
    expect(page.get_by_text("Your export is being prepared…")).to_be_visible()
    run_worker()
    # htmx polls every 2 s and swaps in the finished state.
    expect(page.get_by_role("button", name="Download the ZIP")).to_be_visible(timeout=8000)
    screenshot("account-export-ready")
    assert axe_violations() == []
    assert fits_the_phone()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the ZIP").click()
    assert download.value.suggested_filename.startswith("nailpro-")

    page.goto(f"{live_server.url}/account/delete/")
    expect(page.get_by_label("Your password")).to_be_visible()
    screenshot("account-delete")
    assert axe_violations() == []
    assert fits_the_phone()
