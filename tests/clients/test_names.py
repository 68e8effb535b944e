"""Names as people write them: the patronymic of Russian names, Cyrillic folded for search and
sorting on SQLite and PostgreSQL alike, the A–Z index in Cyrillic for a Russian account."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from clients.importing import guess_mapping, run_client_import
from clients.models import Client, ClientImport
from clients.queries import search
from clients.services import client_erase
from nailpro.text import fold
from tests.factories import ClientFactory, make_pro

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian(alice):
    alice.account.language = "ru"
    alice.account.save()
    return alice


def names(account, **filters):
    with scopes_disabled():
        return list(
            Client.objects.filter(account=account, **filters).values_list("first_name", flat=True)
        )


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Елена", "елена"),
        ("ЕЛЕНА", "елена"),
        ("Алёна", "алена"),
        ("АЛЁНА", "алена"),
        ("Андрей Йошкин", "андрей йошкин"),  # й stays й: it is a letter of its own
        ("N’Diaye Hélène", "ndiaye helene"),
    ],
)
def test_fold_is_case_and_accent_blind_in_cyrillic_and_latin(text, folded):
    assert fold(text) == folded


def test_search_finds_cyrillic_names_whatever_the_case_and_with_e_for_yo(alice):
    with scopes_disabled():
        for first, last in [("Елена", "Иванова"), ("Алёна", "Смирнова"), ("Hélène", "Petit")]:
            ClientFactory(account=alice.account, first_name=first, last_name=last)
        clients = Client.objects.filter(account=alice.account)
        found = {
            text: sorted(c.first_name for c in search(clients, text))
            for text in ["елена", "ЕЛЕНА", "алена", "Алёна", "ивано", "helene"]
        }
    assert found == {
        "елена": ["Елена"],
        "ЕЛЕНА": ["Елена"],
        "алена": ["Алёна"],
        "Алёна": ["Алёна"],
        "ивано": ["Елена"],
        "helene": ["Hélène"],
    }


def test_the_list_is_sorted_alphabetically_in_cyrillic_with_yo_as_e(alice, alice_client):
    with scopes_disabled():
        for first in ["Юлия", "Ёлка", "Борис", "Алла", "Жанна", "Ева", "Анна"]:
            ClientFactory(account=alice.account, first_name=first, last_name="")
    rows = alice_client.get("/clients/").context["page"].object_list
    assert [client.first_name for client in rows] == [
        "Алла",
        "Анна",
        "Борис",
        "Ева",
        "Ёлка",
        "Жанна",
        "Юлия",
    ]


def test_a_patronymic_is_shown_the_russian_way_and_found_by_search(russian, alice_client):
    response = alice_client.post(
        "/clients/new/", {"first_name": "Елена", "last_name": "Иванова", "phone": "0612345678"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        elena = Client.objects.get()
    identity = alice_client.get(f"/clients/{elena.pk}/identity/").context["form"]
    assert "patronymic" in identity.fields
    response = alice_client.post(
        f"/clients/{elena.pk}/identity/",
        {
            "first_name": "Елена",
            "last_name": "Иванова",
            "patronymic": "Петровна",
            "phone": "0612345678",
            "language": "ru",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        elena.refresh_from_db()
        found = list(search(Client.objects.all(), "петровна"))
    assert elena.display_name == "Иванова Елена Петровна"
    assert found == [elena]
    assert "Иванова Елена Петровна" in alice_client.get(elena.get_absolute_url()).content.decode()
    assert "Иванова Елена Петровна" in alice_client.get("/clients/").content.decode()
    # Without a patronymic her name reads as before, first name first.
    with scopes_disabled():
        zoe = ClientFactory(account=russian.account, first_name="Zoé", last_name="Martin")
    assert zoe.display_name == "Zoé Martin"


def test_the_patronymic_is_asked_only_where_names_carry_one(alice, alice_client):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account)
        olga = ClientFactory(account=alice.account, first_name="Ольга", patronymic="Ивановна")
    assert (
        "patronymic" not in alice_client.get(f"/clients/{zoe.pk}/identity/").context["form"].fields
    )
    assert "patronymic" in alice_client.get(f"/clients/{olga.pk}/identity/").context["form"].fields


def test_the_a_to_z_index_is_cyrillic_then_latin_on_a_russian_account(alice, alice_client):
    with scopes_disabled():
        for first in ["Елена", "Ёлка", "Emma", "Юлия", "123"]:
            ClientFactory(account=alice.account, first_name=first, last_name="")
    letters = alice_client.get("/clients/").context["letters"]
    assert "Е" not in letters  # French account: Latin only
    # Cyrillic names are not under a Latin letter: on a French account they are under #.
    hashed = alice_client.get("/clients/?letter=%23").context["page"].object_list
    assert sorted(c.first_name for c in hashed) == ["123", "Ёлка", "Елена", "Юлия"]

    alice.account.language = "ru"
    alice.account.save()
    letters = alice_client.get("/clients/").context["letters"]
    assert letters[:3] == ["А", "Б", "В"]
    assert letters[-27:] == [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "#"]
    under_e = alice_client.get("/clients/?letter=Е").context["page"].object_list
    assert sorted(c.first_name for c in under_e) == ["Ёлка", "Елена"]
    hashed = alice_client.get("/clients/?letter=%23").context["page"].object_list
    assert [c.first_name for c in hashed] == ["123"]


def test_the_patronymic_goes_with_her_erasure(alice):
    with scopes_disabled():
        olga = ClientFactory(account=alice.account, first_name="Ольга", patronymic="Ивановна")
        client_erase(client=olga)
        olga.refresh_from_db()
    assert olga.patronymic == ""
    assert "ивановна" not in olga.search_name


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";" if ";" in text[:200] else ","))


def test_the_list_export_has_the_patronymic_and_her_language(alice, alice_client, english):
    with scopes_disabled():
        ClientFactory(
            account=alice.account,
            first_name="Елена",
            last_name="Иванова",
            patronymic="Петровна",
            language="ru",
        )
    [row] = read_csv(alice_client.get("/clients/export/?format=csv"))
    assert row["Patronymic"] == "Петровна"
    assert row["Her language"] == "Russian"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Фамилия", "Имя", "Отчество", "Телефон", "Эл. почта", "Дата рождения", "Город"],
            ["last_name", "first_name", "patronymic", "phone", "email", "birth_date", "city"],
        ),
        (
            ["ФИО", "Мобильный", "Примечание", "Язык"],
            ["full_name_lfp", "phone", "notes", "language"],
        ),
        (
            ["Nombre", "Apellidos", "Teléfono móvil", "Población", "Idioma", "Observaciones"],
            ["first_name", "last_name", "phone", "city", "language", "notes"],
        ),
        (
            ["Nome", "Cognome", "Cellulare", "Comune", "Lingua", "Note"],
            ["first_name", "last_name", "phone", "city", "language", "notes"],
        ),
        (
            ["Prénom", "Nom", "Portable", "Langue"],
            ["first_name", "last_name", "phone", "language"],
        ),
        # Google Contacts' older export, and what iPhone export apps write.
        (
            ["Given Name", "Additional Name", "Family Name", "Mobile Phone"],
            ["first_name", "middle_name", "last_name", "phone"],
        ),
        (
            ["First", "Middle", "Last", "iPhone"],
            ["first_name", "middle_name", "last_name", "phone"],
        ),
    ],
)
def test_import_headers_are_guessed_in_five_languages_and_from_phone_books(headers, expected):
    assert guess_mapping(headers) == expected


def import_csv(http, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    http.post(
        "/clients/import/",
        {"file": SimpleUploadedFile("clients.csv", buffer.getvalue().encode("utf-8"))},
    )
    with scopes_disabled():
        client_import = ClientImport.objects.get()
    post = {f"column_{i}": name for i, name in enumerate(client_import.mapping)}
    http.post(f"/clients/import/{client_import.pk}/", {**post, "start": ""})
    assert run_client_import.call(str(client_import.pk)) is True


def test_a_russian_list_imports_patronymics_languages_and_full_names(russian, alice_client):
    make_pro(russian.account)
    import_csv(
        alice_client,
        [
            ["ФИО", "Телефон", "Язык"],
            ["Иванова Елена Петровна", "+79161234567", "русский"],
            ["Smith Mary", "+447400123456", "English"],
            ["Петрова Ольга", "+79161234568", ""],
        ],
    )
    with scopes_disabled():
        clients = {
            c.last_name: (c.first_name, c.patronymic, c.language)
            for c in Client.objects.filter(account=russian.account)
        }
    assert clients == {
        "Иванова": ("Елена", "Петровна", "ru"),
        "Smith": ("Mary", "", "en"),
        "Петрова": ("Ольга", "", "ru"),  # no language given: the account's
    }


def test_a_middle_name_is_a_patronymic_on_a_russian_account_only(alice, alice_client):
    import_csv(
        alice_client,
        [
            ["First Name", "Middle Name", "Last Name", "Language"],
            ["Anne", "Marie", "Dupont", "Anglais"],
        ],
    )
    with scopes_disabled():
        anne = Client.objects.get()
    assert (anne.first_name, anne.patronymic, anne.language) == ("Anne Marie", "", "en")
    assert anne.display_name == "Anne Marie Dupont"
