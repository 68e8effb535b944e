"""Her import's worker died and none is running: the page tells her so, honestly, then the
import resumes and ends by itself once a worker runs again."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from clients.models import ClientImport
from tests.factories import ClientImportFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_interrupted_import_says_so_and_resumes_when_a_worker_runs(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="nouvelle@example.com", account__name="Ongles Nouvelle")
    with scopes_disabled():
        client_import = ClientImportFactory(
            account=user.account,
            status=ClientImport.Status.RUNNING,
            attempts=1,
            heartbeat_at=timezone.now() - datetime.timedelta(minutes=10),
        )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("nouvelle@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()

    page.goto(f"{live_server.url}/clients/import/{client_import.pk}/progress/")
    expect(page.locator("[data-state=interrupted]")).to_be_visible()
    expect(page.locator("[data-state=no-worker]")).to_be_visible()
    screenshot("import-interrupted-no-worker")
    assert axe_violations() == []
    assert fits_the_phone()

    # A worker comes back: the page, still asking every 2 seconds, sees the import end.
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    expect(page.locator("#import-progress[hx-trigger]")).to_have_count(0, timeout=10_000)
    expect(page.locator("[data-state=interrupted]")).to_have_count(0)
    expect(page.locator("[data-state=no-worker]")).to_have_count(0)
    expect(page.locator("progress")).to_have_attribute("value", "2")
    screenshot("import-resumed-finished")
    with scopes_disabled():
        client_import.refresh_from_db()
    assert (client_import.status, client_import.created, client_import.attempts) == ("done", 2, 2)
