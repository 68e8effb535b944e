"""The client list exported as she filtered it: CSV for any Excel, XLSX, health data only
when asked (and logged), formulas neutralised, and an export that imports back the same."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from clients.importing import run_client_import
from clients.models import AccessLog, Client, ClientImport, ConsentEvent
from tests.factories import (
    CategoryFactory,
    ClientFactory,
    ConsentEventFactory,
    HealthProfileFactory,
    VisitFactory,
    make_pro,
)

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("https://example.com/phish","Cliquez")'


@pytest.fixture
def cast(alice, bob):
    with scopes_disabled():
        vip = CategoryFactory(account=alice.account, name="Fidèle Or")
        zoe = ClientFactory(
            account=alice.account,
            first_name="Zoé",
            last_name="Martin",
            phone="+33612345678",
            phone2="+32470123456",
            email="zoe@example.com",
            birth_date=datetime.date(1990, 3, 5),
            gender=Client.Gender.FEMALE,
            street="12 rue des Lilas",
            postal_code="69003",
            city="Lyon",
            access_notes="Code 4512B",
            category=vip,
            source=Client.Source.INSTAGRAM,
            notes="Aime le nude",
        )
        lina = ClientFactory(
            account=alice.account, first_name="Lina", last_name="Petit", notes=FORMULA
        )
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.MARKETING, given=True)
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH, given=True)
        HealthProfileFactory(client=zoe, medications="Isotrétinoïne", allergy_notes="Latex")
        VisitFactory(
            client=zoe,
            total=Decimal("45.50"),
            started_at=datetime.datetime(2026, 1, 10, 10, tzinfo=datetime.UTC),
        )
        VisitFactory(
            client=zoe,
            total=Decimal("30.00"),
            started_at=datetime.datetime(2026, 6, 20, 10, tzinfo=datetime.UTC),
        )
        ClientFactory(account=bob.account, first_name="Bobette", last_name="Autre")
    return {"zoe": zoe, "lina": lina}


def read_csv(response, delimiter=","):
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for accents
    text = response.content.decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_csv_holds_every_column_for_each_client_of_the_list(alice_client, english, cast):
    response = alice_client.get("/clients/export/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lina, zoe = read_csv(response)
    assert zoe["First name"] == "Zoé"
    assert zoe["Last name"] == "Martin"
    assert zoe["Phone"] == "06 12 34 56 78"
    # A foreign number keeps its prefix, quoted: a leading + would be a formula to Excel.
    assert zoe["Second phone"] == "'+32 470 12 34 56"
    assert zoe["E-mail"] == "zoe@example.com"
    assert zoe["Birth date"] == "05/03/1990"
    assert zoe["Gender"] == "Woman"
    assert (zoe["Street"], zoe["Postal code"], zoe["City"]) == ("12 rue des Lilas", "69003", "Lyon")
    assert zoe["Category"] == "Fidèle Or"
    assert zoe["How she found you"] == "Instagram"
    assert zoe["Consent: Marketing messages"] == "yes"
    assert zoe["Consent: Photos in the portfolio"] == "no"
    assert zoe["Consent: Appointment reminders"] == "yes"  # the default while never asked
    assert zoe["First visit"] == "10/01/2026"
    assert zoe["Last visit"] == "20/06/2026"
    assert zoe["Visits"] == "2"
    assert zoe["Total spent"] == "75.50"
    assert lina["Visits"] == "0"
    assert "Medications" not in zoe  # health data only when she asks
    assert "Bobette" not in response.content.decode()


def test_the_export_follows_the_search_and_filters_of_the_list(alice_client, english, cast):
    with scopes_disabled():
        vip = cast["zoe"].category
    rows = read_csv(alice_client.get("/clients/export/?format=csv&q=lina"))
    assert [row["First name"] for row in rows] == ["Lina"]
    rows = read_csv(alice_client.get(f"/clients/export/?format=csv&category={vip.pk}"))
    assert [row["First name"] for row in rows] == ["Zoé"]
    rows = read_csv(alice_client.get("/clients/export/?format=csv&consent=marketing:no"))
    assert [row["First name"] for row in rows] == ["Lina"]
    rows = read_csv(alice_client.get("/clients/export/?format=csv&letter=M"))
    assert rows == []  # sorted by first name: nobody's starts with M


def test_the_list_links_to_the_export_with_its_current_filters(alice_client, cast):
    # Typed through htmx: a sent search with one match would open her card instead.
    page = alice_client.get(
        "/clients/?q=lina&blacklisted=no", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="client-results"
    ).content.decode()
    assert 'action="/clients/export/"' in page
    assert '<input type="hidden" name="q" value="lina">' in page
    assert '<input type="hidden" name="blacklisted" value="no">' in page
    assert 'name="health"' in page
    assert 'value="csv_semicolon"' in page


def test_semicolons_and_decimal_commas_for_french_excel(alice_client, alice, cast):
    response = alice_client.get("/clients/export/?format=csv_semicolon")
    _lina, zoe = read_csv(response, delimiter=";")
    assert zoe["Prénom"] == "Zoé"
    assert zoe["Total dépensé"] == "75,50"


def test_the_xlsx_opens_with_real_dates_and_numbers(alice_client, english, cast):
    response = alice_client.get("/clients/export/?format=xlsx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    _lina, zoe = read_xlsx(response)
    assert zoe["First name"] == "Zoé"
    assert zoe["Birth date"] == datetime.datetime(1990, 3, 5)
    assert zoe["Last visit"] == datetime.datetime(2026, 6, 20)
    assert zoe["Visits"] == 2
    assert zoe["Total spent"] == 75.5


def test_formulas_are_neutralised_in_csv_and_xlsx(alice_client, english, cast):
    for response, reader in (
        (alice_client.get("/clients/export/?format=csv"), read_csv),
        (alice_client.get("/clients/export/?format=xlsx"), read_xlsx),
    ):
        lina = reader(response)[0]
        assert lina["Notes"] == "'" + FORMULA
    sheet = load_workbook(
        io.BytesIO(alice_client.get("/clients/export/?format=xlsx").content)
    ).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_health_columns_only_when_she_ticks_the_box_and_each_export_is_logged(
    alice_client, english, cast
):
    alice_client.get("/clients/export/?format=csv")
    with scopes_disabled():
        assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()

    response = alice_client.get("/clients/export/?format=csv&health=on")

    lina, zoe = read_csv(response)
    assert zoe["Medications"] == "Isotrétinoïne"
    assert zoe["Other allergies"] == "Latex"
    assert lina["Medications"] == ""
    with scopes_disabled():
        [log] = AccessLog.objects.filter(action=AccessLog.Action.EXPORTED)
        assert log.client == cast["zoe"]
        assert log.user.email == "alice@example.com"


def test_health_data_of_a_withdrawn_consent_is_not_exported(alice_client, english, cast):
    with scopes_disabled():
        ConsentEventFactory(client=cast["zoe"], kind=ConsentEvent.Kind.HEALTH, given=False)
    _lina, zoe = read_csv(alice_client.get("/clients/export/?format=csv&health=on"))
    assert zoe["Medications"] == ""
    with scopes_disabled():
        assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_the_export_reads_a_fixed_number_of_queries(alice_client, alice):
    make_pro(alice.account)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get("/clients/export/?format=xlsx&health=on").status_code == 200
        return len(queries)

    with scopes_disabled():
        for client in ClientFactory.create_batch(3, account=alice.account):
            VisitFactory(client=client)
    few = count_queries()
    with scopes_disabled():
        for client in ClientFactory.create_batch(30, account=alice.account):
            VisitFactory(client=client)
            ConsentEventFactory(client=client, kind=ConsentEvent.Kind.HEALTH)
            HealthProfileFactory(client=client, medications="Aucun")
    assert count_queries() <= few + 2  # + the health logs, inserted together


FIELDS = [
    "first_name",
    "last_name",
    "phone",
    "phone2",
    "email",
    "birth_date",
    "gender",
    "street",
    "postal_code",
    "city",
    "access_notes",
    "source",
    "notes",
]


def details(account):
    with scopes_disabled():
        clients = Client.objects.filter(account=account).select_related("category")
        return sorted(
            (
                *(str(getattr(c, name) or "") for name in FIELDS),
                c.category.name if c.category else "",
            )
            for c in clients
        )


@pytest.mark.parametrize("file_format", ["csv", "csv_semicolon", "xlsx"])
def test_an_export_imports_back_into_an_empty_account_as_the_same_clients(
    client, alice, bob, cast, file_format
):
    client.force_login(alice)
    exported = client.get(f"/clients/export/?format={file_format}")
    name = "clients.xlsx" if file_format == "xlsx" else "clients.csv"

    client.force_login(bob)
    with scopes_disabled():
        Client.objects.filter(account=bob.account).delete()
    response = client.post("/clients/import/", {"file": SimpleUploadedFile(name, exported.content)})
    assert response.status_code == 302
    with scopes_disabled():
        client_import = ClientImport.objects.get(account=bob.account)
    post = {f"column_{i}": field for i, field in enumerate(client_import.mapping)}
    client.post(f"/clients/import/{client_import.pk}/", {**post, "start": ""})
    run_client_import.call(str(client_import.pk))

    assert details(bob.account) == details(alice.account)
    assert len(details(bob.account)) == 2
