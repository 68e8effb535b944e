"""The same amount, date and phone number in each language of the app; the account's
currency, phone region and first day of the week; the language switch and the browser's
language."""

import datetime
import zoneinfo
from decimal import Decimal

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from clients.models import Client
from nailpro.models import Account
from nailpro.money import format_money
from nailpro.phones import format_phone, override

pytestmark = pytest.mark.django_db

NBSP, NNBSP = "\xa0", "\u202f"
AMOUNT = Decimal("1234.50")
DAY = datetime.date(2026, 12, 1)  # a Tuesday


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("fr", "EUR", f"1{NNBSP}234,50{NBSP}€"),
        ("en", "EUR", "€1,234.50"),
        ("es", "EUR", f"1.234,50{NBSP}€"),
        ("it", "EUR", f"1.234,50{NBSP}€"),
        ("ru", "RUB", f"1{NBSP}234,50{NBSP}₽"),
        ("en", "GBP", "£1,234.50"),
        ("fr", "CHF", f"1{NNBSP}234,50{NBSP}CHF"),
    ],
)
def test_an_amount_is_written_as_the_language_writes_it(language, currency, expected):
    assert format_money(AMOUNT, currency, language=language) == expected
    with translation.override(language):
        rendered = Template("{% load nailpro %}{{ amount|money:currency }}").render(
            Context({"amount": AMOUNT, "currency": currency})
        )
    assert rendered == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["1 décembre", "1 décembre 2026", "mardi 1 décembre", "mardi 1 décembre 2026"]),
        (
            "en",
            [
                "December 1",
                "December 1, 2026",
                "Tuesday, December 1",
                "Tuesday, December 1, 2026",
            ],
        ),
        (
            "es",
            [
                "1 de diciembre",
                "1 de diciembre de 2026",
                "martes, 1 de diciembre",
                "martes, 1 de diciembre de 2026",
            ],
        ),
        # Month and weekday in lower case, as Italian and Russian write them mid-sentence.
        ("it", ["1 dicembre", "1 dicembre 2026", "martedì 1 dicembre", "martedì 1 dicembre 2026"]),
        # After a day the month takes the genitive: "декабря", not "декабрь".
        (
            "ru",
            [
                "1 декабря",
                f"1 декабря 2026{NNBSP}г.",
                "вторник, 1 декабря",
                f"вторник, 1 декабря 2026{NNBSP}г.",
            ],
        ),
    ],
)
def test_a_date_is_written_as_the_language_writes_it(language, expected):
    template = Template(
        "{% load nailpro %}{{ day|day_month }}|{{ day|full_date }}|"
        "{{ day|long_day }}|{{ day|long_date }}"
    )
    with translation.override(language):
        rendered = template.render(Context({"day": DAY}))
    assert rendered.split("|") == expected


def test_a_time_of_day_is_shown_on_the_accounts_clock():
    """An appointment at 23:30 UTC is on the next day in Paris."""
    late = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    with translation.override("fr"), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        rendered = Template("{% load nailpro %}{{ when|long_day }}").render(Context({"when": late}))
    assert rendered == "mardi 1 décembre"


@pytest.mark.parametrize(
    ("language", "region", "number", "at_home"),
    [
        ("fr", "FR", "+33612345678", "06 12 34 56 78"),
        ("en", "GB", "+447400123456", "07400 123456"),
        ("es", "ES", "+34612345678", "612 34 56 78"),
        ("it", "IT", "+393123456789", "312 345 6789"),
        ("ru", "RU", "+79161234567", "8 (916) 123-45-67"),
    ],
)
def test_a_phone_is_national_in_the_accounts_region_and_international_elsewhere(
    language, region, number, at_home
):
    phone = phonenumbers.parse(number)
    with translation.override(language), override(region):
        assert format_phone(phone) == at_home
        # A French client's number on this account: written with its country code.
        french = format_phone(phonenumbers.parse("+33612345678"))
    assert french == ("06 12 34 56 78" if region == "FR" else "+33 6 12 34 56 78")


def test_the_card_shows_her_phone_for_the_accounts_region(alice, alice_client):
    alice.account.phone_region = "RU"
    alice.account.save()
    alice_client.post("/clients/new/", {"first_name": "Елена", "phone": "8 916 123-45-67"})
    with scopes_disabled():
        elena = Client.objects.get()
    assert str(elena.phone) == "+79161234567"
    page = alice_client.get(elena.get_absolute_url()).content.decode()
    assert "8 (916) 123-45-67" in page


@pytest.mark.parametrize(
    ("language", "region", "first_weekday"),
    [
        ("fr", "FR", 0),
        ("es", "ES", 0),
        ("it", "IT", 0),
        ("ru", "RU", 0),
        ("ru", "US", 0),  # Russian: Monday wherever she lives
        ("en", "GB", 0),
        ("en", "IE", 0),
        ("en", "US", 6),
        ("en", "CA", 6),
    ],
)
def test_the_week_starts_on_monday_but_in_english_where_her_country_starts_on_sunday(
    language, region, first_weekday
):
    assert Account(language=language, phone_region=region).first_weekday == first_weekday


def test_the_week_and_month_views_start_on_the_accounts_first_day(alice, alice_client):
    alice.account.language, alice.account.phone_region = "en", "US"
    alice.account.save()
    week = alice_client.get("/agenda/week/?date=2026-12-02").context["days"]
    assert [day.weekday() for day, _appointments in week] == [6, 0, 1, 2, 3, 4, 5]
    assert week[0][0] == datetime.date(2026, 11, 29)
    month = alice_client.get("/agenda/month/?date=2026-12-02").context["weeks"]
    assert month[0][0][0].weekday() == 6

    alice.account.language, alice.account.phone_region = "ru", "RU"
    alice.account.save()
    week = alice_client.get("/agenda/week/?date=2026-12-02").context["days"]
    assert week[0][0] == datetime.date(2026, 11, 30)  # Monday


def account_form(account, **changes):
    data = {
        "name": account.name,
        "language": account.language,
        "time_zone": account.time_zone,
        "currency": account.currency,
        "phone_region": account.phone_region,
        "address": "",
        "travel_buffer_minutes": 30,
        "reminder_hours_before": 24,
        "rebook_after_weeks": 4,
        "retention_years": 3,
    }
    return {**data, **changes}


def test_the_currency_is_chosen_from_iso_codes_and_used_for_money(alice, alice_client):
    page = alice_client.get("/account/")
    options = dict(page.context["form"].fields["currency"].choices)
    assert {"EUR", "GBP", "CHF", "RUB", "USD"} <= set(options)
    response = alice_client.post("/account/", account_form(alice.account, currency="RUB"))
    assert response.status_code == 302
    alice.account.refresh_from_db()
    assert alice.account.currency == "RUB"

    response = alice_client.post("/account/", account_form(alice.account, currency="XYZ"))
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["currency"][0].code == "invalid_choice"
    alice.account.refresh_from_db()
    assert alice.account.currency == "RUB"


def test_an_unknown_currency_set_by_hand_is_refused_by_the_model(alice):
    alice.account.currency = "ABC"
    with pytest.raises(ValidationError) as caught:
        alice.account.full_clean()
    assert caught.value.error_dict["currency"][0].code in {"invalid_choice", "invalid_currency"}


def test_the_language_switch_offers_the_five_languages_each_in_its_own_name(alice, alice_client):
    page = alice_client.get("/").content.decode()
    for code, name in [
        ("fr", "Français"),
        ("en", "English"),
        ("es", "Español"),
        ("it", "Italiano"),
        ("ru", "Русский"),
    ]:
        assert f'name="language" value="{code}" lang="{code}"' in page
        assert f">{name}</button>" in page

    response = alice_client.post("/language/", {"language": "ru", "next": "/clients/"})
    assert response.status_code == 302
    alice.account.refresh_from_db()
    assert alice.account.language == "ru"
    assert '<html lang="ru">' in alice_client.get("/clients/").content.decode()

    alice_client.post("/language/", {"language": "xx", "next": "/"})
    alice.account.refresh_from_db()
    assert alice.account.language == "ru"


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("es-ES,es;q=0.9", "es"),
        ("it-IT,it;q=0.9", "it"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,de;q=0.9", "fr"),  # a language we do not speak: the default
    ],
)
def test_a_visitor_gets_her_browsers_language(client, accept, language):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f'<html lang="{language}">' in page
