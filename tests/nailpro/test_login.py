from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.errors import error_codes

pytestmark = pytest.mark.django_db


def login(client, email, password, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def test_it_logs_in_with_the_e_mail_in_any_case(client, alice, password):
    response = login(client, "ALICE@Example.com", password)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_it_explains_a_wrong_password_and_keeps_the_e_mail(client, alice):
    response = login(client, "alice@example.com", "wrong")
    page = response.content.decode()
    assert response.status_code == 200
    assert error_codes(response) == ["invalid_login"]
    assert 'value="alice@example.com"' in page


def test_it_refuses_an_invalid_e_mail_with_a_field_error(client):
    response = login(client, "alice", "whatever")
    assert error_codes(response, "username") == ["invalid"]


def test_it_locks_out_after_five_failures_with_a_readable_message(client, alice, password):
    for _ in range(5):
        login(client, "alice@example.com", "wrong")

    response = login(client, "alice@example.com", password)

    assert response.status_code == 429
    page = response.content.decode()
    assert "registration/locked_out.html" in [template.name for template in response.templates]
    assert "15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_counts_the_e_mail_whatever_its_case(client, alice, password):
    for email in ["alice@example.com", "ALICE@example.com", "Alice@Example.com"] * 2:
        login(client, email, "wrong")
    assert login(client, "alice@example.com", password).status_code == 429


def test_the_lockout_does_not_reach_the_owner_on_another_connection(client, alice, password):
    """An attacker cannot lock a technician out: the lock is per e-mail and IP address."""
    for _ in range(6):
        login(client, "alice@example.com", "wrong", ip="203.0.113.9")

    response = login(client, "alice@example.com", password, ip="198.51.100.7")

    assert response.status_code == 302


def test_the_lockout_lifts_after_the_cool_off(client, alice, password):
    for _ in range(5):
        login(client, "alice@example.com", "wrong")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(client, "alice@example.com", password).status_code == 302


def test_logout_needs_a_post_and_ends_the_session(alice_client):
    assert alice_client.get("/accounts/logout/").status_code == 405
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert alice_client.get("/").status_code == 302
