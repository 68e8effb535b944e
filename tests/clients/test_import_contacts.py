"""Her clients are in her phone: Google Contacts and Outlook CSV, a phone's .vcf, birthdays
without a year, all imported with the columns as guessed (nothing chosen by hand)."""

import base64
import datetime
import time
from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from business.dashboard import birthdays
from clients.importing import guess_mapping, parse_birthday
from clients.models import Client, ClientImport
from clients.vcard import COLUMNS, read_vcards
from tests.clients.test_import import clients_of, run_import, upload
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parent / "samples"


def sample(name):
    return (SAMPLES / name).read_bytes()


def by_first_name(account):
    return {client.first_name: client for client in clients_of(account)}


def e164(phone):
    return phone.as_e164 if phone else ""


# Birthdays


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("--07-19", (7, 19)),
        ("--0719", (7, 19)),
        ("19/07", (7, 19)),
        ("19.07", (7, 19)),
        ("07-19", (7, 19)),  # month first only where day first cannot be
        ("--02-29", (2, 29)),
        ("19850719", datetime.date(1985, 7, 19)),
        ("1985-07-19", datetime.date(1985, 7, 19)),
        ("7/19/1985", datetime.date(1985, 7, 19)),  # an English Outlook
        ("05/07/1985", datetime.date(1985, 7, 5)),  # day first when both could be
        ("--02-30", None),
        ("31/02", None),
        ("--13-01", None),
        ("soon", None),
    ],
)
def test_birthdays_with_or_without_a_year_are_read(text, expected):
    assert parse_birthday(text) == expected


def test_a_birthday_without_a_year_is_wished_without_an_age(alice):
    with scopes_disabled():
        ClientFactory(account=alice.account, first_name="Zoé", birthday_month=7, birthday_day=19)
        ClientFactory(
            account=alice.account, first_name="Anaïs", birth_date=datetime.date(1990, 7, 20)
        )
        rows = birthdays(alice.account, datetime.date(2027, 7, 18))
    assert [(row.date, row.age) for row in rows] == [
        (datetime.date(2027, 7, 19), None),
        (datetime.date(2027, 7, 20), 37),
    ]


def test_the_list_filter_and_the_card_know_a_birthday_without_a_year(alice_client, alice):
    today = datetime.date.today()
    with scopes_disabled():
        zoe = ClientFactory(
            account=alice.account,
            first_name="Zoé",
            birthday_month=today.month,
            birthday_day=today.day,
        )
        ClientFactory(account=alice.account, first_name="Inès")
    response = alice_client.get("/clients/?birthday=today")
    assert [client.pk for client in response.context["page"]] == [zoe.pk]
    response = alice_client.get(f"/clients/{zoe.pk}/")
    assert response.context["next_birthday"] == today


def test_a_whole_birth_date_replaces_the_day_and_month(alice):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, birthday_month=7, birthday_day=19)
        zoe.birth_date = datetime.date(1990, 3, 5)
        zoe.save()
        zoe.refresh_from_db()
    assert (zoe.birthday_month, zoe.birthday_day, zoe.birthday) == (None, None, (3, 5))


def test_a_day_that_does_not_exist_in_the_month_is_refused_on_the_card(alice_client, alice):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé", last_name="Martin")
    response = alice_client.post(
        f"/clients/{zoe.pk}/identity/",
        {"first_name": "Zoé", "last_name": "Martin", "birthday_day": "31", "birthday_month": "2"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["birthday_day"]] == ["invalid_birthday"]
    response = alice_client.post(
        f"/clients/{zoe.pk}/identity/",
        {"first_name": "Zoé", "last_name": "Martin", "birthday_day": "29", "birthday_month": "2"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        zoe.refresh_from_db()
    assert (zoe.birth_date, zoe.birthday) == (None, (2, 29))


# Google Contacts and Outlook CSV


def test_google_contacts_headers_are_guessed():
    headers = sample("google-contacts.csv").decode().splitlines()[0].split(",")
    guessed = {
        header: name for header, name in zip(headers, guess_mapping(headers), strict=True) if name
    }
    assert guessed == {
        "First Name": "first_name",
        "Middle Name": "middle_name",
        "Last Name": "last_name",
        "Birthday": "birth_date",
        "Notes": "notes",
        "E-mail 1 - Value": "email",
        "E-mail 2 - Value": "other_email",
        "Phone 1 - Value": "phone",
        "Phone 2 - Value": "phone2",
        "Address 1 - Street": "street",
        "Address 1 - City": "city",
        "Address 1 - Postal Code": "postal_code",
        "Address 1 - Extended Address": "access_notes",
    }


def test_outlook_headers_are_guessed_mobile_first_and_the_home_address():
    headers = sample("outlook-contacts.csv").decode("cp1252").splitlines()[0].split(",")
    guessed = {
        header: name for header, name in zip(headers, guess_mapping(headers), strict=True) if name
    }
    assert guessed == {
        "First Name": "first_name",
        "Middle Name": "middle_name",
        "Last Name": "last_name",
        "Language": "language",
        "Gender": "gender",
        "Birthday": "birth_date",
        "Notes": "notes",
        "E-mail Address": "email",
        "E-mail 2 Address": "other_email",
        "E-mail 3 Address": "other_email",
        "Primary Phone": "phone",
        "Mobile Phone": "phone2",
        "Home Phone": "other_phone",
        "Home Phone 2": "other_phone",
        "Business Phone": "other_phone",
        "Business Phone 2": "other_phone",
        "Other Phone": "other_phone",
        "Car Phone": "other_phone",
        "Home Street": "street",
        "Home Street 2": "access_notes",
        "Home Street 3": "access_notes",
        "Home City": "city",
        "Home Postal Code": "postal_code",
        "Categories": "category",
    }


def test_her_own_address_column_keeps_the_phone_book_address_out():
    mapping = guess_mapping(["Nom", "Adresse", "Address 1 - City", "Phone 1 - Value"])
    assert mapping == ["last_name", "street", "", "phone"]


@pytest.mark.parametrize("name", ["google-contacts.csv", "google-contacts-old.csv"])
def test_a_google_contacts_export_imports_completely_as_guessed(alice_client, alice, name):
    client_import = run_import(alice_client, sample(name), name)
    assert (client_import.status, client_import.created) == (ClientImport.Status.DONE, 3)
    assert client_import.rejected == []
    clients = by_first_name(alice.account)
    assert set(clients) == {"Camille", "Hélène", "Zoé"}

    camille = clients["Camille"]
    assert camille.last_name == "Lefèvre"
    assert (e164(camille.phone), e164(camille.phone2)) == ("+33612345678", "+33142001122")
    assert camille.email == "camille.lefevre@example.com"
    assert (camille.street, camille.postal_code, camille.city) == (
        "12 rue des Lilas",
        "75011",
        "Paris",
    )
    assert camille.access_notes == "Bâtiment B"
    assert (camille.birth_date, camille.birthday) == (None, (7, 19))
    assert camille.notes.startswith("Préfère les rendez-vous le matin.")

    helene = clients["Hélène"]
    assert helene.birth_date == datetime.date(1985, 3, 2)
    assert helene.email == "helene.ndiaye@example.com"
    assert (helene.street, helene.postal_code, helene.city) == (
        "14 avenue Jean Jaurès",
        "69007",
        "Lyon",
    )
    zoe = clients["Zoé"]
    assert e164(zoe.phone) == "+33698765432"  # her only number, whatever its column
    assert zoe.birth_date is None and zoe.birthday is not None
    if name == "google-contacts.csv":
        # A second e-mail is kept in the notes; a formatted address alone fills the street.
        assert "h.ndiaye@travail-example.fr" in helene.notes
        assert e164(helene.phone2) == "+33478001234"
        assert zoe.birthday == (2, 29)
    else:
        # Several numbers in one cell ("a ::: b"): the first is the phone, none is lost.
        assert (e164(helene.phone), e164(helene.phone2)) == ("+33781223404", "+33478001234")
        assert "+33 6 55 44 33 22" in helene.notes and "04 78 99 88 77" in helene.notes
        assert "c.lefevre@atelier-example.fr" in camille.notes
        assert zoe.birthday == (12, 24)


def test_an_outlook_export_imports_completely_as_guessed(alice_client, alice):
    client_import = run_import(alice_client, sample("outlook-contacts.csv"), "contacts.csv")
    assert (client_import.created, client_import.rejected) == (2, [])
    clients = by_first_name(alice.account)
    camille = clients["Camille"]
    assert (e164(camille.phone), e164(camille.phone2)) == ("+33612345678", "+33142001122")
    assert "01 40 00 00 01" in camille.notes  # the business phone, third, kept in the notes
    assert camille.birth_date == datetime.date(1990, 7, 19)
    assert (camille.street, camille.postal_code, camille.city) == (
        "12 rue des Lilas",
        "75011",
        "Paris",
    )
    assert camille.access_notes == "Bâtiment B"
    assert camille.category.name == "Clientes"
    helene = clients["Hélène"]
    # No mobile: the home phone becomes her phone, the business one her second phone.
    assert (e164(helene.phone), e164(helene.phone2)) == ("+33478998877", "+33478001234")
    assert helene.birth_date is None and helene.birthday is None  # Outlook's "0/0/00"
    assert helene.city == "Lyon"


# A phone's contacts (.vcf)


def test_an_iphone_vcf_imports_completely_with_its_columns_already_mapped(alice_client, alice):
    response, client_import = upload(alice_client, sample("iphone-contacts.vcf"), "Contacts.vcf")
    assert response.status_code == 302
    assert client_import.mapping == COLUMNS
    response = alice_client.get(f"/clients/import/{client_import.pk}/")
    assert response.context["counts"]["ready"] == 3
    form = response.context["form"]
    assert [form[f"column_{index}"].initial for index in range(len(COLUMNS))] == COLUMNS

    client_import = run_import(alice_client, sample("iphone-contacts.vcf"), "Contacts.vcf")
    assert (client_import.created, client_import.rejected) == (3, [])
    clients = by_first_name(alice.account)
    camille = clients["Camille"]
    assert camille.last_name == "Lefèvre"
    # Her preferred mobile first, though the home number comes first in the card.
    assert (e164(camille.phone), e164(camille.phone2)) == ("+33612345678", "+33142001122")
    assert camille.email == "camille.lefevre@example.com"
    assert (camille.street, camille.postal_code, camille.city) == (
        "12 rue des Lilas",
        "75011",
        "Paris",
    )
    assert camille.access_notes == "Bâtiment B"
    assert (camille.birth_date, camille.birthday) == (None, (7, 19))  # X-APPLE-OMIT-YEAR
    # A folded note with escaped commas and a line break, then the work e-mail kept.
    assert camille.notes.startswith(
        "Préfère les rendez-vous le matin. Ongles fins, pas de lime métal.\n"
        "Code porte 4521B, 3e étage."
    )
    assert "c.lefevre@atelier-example.fr" in camille.notes
    helene = clients["Hélène"]
    assert helene.birth_date == datetime.date(1985, 3, 2)
    assert (e164(helene.phone), e164(helene.phone2)) == ("+33781223404", "+33478001234")
    assert "04 78 00 12 35" not in helene.notes  # a fax is no phone
    zoe = clients["Zoé"]
    assert (zoe.birthday, zoe.city, zoe.email) == ((12, 24), "Bordeaux", "")


def test_an_android_vcf_in_quoted_printable_with_a_broken_card(alice_client, alice):
    client_import = run_import(alice_client, sample("android-contacts.vcf"), "contacts.vcf")
    assert client_import.status == ClientImport.Status.DONE
    assert client_import.created == 3
    # The card cut short is refused alone, on the line it begins; the next one is read.
    [refused] = client_import.rejected
    assert refused["line"] == 50
    clients = by_first_name(alice.account)
    assert set(clients) == {"Élodie", "Anaïs", "Inès"}
    elodie = clients["Élodie"]
    assert elodie.last_name == "Roux"
    assert (e164(elodie.phone), e164(elodie.phone2)) == ("+33611223344", "+33556112233")
    assert (elodie.street, elodie.postal_code, elodie.city) == (
        "8 allée des Pins",
        "33700",
        "Mérignac",
    )
    assert elodie.birthday == (7, 19) and elodie.birth_date is None
    assert elodie.notes == (
        "Allergique au latex.\nPréfère le vernis semi-permanent, couleurs pastel ; vient "
        "toutes les trois semaines, le samedi matin de préférence."
    )
    assert clients["Anaïs"].birth_date == datetime.date(1990, 5, 12)
    assert e164(clients["Inès"].phone) == "+32470123456"


def test_a_vcard_4_with_tel_uris_and_pref(alice_client, alice):
    client_import = run_import(alice_client, sample("contacts-v4.vcf"), "export.vcf")
    assert client_import.created == 1
    [sarah] = clients_of(alice.account)
    assert (e164(sarah.phone), e164(sarah.phone2)) == ("+33645678901", "+33145678900")
    assert (sarah.birthday, sarah.city, sarah.notes) == (
        (7, 19),
        "Marseille",
        "Cliente depuis 2019.",
    )


def test_the_same_contacts_imported_twice_create_nobody_twice(alice_client, alice):
    run_import(alice_client, sample("iphone-contacts.vcf"), "Contacts.vcf")
    again = run_import(alice_client, sample("iphone-contacts.vcf"), "Contacts.vcf")
    assert (again.created, again.skipped) == (0, 3)
    assert len(clients_of(alice.account)) == 3


def test_a_contact_photo_is_never_decoded(alice_client, alice):
    """A card with a 4 MB photo: its base64 is left out line by line, the card imported."""
    photo = base64.b64encode(b"\xff\xd8" + b"\x00" * 3_000_000).decode()
    folded = "\r\n ".join(photo[index : index + 74] for index in range(0, len(photo), 74))
    data = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Zoé;;;\r\nTEL;type=CELL:06 98 76 54 32\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nNOTE:Après la photo\r\nEND:VCARD\r\n"
    ).encode()
    started = time.perf_counter()
    table = read_vcards(data)
    elapsed = time.perf_counter() - started
    print(f"\n.vcf of {len(data) / 1e6:.1f} MB with one photo read in {elapsed:.2f} s")
    [(_line, values)] = table.rows
    assert values[COLUMNS.index("notes")] == "Après la photo"
    client_import = run_import(alice_client, data, "photo.vcf")
    assert client_import.created == 1


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is not a contact",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Zo\xc3\xa9\r\n",  # never ends
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nthis line has no colon\r\nEND:VCARD\r\n",
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE;CHARSET=NOPE:=C3=A9\r\n"
        b"END:VCARD\r\n",
    ],
)
def test_a_broken_contacts_file_never_answers_500(alice_client, alice, data):
    response, client_import = upload(alice_client, data, "contacts.vcf")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].has_error("file")
        return
    response = alice_client.get(f"/clients/import/{client_import.pk}/")
    assert response.status_code == 200
    assert response.context["counts"]["errors"] == 1
    client_import = run_import(alice_client, data, "contacts.vcf")
    assert client_import.created == 0
    assert len(client_import.rejected) == 1
    with scopes_disabled():
        assert not Client.objects.filter(account=alice.account).exists()
