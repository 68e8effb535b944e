import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django_scopes import scopes_disabled

from business.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD
from nailpro.models import Account, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/"


def test_the_dashboard_greets_the_technician_in_french(alice_client):
    page = alice_client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert "Alice Nails" in page
    assert "Bonjour" in page
    assert 'aria-label="Navigation principale"' in page


def test_the_dashboard_shows_how_to_start(alice_client):
    response = alice_client.get("/")
    assert response.context["has_clients"] is False
    assert 'href="/clients/new/"' in response.content.decode()


def test_the_account_language_wins_over_the_browser(alice, alice_client):
    alice.account.language = "en"
    alice.account.save()
    page = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en">' in page
    assert "Getting started" in page


def test_switching_language_is_stored_on_the_account(alice, alice_client):
    response = alice_client.post("/language/", {"language": "en", "next": "/account/"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"
    alice.account.refresh_from_db()
    assert alice.account.language == "en"
    assert response.cookies["django_language"].value == "en"


def test_switching_language_ignores_a_foreign_next_url(alice_client):
    response = alice_client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_switching_language_ignores_an_unknown_language(alice, alice_client):
    alice_client.post("/language/", {"language": "xx"})
    alice.account.refresh_from_db()
    assert alice.account.language == "fr"


def test_an_anonymous_visitor_switches_with_a_cookie(client):
    response = client.post("/language/", {"language": "en", "next": "/accounts/login/"})
    assert response.cookies["django_language"].value == "en"
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_the_account_page_saves_the_business_settings(alice, alice_client):
    data = {
        "name": "Alice Ongles",
        "language": "fr",
        "time_zone": "Europe/Brussels",
        "currency": "chf",
        "phone_region": "be",
        "travel_buffer_minutes": "45",
        "reminder_hours_before": "48",
        "rebook_after_weeks": "6",
        "retention_years": "5",
    }
    response = alice_client.post("/account/", data)

    assert response.status_code == 302
    account = alice.account
    account.refresh_from_db()
    assert (account.time_zone, account.currency, account.phone_region) == (
        "Europe/Brussels",
        "CHF",
        "BE",
    )
    assert (
        account.travel_buffer_minutes,
        account.reminder_hours_before,
        account.rebook_after_weeks,
        account.retention_years,
    ) == (45, 48, 6, 5)


def test_the_account_page_explains_bad_input_and_keeps_it(alice, alice_client):
    data = {
        "name": "Alice Ongles",
        "language": "fr",
        "time_zone": "Mars/Olympus",
        "currency": "E1",
        "phone_region": "ZZ",
        "travel_buffer_minutes": "-5",
        "reminder_hours_before": "0",
        "rebook_after_weeks": "4",
        "retention_years": "3",
    }
    response = alice_client.post("/account/", data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {
        "time_zone",
        "currency",
        "phone_region",
        "travel_buffer_minutes",
        "reminder_hours_before",
    }
    assert errors.as_data()["currency"][0].code == "invalid_choice"
    assert 'value="Alice Ongles"' in response.content.decode()
    alice.account.refresh_from_db()
    assert alice.account.name == "Alice Nails"


def test_dates_follow_the_account_time_zone(alice, alice_client):
    """At 11:00 UTC on 30 November it is already 1 December on Kiritimati (UTC+14)."""
    moment = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        assert "lundi 30 novembre" in alice_client.get("/").content.decode()
        alice.account.time_zone = "Pacific/Kiritimati"
        alice.account.save()
        assert "mardi 1 décembre" in alice_client.get("/").content.decode()


def test_the_not_found_page_is_friendly_and_translated(alice_client):
    response = alice_client.get("/nothing-here/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_manifest_lets_her_add_the_app_to_her_home_screen(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_staff_find_accounts_and_users_in_the_admin(client, alice, bob):
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)

    accounts = client.get("/admin/nailpro/account/", {"q": "alice@example.com"})
    users = client.get("/admin/nailpro/user/", {"q": "Bob Beauty"})

    assert accounts.status_code == 200
    assert list(accounts.context["cl"].result_list) == [alice.account]
    assert list(users.context["cl"].result_list) == [bob]


def test_a_technician_is_not_staff(alice_client):
    response = alice_client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_seed_demo_prints_a_login_that_works_and_can_run_twice(capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    output = capsys.readouterr().out
    assert DEMO_EMAIL in output
    assert DEMO_PASSWORD in output
    with scopes_disabled():
        assert User.objects.filter(email=DEMO_EMAIL).count() == 1
        assert Account.objects.count() == 2
    browser = Client()
    response = browser.post("/accounts/login/", {"username": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert browser.get("/").status_code == 200


def test_a_user_without_an_account_sees_no_one_s_data(client):
    staff = UserFactory(account=None, is_staff=True)
    client.force_login(staff)
    assert client.get("/").status_code == 200
    assert client.get("/account/").headers["Location"] == "/admin/"


def test_the_privacy_page_says_who_is_responsible(alice, alice_client):
    alice.account.language = "en"
    alice.account.save()
    page = alice_client.get("/account/privacy/").content.decode()
    assert "You are the controller of your clients" in page
    assert "NailPro is your processor" in page
    assert 'href="/account/privacy/"' in alice_client.get("/account/").content.decode()
