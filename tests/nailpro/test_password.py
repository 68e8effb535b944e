import re

import pytest
from django.core import mail
from django.test import Client

from tests.errors import error_codes

pytestmark = pytest.mark.django_db


def test_changing_the_password_ends_the_other_sessions(client, alice, password):
    other_phone = Client()
    other_phone.force_login(alice)
    client.force_login(alice)

    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": password,
            "new_password1": "nouveau-vernis-42",
            "new_password2": "nouveau-vernis-42",
        },
    )

    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_phone.get("/").status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("nouveau-vernis-42")


def test_a_wrong_old_password_is_explained(alice_client):
    response = alice_client.post(
        "/accounts/password/change/",
        {
            "old_password": "nope",
            "new_password1": "x-ray-77-vernis",
            "new_password2": "x-ray-77-vernis",
        },
    )
    assert response.status_code == 200
    assert error_codes(response, "old_password") == ["password_incorrect"]


def test_a_reset_link_by_e_mail_sets_a_new_password(client, alice):
    response = client.post("/accounts/password/reset/", {"email": "Alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]

    form_url = client.get(link).headers["Location"]  # Django hides the token behind a redirect
    response = client.post(
        form_url, {"new_password1": "rose-poudre-2026", "new_password2": "rose-poudre-2026"}
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("rose-poudre-2026")


def test_an_unknown_e_mail_gets_the_same_answer_and_no_mail(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_used_or_forged_link_is_explained(client, alice):
    response = client.get("/accounts/password/reset/MQ/set-password/")
    assert response.status_code == 200
    assert response.context["validlink"] is False
