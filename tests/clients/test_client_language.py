"""Each client's language: what she receives (consent form, printed form, export summary) is
in it; the consent text v1 exists in the five languages."""

import io
import json
import zipfile

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from clients.data_export import client_export
from clients.models import Client, ConsentEvent, ConsentText, SignedConsent
from tests.errors import error_codes
from tests.factories import PASSWORD, ClientFactory, signature_data_url

pytestmark = pytest.mark.django_db

ANSWERS = {
    "data_processing": "yes",
    "health": "no",
    "reminders": "yes",
    "marketing": "no",
    "image_rights": "no",
}


@pytest.fixture
def mary(alice):
    """An English-speaking client of a French technician."""
    with scopes_disabled():
        return ClientFactory(
            account=alice.account, first_name="Mary", last_name="Jones", language="en"
        )


def sign(http, client, text):
    data = {**ANSWERS, "text": text.pk, "signature": signature_data_url()}
    response = http.post(f"/clients/{client.pk}/consent-form/", data)
    http.post("/accounts/kiosk/unlock/", {"secret": PASSWORD})
    return response


def test_a_new_client_speaks_her_technicians_language_until_told_otherwise(alice, alice_client):
    alice_client.post("/clients/new/", {"first_name": "Zoé", "phone": "0612345678"})
    alice.account.language = "ru"
    alice.account.save()
    alice_client.post("/clients/new/", {"first_name": "Елена", "phone": "0612345679"})
    with scopes_disabled():
        languages = dict(Client.objects.values_list("first_name", "language"))
    assert languages == {"Zoé": "fr", "Елена": "ru"}


def test_a_client_without_a_language_is_written_to_in_her_technicians(alice):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account)
        Client.objects.filter(pk=zoe.pk).update(language="")  # a card from before languages
        zoe.refresh_from_db()
    assert zoe.spoken_language == "fr"
    zoe.account.language = "it"
    assert zoe.spoken_language == "it"


def test_her_language_is_chosen_on_the_identity_form(alice_client, mary):
    url = f"/clients/{mary.pk}/identity/"
    choices = alice_client.get(url).context["form"].fields["language"].choices
    assert [code for code, _name in choices] == [code for code, _name in settings.LANGUAGES]

    response = alice_client.post(url, {"first_name": "Mary", "language": "es"})
    assert response.status_code == 302
    with scopes_disabled():
        mary.refresh_from_db()
    assert mary.language == "es"

    response = alice_client.post(url, {"first_name": "Mary", "language": "de"})
    assert response.status_code == 200
    assert error_codes(response, "language") == ["invalid_choice"]
    with scopes_disabled():
        mary.refresh_from_db()
    assert mary.language == "es"


def test_an_english_client_signs_the_english_form_on_a_french_account(alice_client, mary):
    page = alice_client.get(f"/clients/{mary.pk}/consent-form/")
    english = ConsentText.current("en")
    assert page.context["text"] == english
    html = page.content.decode()
    assert english.title in html
    assert ConsentText.current("fr").title not in html
    assert '<article class="consent-document" lang="en">' in html
    assert "Sign the form" in html  # the form's own words are hers too, not the account's

    assert sign(alice_client, mary, english).status_code == 302
    with scopes_disabled():
        signed = SignedConsent.objects.get(client=mary)
        mary.refresh_from_db()
        consent = mary.has_consent(ConsentEvent.Kind.REMINDERS)
    assert signed.text.language == "en"
    assert signed.canonical().count(english.body) == 1
    assert signed.integrity_verified()
    assert consent is True
    assert mary.language == "en"


def test_her_printed_form_and_the_signed_page_are_in_her_language(alice_client, mary):
    printed = alice_client.get(f"/clients/{mary.pk}/consent-form/print/")
    assert printed.context["text"].language == "en"
    assert ConsentText.current("en").statements()[0][2] in printed.content.decode()

    sign(alice_client, mary, ConsentText.current("en"))
    with scopes_disabled():
        signed = SignedConsent.objects.get(client=mary)
    page = alice_client.get(signed.get_absolute_url()).content.decode()
    assert ConsentText.current("en").title in page


@pytest.mark.parametrize("language", ["es", "it", "ru"])
def test_a_client_is_given_the_form_in_spanish_italian_or_russian(alice_client, alice, language):
    with scopes_disabled():
        client = ClientFactory(account=alice.account, language=language)
    text = alice_client.get(f"/clients/{client.pk}/consent-form/").context["text"]
    assert (text.language, text.version) == (language, 1)
    sign(alice_client, client, text)
    with scopes_disabled():
        assert SignedConsent.objects.get(client=client).text == text


def test_she_may_read_another_language_and_it_becomes_hers(alice_client, mary):
    italian = ConsentText.current("it")
    page = alice_client.get(f"/clients/{mary.pk}/consent-form/?language=it")
    assert page.context["text"] == italian
    sign(alice_client, mary, italian)
    with scopes_disabled():
        mary.refresh_from_db()
    assert mary.language == "it"


def test_the_consent_text_v1_exists_in_every_language_each_statement_its_own():
    texts = {code: ConsentText.current(code) for code, _name in settings.LANGUAGES}
    assert {code: text.language for code, text in texts.items()} == {code: code for code in texts}
    assert all(text.version == 1 for text in texts.values())
    for field in ["title", "body", *ConsentText.STATEMENT_FIELDS]:
        wordings = [getattr(text, field) for text in texts.values()]
        assert all(wording.strip() for wording in wordings)
        assert len(set(wordings)) == len(wordings), field  # translated, not copied
    assert "здоровь" in texts["ru"].health
    assert "salud" in texts["es"].health
    assert "salute" in texts["it"].health


def test_her_export_summary_is_in_her_language(alice, mary):
    with scopes_disabled():
        archive = zipfile.ZipFile(io.BytesIO(client_export(mary, alice)))
    summary = archive.read("summary.html").decode()
    assert '<html lang="en">' in summary
    assert "Everything NailPro holds about you" in summary


def test_her_language_and_patronymic_are_in_her_data_export(alice):
    with scopes_disabled():
        elena = ClientFactory(
            account=alice.account,
            first_name="Елена",
            last_name="Иванова",
            patronymic="Петровна",
            language="ru",
        )
        archive = zipfile.ZipFile(io.BytesIO(client_export(elena, alice)))
    data = json.loads(archive.read("data.json"))
    assert data["identity"]["patronymic"] == "Петровна"
    assert data["identity"]["language"] == "ru"
    summary = archive.read("summary.html")
    assert "<h1>Иванова Елена Петровна</h1>" in summary.decode()
