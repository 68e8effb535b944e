"""Importing a client list from another tool: any encoding and separator, columns guessed and
corrected, rows checked before, created in the background, duplicates and plan limit kept."""

import csv
import datetime
import io
import time
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from clients.importing import client_import_queue, guess_mapping, run_client_import
from clients.models import Category, Client, ClientImport
from tests.factories import ClientFactory, image_bytes, make_pro

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "clients" / "sample" / "clientes-exemple.csv"


def upload(http, data, name="clientes.csv"):
    """Upload a file; return the response and the import it created (or None)."""
    response = http.post("/clients/import/", {"file": SimpleUploadedFile(name, data)})
    with scopes_disabled():
        return response, ClientImport.objects.order_by("-created_at").first()


def run_import(http, data, name="clientes.csv", mapping=None):
    """Upload, confirm the guessed (or given) columns, and run the background task."""
    response, client_import = upload(http, data, name)
    assert response.status_code == 302, response.content.decode()
    chosen = mapping if mapping is not None else client_import.mapping
    post = {f"column_{index}": name for index, name in enumerate(chosen)}
    response = http.post(f"/clients/import/{client_import.pk}/", {**post, "start": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/clients/import/{client_import.pk}/progress/"
    assert run_client_import.call(str(client_import.pk)) is True
    with scopes_disabled():
        client_import.refresh_from_db()
    return client_import


def clients_of(account):
    with scopes_disabled():
        return list(Client.objects.filter(account=account).order_by("search_name"))


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def test_the_sample_list_imports_its_15_clients_whole(alice_client, alice, media_root):
    """The sample (UTF-8 with BOM, semicolons, French headers) imports every detail."""
    client_import = run_import(alice_client, SAMPLE.read_bytes(), SAMPLE.name)
    # The uploaded copy of her list is deleted once imported.
    assert not client_import.file
    assert not [path for path in media_root.rglob("*") if path.is_file()]

    assert client_import.status == ClientImport.Status.DONE
    assert (client_import.total, client_import.done, client_import.created) == (15, 15, 15)
    assert client_import.rejected == []
    clients = clients_of(alice.account)
    assert len(clients) == 15
    helene = next(c for c in clients if c.first_name == "Hélène")
    assert helene.last_name == "N'Diaye"
    assert helene.phone.as_e164 == "+33612345107"
    assert helene.email == "helene.ndiaye@example.fr"
    assert helene.birth_date == datetime.date(1988, 2, 29)
    assert (helene.street, helene.postal_code, helene.city) == (
        "6 impasse des Tisserands",
        "69100",
        "Villeurbanne",
    )
    assert helene.notes == "Semi-permanent toutes les 3 semaines"
    assert helene.search_name == "helene ndiaye"  # found by the list's search


def test_the_sample_is_linked_from_the_import_page(alice_client):
    page = alice_client.get("/clients/import/")
    assert 'href="/clients/import/sample.csv"' in page.content.decode()
    response = alice_client.get("/clients/import/sample.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == SAMPLE.read_bytes()


@pytest.mark.parametrize(
    "headers",
    [
        ["Prénom", "NOM", "Téléphone", "E-mail", "Date de naissance", "Adresse", "Code postal"],
        ["First name", "Last name", "Phone", "Email", "Birthday", "Address", "ZIP"],
        [
            "Nombre",
            "Apellido",
            "Teléfono",
            "Correo",
            "Fecha de nacimiento",
            "Dirección",
            "Código postal",
        ],
        ["Nome", "Cognome", "Telefono", "e-mail", "Data di nascita", "Indirizzo", "CAP"],
    ],
)
def test_columns_are_guessed_from_french_english_spanish_and_italian_headers(headers):
    assert guess_mapping([*headers, "Ville", "Couleur préférée"]) == [
        "first_name",
        "last_name",
        "phone",
        "email",
        "birth_date",
        "street",
        "postal_code",
        "city",
        "",
    ]


def test_a_column_is_given_to_one_field_only_except_notes():
    assert guess_mapping(["Téléphone", "Portable", "Notes", "Remarques"]) == [
        "phone",
        "",
        "notes",
        "notes",
    ]


def test_a_utf8_file_with_bom_and_commas(alice_client, alice):
    data = "\ufeff".encode() + csv_bytes([["first name", "last name"], ["Zoé", "Lefèvre"]])
    run_import(alice_client, data)
    [zoe] = clients_of(alice.account)
    assert (zoe.first_name, zoe.last_name) == ("Zoé", "Lefèvre")


def test_a_tab_separated_file(alice_client, alice):
    data = csv_bytes([["Prénom", "Nom", "Ville"], ["Zoé", "Martin", "Lyon"]], delimiter="\t")
    run_import(alice_client, data, "clientes.txt")
    [zoe] = clients_of(alice.account)
    assert (zoe.first_name, zoe.city) == ("Zoé", "Lyon")


def test_a_latin1_file_from_old_excel(alice_client, alice):
    rows = [["Prénom", "Nom", "Téléphone", "Notes"], ["Hélène", "Dupré", "0612345678", "Crème €"]]
    run_import(alice_client, csv_bytes(rows, delimiter=";", encoding="cp1252"))
    [helene] = clients_of(alice.account)
    assert (helene.first_name, helene.last_name, helene.notes) == ("Hélène", "Dupré", "Crème €")


def test_an_excel_unicode_text_file_in_utf16(alice_client, alice):
    text = "Prénom\tNom\tTéléphone\r\nZoé\tMartin\t06 12 34 56 78\r\n"
    run_import(alice_client, text.encode("utf-16"), "clientes.txt")
    [zoe] = clients_of(alice.account)
    assert (zoe.first_name, zoe.phone.as_e164) == ("Zoé", "+33612345678")


def test_empty_lines_are_skipped(alice_client, alice):
    data = b"Prenom;Nom\r\n\r\nZoe;Martin\r\n;\r\n   \r\nLina;Petit\r\n\r\n"
    client_import = run_import(alice_client, data)
    assert (client_import.total, client_import.created) == (2, 2)
    assert client_import.rejected == []
    assert [c.first_name for c in clients_of(alice.account)] == ["Lina", "Zoe"]


def test_dates_day_first_or_iso_in_csv(alice_client, alice):
    rows = [
        ["Prénom", "Téléphone", "Date de naissance"],
        ["Zoé", "0612345601", "05/03/1990"],
        ["Lina", "0612345602", "1985-12-24"],
        ["Inès", "0612345603", "31/02/1990"],
        ["Anna", "0612345604", "hier"],
    ]
    client_import = run_import(alice_client, csv_bytes(rows))
    births = {c.first_name: c.birth_date for c in clients_of(alice.account)}
    assert births == {"Zoé": datetime.date(1990, 3, 5), "Lina": datetime.date(1985, 12, 24)}
    assert [entry["line"] for entry in client_import.rejected] == [4, 5]


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_excel_file_with_real_date_cells_numbers_and_a_formula(alice_client, alice):
    """Excel dates are read as dates, a phone typed as a number keeps working, and a formula
    is stored as its text, never run."""
    formula = '=HYPERLINK("https://example.com/phish","Cliquez")'
    rows = [
        ["Prénom", "Nom", "Téléphone", "Date de naissance", "Notes"],
        ["Zoé", "Martin", 612345678, datetime.datetime(1990, 3, 5), formula],
        ["Lina", "Petit", "06 98 76 54 32", datetime.date(1985, 12, 24), "Gel"],
    ]
    run_import(alice_client, xlsx_bytes(rows), "export.xlsx")
    lina, zoe = clients_of(alice.account)
    assert zoe.birth_date == datetime.date(1990, 3, 5)
    assert zoe.phone.as_e164 == "+33612345678"
    assert zoe.notes == formula
    assert lina.birth_date == datetime.date(1985, 12, 24)


def test_a_formula_cell_in_a_csv_is_stored_as_plain_text(alice_client, alice):
    formula = '=HYPERLINK("https://example.com/phish";"Cliquez")'
    rows = [["Prénom", "Nom", "Notes"], [formula, "Martin", "@SUM(1+1)"]]
    run_import(alice_client, csv_bytes(rows, delimiter=","))
    [client] = clients_of(alice.account)
    assert client.first_name == formula[:80]
    assert client.notes == "@SUM(1+1)"
    card = alice_client.get(client.get_absolute_url()).content.decode()
    assert '<a href="https://example.com/phish"' not in card


def test_the_preview_shows_each_row_with_its_error(alice_client, alice):
    with scopes_disabled():
        ClientFactory(account=alice.account, phone="+33612345601", email="")
        ClientFactory(account=alice.account, phone="", email="lina@example.com", first_name="L")
    rows = [
        ["Prénom", "Nom", "Téléphone", "E-mail", "Date de naissance"],
        ["Zoé", "Martin", "06 12 34 56 01", "", ""],  # same phone as a client already there
        ["Lina", "Petit", "", "LINA@example.com", ""],  # same e-mail
        ["Inès", "Roux", "12", "", ""],  # invalid phone
        ["Anna", "Blanc", "0612345699", "", "32/13/1990"],  # bad date
        ["Maya", "Noir", "0612345698", "", ""],
        ["Maya bis", "Noir", "06.12.34.56.98", "", ""],  # same phone as the row above
        ["", "", "", "", ""],
        ["Eva", "Vert", "", "eva@example", ""],  # invalid e-mail
    ]
    response, _client_import = upload(alice_client, csv_bytes(rows))
    page = alice_client.get(response["Location"])

    assert page.status_code == 200
    preview = page.context["rows"]
    assert [row.line for row in preview] == [2, 3, 4, 5, 6, 7, 9]
    assert [(row.valid, bool(row.errors), bool(row.duplicate)) for row in preview] == [
        (False, False, True),
        (False, False, True),
        (False, True, False),
        (False, True, False),
        (True, False, False),
        (False, False, True),
        (False, True, False),
    ]
    assert "6" in preview[5].reason  # points to the line it repeats
    assert page.context["counts"] == {"ready": 1, "duplicates": 3, "errors": 3, "left_out": 0}
    with scopes_disabled():
        assert Client.objects.filter(account=alice.account).count() == 2  # nothing created yet


def test_she_corrects_a_wrongly_guessed_column(alice_client, alice):
    rows = [["Prénom", "Nom", "Info"], ["Zoé", "Martin", "Lyon"]]
    _response, client_import = upload(alice_client, csv_bytes(rows))
    assert client_import.mapping == ["first_name", "last_name", ""]
    url = f"/clients/import/{client_import.pk}/"

    page = alice_client.get(url).content.decode()
    assert 'name="column_2"' in page

    corrected = {"column_0": "first_name", "column_1": "last_name", "column_2": "city"}
    assert alice_client.post(url, corrected)["Location"] == url  # preview refreshed
    with scopes_disabled():
        client_import.refresh_from_db()
    assert client_import.mapping == ["first_name", "last_name", "city"]
    assert client_import.status == ClientImport.Status.DRAFT

    alice_client.post(url, {**corrected, "start": ""})
    run_client_import.call(str(client_import.pk))
    [zoe] = clients_of(alice.account)
    assert zoe.city == "Lyon"


def test_a_mapping_without_name_or_phone_is_refused(alice_client, alice):
    response, client_import = upload(alice_client, csv_bytes([["A", "B"], ["Zoé", "Lyon"]]))
    url = f"/clients/import/{client_import.pk}/"
    response = alice_client.post(url, {"column_0": "city", "column_1": "", "start": ""})
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "no_name_column")
    response = alice_client.post(url, {"column_0": "phone", "column_1": "phone", "start": ""})
    assert response.context["form"].has_error("__all__", "column_twice")
    with scopes_disabled():
        client_import.refresh_from_db()
    assert client_import.status == ClientImport.Status.DRAFT


def test_the_mapping_updates_the_preview_in_place_with_htmx(alice_client, alice):
    response, client_import = upload(alice_client, csv_bytes([["A", "B"], ["Zoé", "Lyon"]]))
    response = alice_client.post(
        f"/clients/import/{client_import.pk}/",
        {"column_0": "first_name", "column_1": "city"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="import-preview"')
    assert "<html" not in body


def test_running_the_same_file_twice_creates_nobody_twice(alice_client, alice):
    rows = [
        ["Prénom", "Nom", "Téléphone", "E-mail"],
        ["Zoé", "Martin", "0612345601", ""],
        ["Lina", "Petit", "", "lina@example.com"],
        ["Inès", "Sans Contact", "", ""],  # recognised by her exact name
    ]
    first = run_import(alice_client, csv_bytes(rows))
    second = run_import(alice_client, csv_bytes(rows))

    assert (first.created, first.skipped) == (3, 0)
    assert (second.created, second.skipped) == (0, 3)
    assert len(clients_of(alice.account)) == 3
    assert [entry["line"] for entry in second.rejected] == [2, 3, 4]


def test_the_free_plan_imports_up_to_its_limit_and_says_how_many_were_left_out(alice_client, alice):
    with scopes_disabled():
        ClientFactory.create_batch(15, account=alice.account)
    rows = [["Prénom", "Nom", "Catégorie"]]
    rows += [[f"Cliente{n}", "Import", "Nouvelle"] for n in range(8)]
    response, client_import = upload(alice_client, csv_bytes(rows))
    preview = alice_client.get(response["Location"]).context
    assert preview["places"] == 5
    assert preview["counts"]["left_out"] == 3

    client_import = run_import(alice_client, csv_bytes(rows))

    assert (client_import.created, client_import.left_out) == (5, 3)
    assert len(clients_of(alice.account)) == 20
    assert [entry["line"] for entry in client_import.rejected] == [7, 8, 9]
    progress = alice_client.get(f"/clients/import/{client_import.pk}/progress/")
    assert 'href="/billing/"' in progress.content.decode()
    with scopes_disabled():
        # The category was made for the first row that fit, once.
        assert Category.objects.filter(account=alice.account, name="Nouvelle").count() == 1


def test_a_row_refused_by_the_plan_leaves_nothing_behind(alice_client, alice):
    """Each row is all or nothing: the category of a client left out is not created."""
    with scopes_disabled():
        ClientFactory.create_batch(20, account=alice.account)
    rows = [["Prénom", "Catégorie"], ["Zoé", "Catégorie fantôme"]]
    client_import = run_import(alice_client, csv_bytes(rows))
    assert (client_import.created, client_import.left_out) == (0, 1)
    with scopes_disabled():
        assert not Category.objects.filter(name="Catégorie fantôme").exists()


def test_the_report_lists_every_row_not_imported_with_the_reason(alice_client, alice):
    rows = [
        ["Prénom", "Nom", "Téléphone"],
        ["Zoé", "Martin", "0612345601"],
        ["Inès", "=1+1", "12"],
        ["Zoé bis", "Martin", "0612345601"],
    ]
    client_import = run_import(alice_client, csv_bytes(rows))
    response = alice_client.get(f"/clients/import/{client_import.pk}/report/")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    report = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert report[0][2:] == ["Prénom", "Nom", "Téléphone"]
    assert [line[0] for line in report[1:]] == ["3", "4"]
    assert "12" in report[1][1]  # the invalid phone is named in the reason
    assert report[1][3] == "'=1+1"  # neutralised in the report too
    assert "2" in report[2][1]  # points to the line it duplicates


def test_a_file_that_is_not_a_table_gets_a_clear_error(alice_client):
    for name, data in [
        ("photo.csv", image_bytes("PNG")),
        ("random.csv", bytes(range(256)) * 20),
        ("faux.xlsx", b"PK\x03\x04 not really a zip file"),
        ("vide.csv", b"\r\n\r\n"),
        ("une-ligne.csv", b"Prenom;Nom\r\n"),
        ("ancien.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
    ]:
        response, client_import = upload(alice_client, data, name)
        assert response.status_code == 200, name
        assert response.context["form"].has_error("file"), name
        assert client_import is None, name


def test_a_file_over_5_mb_is_refused(alice_client):
    data = b"Prenom;Nom\r\n" + b"Zoe;Martin\r\n" * 500_000
    response, client_import = upload(alice_client, data)
    assert response.context["form"].has_error("file", "too_large")
    assert client_import is None


def test_a_spreadsheet_unfolding_into_too_many_rows_is_refused(alice_client, monkeypatch):
    monkeypatch.setattr("nailpro.tabular.MAX_ROWS", 20)  # really 100,000: too slow to build
    rows = [["Prénom"]] + [[f"Cliente{n}"] for n in range(30)]
    for name, data in (("long.xlsx", xlsx_bytes(rows)), ("long.csv", csv_bytes(rows))):
        response, client_import = upload(alice_client, data, name)
        assert response.context["form"].has_error("file"), name
        assert client_import is None


def test_5000_rows_on_a_pro_account(alice_client, alice):
    make_pro(alice.account)
    rows = [["Prénom", "Nom", "Téléphone", "E-mail", "Date de naissance", "Ville"]]
    rows += [
        [
            f"Cliente{n}",
            "Import",
            f"06{12000000 + n:08d}",
            f"c{n}@example.com",
            "01/02/1990",
            "Lyon",
        ]
        for n in range(5000)
    ]
    started = time.monotonic()
    client_import = run_import(alice_client, csv_bytes(rows, delimiter=";"))
    elapsed = time.monotonic() - started

    assert (client_import.created, client_import.done, client_import.rejected) == (5000, 5000, [])
    with scopes_disabled():
        assert Client.objects.filter(account=alice.account).count() == 5000
    assert elapsed < 60, f"5,000 rows took {elapsed:.0f} s"


def test_the_progress_page_polls_until_the_import_ends(alice_client, alice):
    _response, client_import = upload(alice_client, SAMPLE.read_bytes())
    post = {f"column_{i}": name for i, name in enumerate(client_import.mapping)}
    alice_client.post(f"/clients/import/{client_import.pk}/", {**post, "start": ""})
    url = f"/clients/import/{client_import.pk}/progress/"

    waiting = alice_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    assert '<progress value="0" max="15"' in waiting
    assert f'href="{url}"' in waiting  # a plain link to reload without JavaScript

    run_client_import.call(str(client_import.pk))
    finished = alice_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in finished
    assert '<progress value="15" max="15"' in finished
    assert 'href="/clients/"' in finished


def test_a_started_import_cannot_be_started_again(alice_client, alice):
    client_import = run_import(alice_client, SAMPLE.read_bytes())
    post = {f"column_{i}": name for i, name in enumerate(client_import.mapping)}
    response = alice_client.post(f"/clients/import/{client_import.pk}/", {**post, "start": ""})
    assert response["Location"] == f"/clients/import/{client_import.pk}/progress/"
    assert run_client_import.call(str(client_import.pk)) is False
    assert len(clients_of(alice.account)) == 15


def test_another_account_never_sees_an_import(client, alice, bob):
    client.force_login(alice)
    _response, client_import = upload(client, SAMPLE.read_bytes())
    client.force_login(bob)
    for path in ("", "progress/", "report/"):
        assert client.get(f"/clients/import/{client_import.pk}/{path}").status_code == 404
    assert client_import.original_name not in client.get("/clients/import/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_started_import(alice_client, alice):
    """Starting queues a task once committed; `manage.py db_worker` runs it."""
    _response, client_import = upload(alice_client, SAMPLE.read_bytes())
    post = {f"column_{i}": name for i, name in enumerate(client_import.mapping)}
    alice_client.post(f"/clients/import/{client_import.pk}/", {**post, "start": ""})
    assert len(clients_of(alice.account)) == 0

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    with scopes_disabled():
        client_import.refresh_from_db()
    assert client_import.status == ClientImport.Status.DONE
    assert len(clients_of(alice.account)) == 15


def test_a_damaged_csv_with_a_giant_field_gets_a_clear_error(alice_client):
    data = b'Prenom;Nom\r\n"Zoe;' + b"x" * 200_000 + b"\r\n"
    response, client_import = upload(alice_client, data)
    assert response.status_code == 200
    assert response.context["form"].has_error("file")
    assert client_import is None


def test_a_date_column_mapped_to_a_text_field_is_read_as_text(alice_client, alice):
    data = xlsx_bytes([["Prénom", "Nom", "Genre"], ["Zoé", "Martin", datetime.date(1990, 3, 5)]])
    client_import = run_import(alice_client, data, "liste.xlsx")
    assert client_import.status == "done"
    [zoe] = clients_of(alice.account)
    assert zoe.gender == ""


def test_two_taps_on_import_queue_it_once(alice_client, alice, django_capture_on_commit_callbacks):
    _response, client_import = upload(alice_client, SAMPLE.read_bytes())
    post = {f"column_{i}": name for i, name in enumerate(client_import.mapping)}
    with scopes_disabled():
        draft = ClientImport.objects.get(pk=client_import.pk)
    url = f"/clients/import/{client_import.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, {**post, "start": ""})
    # The second tap was already past the draft check when the first one queued it.
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        assert client_import_queue(draft) is False
    assert DBTaskResult.objects.count() == 1


def test_a_rejected_row_keeps_only_the_columns_she_imports(alice_client, alice):
    rows = [["Prénom", "Nom", "Téléphone", "Allergies"], ["Inès", "Roux", "12", "HEMA, latex"]]
    mapping = ["first_name", "last_name", "phone", ""]
    client_import = run_import(alice_client, csv_bytes(rows), mapping=mapping)
    [entry] = client_import.rejected
    assert entry["values"] == ["Inès", "Roux", "12", ""]


def test_old_uploads_and_reports_are_forgotten(
    alice_client, alice, media_root, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime.datetime(2026, 1, 1, 10, tzinfo=datetime.UTC)):
        _response, draft = upload(alice_client, SAMPLE.read_bytes())
        finished = run_import(alice_client, SAMPLE.read_bytes())
    stored = list(media_root.rglob("*.csv"))
    assert stored  # the draft's file
    with time_machine.travel(datetime.datetime(2026, 1, 1, 20, tzinfo=datetime.UTC)):
        alice_client.get("/clients/import/")
        with scopes_disabled():
            assert set(ClientImport.objects.values_list("pk", flat=True)) == {
                draft.pk,
                finished.pk,
            }
    with (
        time_machine.travel(datetime.datetime(2026, 2, 15, 10, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alice_client.get("/clients/import/")
    with scopes_disabled():
        assert not ClientImport.objects.exists()
    assert not list(media_root.rglob("*.csv"))
