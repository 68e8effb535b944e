"""Kiosk mode: the phone handed to a client to sign her consent form."""

import pytest
from django.contrib.auth.hashers import check_password
from django_scopes import scopes_disabled

from nailpro.kiosk import MAX_ATTEMPTS
from tests.errors import error_codes
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

UNLOCK = "/accounts/kiosk/unlock/"


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé")


@pytest.fixture
def with_pin(alice):
    alice.set_kiosk_pin("2468")
    alice.save()
    return "2468"


def sign_url(client):
    return f"/clients/{client.pk}/consent-form/"


def test_the_signing_page_shows_no_navigation_search_or_top_bar(alice_client, zoe):
    response = alice_client.get(sign_url(zoe))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="bottom-nav"' not in page
    assert 'class="topbar"' not in page
    assert 'role="search"' not in page
    assert alice_client.session["kiosk"]["page"] == sign_url(zoe)


def test_while_locked_other_pages_send_back_to_the_signing_page(alice_client, zoe):
    alice_client.get(sign_url(zoe))
    for path in ("/", "/clients/", f"/clients/{zoe.pk}/", "/account/", "/agenda/"):
        response = alice_client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == sign_url(zoe)
    response = alice_client.get("/clients/", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == sign_url(zoe)
    # Its own language choice stays on the page.
    assert alice_client.get(sign_url(zoe) + "?language=en").status_code == 200


def test_leaving_needs_her_pin_and_a_wrong_one_is_refused(alice_client, zoe, with_pin, password):
    alice_client.get(sign_url(zoe))
    response = alice_client.post(UNLOCK, {"secret": "1357"})
    assert response.status_code == 200
    assert error_codes(response, "secret") == ["wrong_secret"]
    assert "kiosk" in alice_client.session
    # With a PIN set, her password does not unlock.
    response = alice_client.post(UNLOCK, {"secret": password})
    assert error_codes(response, "secret") == ["wrong_secret"]
    assert alice_client.get("/clients/").status_code == 302

    response = alice_client.post(UNLOCK, {"secret": with_pin})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{zoe.get_absolute_url()}#consents"
    assert "kiosk" not in alice_client.session
    assert alice_client.get("/clients/").status_code == 200


def test_without_a_pin_her_password_unlocks(alice_client, zoe, password):
    alice_client.get(sign_url(zoe))
    response = alice_client.post(UNLOCK, {"secret": "0000"})
    assert error_codes(response, "secret") == ["wrong_secret"]
    assert alice_client.post(UNLOCK, {"secret": password}).status_code == 302
    assert "kiosk" not in alice_client.session


def test_attempts_are_limited_even_the_right_pin_waits(alice_client, zoe, with_pin):
    alice_client.get(sign_url(zoe))
    for _ in range(MAX_ATTEMPTS):
        alice_client.post(UNLOCK, {"secret": "0000"})
    response = alice_client.post(UNLOCK, {"secret": with_pin})
    assert error_codes(response, "secret") == ["too_many_attempts"]
    assert "kiosk" in alice_client.session


def test_an_empty_unlock_is_a_form_error_not_a_crash(alice_client, zoe):
    alice_client.get(sign_url(zoe))
    response = alice_client.post(UNLOCK, {})
    assert error_codes(response, "secret") == ["required"]


def test_the_unlock_page_without_kiosk_goes_to_the_dashboard(alice_client):
    assert alice_client.get(UNLOCK).headers["Location"] == "/"


def test_the_pin_is_stored_hashed(alice, alice_client):
    response = alice_client.post("/accounts/pin/", {"pin": "482913", "pin_confirm": "482913"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.kiosk_pin and "482913" not in alice.kiosk_pin
    assert check_password("482913", alice.kiosk_pin)

    alice_client.post("/accounts/pin/", {"remove": "1"})
    alice.refresh_from_db()
    assert alice.kiosk_pin == ""


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"pin": "12a4", "pin_confirm": "12a4"}, "pin", "pin_format"),
        ({"pin": "123", "pin_confirm": "123"}, "pin", "pin_format"),
        ({"pin": "123456789", "pin_confirm": "123456789"}, "pin", "pin_format"),
        ({"pin": "1234", "pin_confirm": "4321"}, "pin_confirm", "pin_mismatch"),
    ],
)
def test_a_bad_pin_is_refused_with_its_code(alice, alice_client, data, field, code):
    response = alice_client.post("/accounts/pin/", data)
    assert response.status_code == 200
    assert error_codes(response, field) == [code]
    alice.refresh_from_db()
    assert alice.kiosk_pin == ""


def test_signing_in_kiosk_ends_on_the_give_back_page(alice_client, zoe, password):
    from clients.models import ConsentText
    from tests.factories import signature_data_url

    alice_client.get(sign_url(zoe))
    text = ConsentText.current("fr")
    choices = dict.fromkeys(("data_processing", "health", "reminders", "marketing"), "yes")
    response = alice_client.post(
        sign_url(zoe),
        {"text": text.pk, "image_rights": "no", **choices, "signature": signature_data_url()},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response.headers["Location"] == UNLOCK
    assert alice_client.get("/").status_code == 302
    response = alice_client.post(UNLOCK, {"secret": password})
    with scopes_disabled():
        signed = zoe.signed_consents.get()
    assert response.headers["Location"] == signed.get_absolute_url()
