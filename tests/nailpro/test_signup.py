import pytest
from django.utils.html import escape
from django_scopes import scopes_disabled

from billing.models import Plan, Subscription
from nailpro.models import Account, User
from tests.errors import error_codes

pytestmark = pytest.mark.django_db

VALID = {
    "business_name": "Léa Ongles",
    "email": "Lea@Example.com",
    "password1": "vernis-rose-2026",
    "password2": "vernis-rose-2026",
}


def test_it_creates_the_account_and_its_user_on_the_free_plan(client, no_scopes):
    response = client.post("/accounts/signup/", VALID)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = User.objects.get()
    assert user.email == "lea@example.com"
    assert user.check_password("vernis-rose-2026")
    assert user.password.startswith("argon2")
    assert user.account.name == "Léa Ongles"
    assert Subscription.objects.get(account=user.account).plan == Plan.FREE
    assert user.account.time_zone == "Europe/Paris"
    assert user.account.currency == "EUR"
    assert user.account.phone_region == "FR"
    assert user.account.language == "fr"


def test_it_logs_the_new_user_in(client):
    client.post("/accounts/signup/", VALID)
    response = client.get("/")
    assert response.status_code == 200
    assert "Léa Ongles" in response.content.decode()


def test_it_keeps_the_language_the_visitor_signed_up_in(client):
    client.cookies["django_language"] = "en"
    client.post("/accounts/signup/", VALID)
    with scopes_disabled():
        assert Account.objects.get().language == "en"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"password1": "1234", "password2": "1234"}, "password1", "password_too_short"),
        (
            {"password1": "motdepasse", "password2": "motdepasse"},
            "password1",
            "password_too_common",
        ),
        ({"password2": "something-else-9"}, "password2", "password_mismatch"),
        ({"business_name": ""}, "business_name", "required"),
    ],
)
def test_it_explains_bad_input_and_keeps_what_was_typed(client, change, field, code):
    data = {**VALID, **change}
    response = client.post("/accounts/signup/", data)

    assert response.status_code == 200
    assert code in error_codes(response, field)
    page = response.content.decode()
    assert escape(response.context["form"].errors[field][0]) in page
    assert 'value="Léa Ongles"' in page or field == "business_name"
    assert f'value="{data["email"]}"' in page
    assert not User.objects.exists()


def test_it_explains_bad_input_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/signup/", {**VALID, "password2": "other-password-9"})
    assert "The two passwords differ" in response.content.decode()


def test_it_refuses_an_e_mail_already_used_whatever_its_case(client, alice):
    response = client.post("/accounts/signup/", {**VALID, "email": "ALICE@example.com"})

    assert response.status_code == 200
    assert error_codes(response, "email") == ["duplicate_email"]
    assert User.objects.count() == 1


def test_it_sends_a_logged_in_user_to_the_dashboard(alice_client):
    response = alice_client.get("/accounts/signup/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
