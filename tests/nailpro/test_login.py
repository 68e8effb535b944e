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
    """An attacker cannot lock a technician out from her own connection."""
    assert login(client, "alice@example.com", password, ip="198.51.100.7").status_code == 302
    client.logout()
    for _ in range(30):
        login(client, "alice@example.com", "wrong", ip="203.0.113.9")

    response = login(client, "alice@example.com", password, ip="198.51.100.7")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_spraying_many_e_mails_from_one_connection_is_throttled(client, alice, password):
    for number in range(5):
        login(client, f"someone{number}@example.com", "Winter2026!", ip="203.0.113.9")

    # The next e-mail, even the right password of a real user, is refused from there.
    response = login(client, "alice@example.com", password, ip="203.0.113.9")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another connection is not paused.
    assert login(client, "alice@example.com", password, ip="198.51.100.7").status_code == 302


def test_failures_on_one_e_mail_from_many_connections_slow_down_without_a_blackout(
    client, alice, password
):
    for number in range(30):
        login(client, "alice@example.com", "wrong", ip=f"203.0.113.{number + 1}")

    # From a connection never used, the next try waits a short delay, capped at a minute.
    refused = login(client, "alice@example.com", password, ip="198.51.100.7")
    assert refused.status_code == 200
    assert error_codes(refused) == ["login_delay"]
    assert 0 < refused.context["form"].errors.as_data()["__all__"][0].params["seconds"] <= 60
    assert "_auth_user_id" not in client.session

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert login(client, "alice@example.com", password, ip="198.51.100.7").status_code == 302


def test_the_delay_is_not_counted_as_a_failure(client, alice, password):
    from axes.models import AccessAttempt

    for number in range(6):
        login(client, "alice@example.com", "wrong", ip=f"203.0.113.{number + 1}")
    failures = sum(a.failures_since_start for a in AccessAttempt.objects.all())

    for _ in range(5):
        assert error_codes(login(client, "alice@example.com", "wrong", ip="192.0.2.1")) == [
            "login_delay"
        ]

    assert sum(a.failures_since_start for a in AccessAttempt.objects.all()) == failures


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
