"""Control characters (Word's vertical tab, ESC, NUL) never reach a client nor break an export.

Through the forms, through an import, and straight in the database (rows stored before the
clean step existed): both Excel exports and the CSV exports open.
"""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from clients.importing import run_client_import
from clients.models import Client, ClientImport
from tests.factories import ClientFactory, VisitFactory, make_pro

pytestmark = pytest.mark.django_db
DIRTY = "Zo\x0bé\x1b[1m\x00"


def test_the_forms_strip_them_from_a_name_and_a_note(alice_client):
    response = alice_client.post("/clients/new/", {"first_name": DIRTY, "last_name": "Mar\x1btin"})
    assert response.status_code == 302
    with scopes_disabled():
        client = Client.objects.get()
    response = alice_client.post(
        f"/clients/{client.pk}/preferences/",
        {"notes": "Line one\x0bline two\x1b\x00\nThird\tline"},
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.first_name == "Zo é[1m"
    assert client.last_name == "Martin"
    assert client.notes == "Line one line two\nThird\tline"


def test_the_import_strips_them_from_every_cell(alice_client, alice):
    make_pro(alice.account)
    # A NUL in the first 4 KB reads as a binary file, refused as not a table: put it after.
    filler = "".join(f"Cliente{n};Filler{n};{'x' * 60}\r\n" for n in range(80))
    rows = "Prénom;Nom;Notes\r\nZo\x0bé;Mar\x1btin;Note\x1b one\x0bsecond\r\n" + filler
    data = (rows + "Léa;Dupont;NUL\x00 here\r\n").encode("utf-8")
    response = alice_client.post(
        "/clients/import/", {"file": SimpleUploadedFile("clients.csv", data)}
    )
    assert response.status_code == 302
    with scopes_disabled():
        client_import = ClientImport.objects.get()
    post = {f"column_{i}": name for i, name in enumerate(client_import.mapping)}
    alice_client.post(f"/clients/import/{client_import.pk}/", {**post, "start": ""})
    assert run_client_import.call(str(client_import.pk)) is True
    with scopes_disabled():
        clients = {c.last_name: c for c in Client.objects.filter(account=alice.account)}
    assert clients["Martin"].first_name == "Zo é"
    assert clients["Martin"].notes == "Note one second"
    assert clients["Dupont"].notes == "NUL here"


@pytest.fixture
def dirty_client(alice):
    """Stored before the clean step: the exports must cope with what the database holds."""
    # PostgreSQL cannot store a NUL at all; SQLite can.
    nul = "" if connection.vendor == "postgresql" else "\x00"
    with scopes_disabled():
        zoe = ClientFactory(
            account=alice.account, first_name=f"Zo\x0bé\x1b[1m{nul}", notes=f"a\x0bb\x1bc{nul}d"
        )
        VisitFactory(client=zoe, technique_notes=f"gel\x0b\x1b[0m{nul}")
    return zoe


def xlsx_texts(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]


def test_both_excel_exports_open(alice_client, dirty_client):
    clients = xlsx_texts(alice_client.get("/clients/export/?format=xlsx"))
    visits = xlsx_texts(alice_client.get("/visits/export/?format=xlsx"))

    assert "Zo é[1m" in clients
    assert "a bcd" in clients
    assert "gel [0m" in visits


@pytest.mark.parametrize("url", ["/clients/export/?format=csv", "/visits/export/?format=csv"])
def test_the_csv_exports_hold_no_control_character(alice_client, dirty_client, url):
    response = alice_client.get(url)
    text = response.content.decode("utf-8-sig")
    assert not any(ord(c) < 32 and c not in "\t\r\n" for c in text)
    assert list(csv.reader(io.StringIO(text)))


def test_the_account_export_csv_holds_no_control_character(alice, dirty_client):
    from business.account_export import Exporter

    buffer = io.BytesIO()
    with scopes_disabled():
        Exporter(alice.account).write(buffer)
    with zipfile.ZipFile(buffer) as archive:
        text = archive.read("clients_client.csv").decode("utf-8-sig")
    assert "Zo é[1m" in text
    assert not any(ord(c) < 32 and c not in "\t\r\n" for c in text)
