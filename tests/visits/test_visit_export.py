"""The visits list exported for a date range, in the format she chose."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from tests.factories import ClientFactory, VisitFactory

pytestmark = pytest.mark.django_db


def at(day):
    return datetime.datetime(2026, 3, day, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def visits(alice, bob):
    alice.account.language = "en"
    alice.account.save()
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé", last_name="Martin")
        made = {
            day: VisitFactory(
                client=zoe,
                started_at=at(day),
                total=Decimal("42.50"),
                technique_notes="=1+2" if day == 10 else "",
            )
            for day in (1, 10, 20)
        }
        VisitFactory(client=ClientFactory(account=bob.account), started_at=at(10))
    return made


def test_the_export_takes_the_visits_of_the_date_range(alice_client, visits):
    response = alice_client.get(
        "/visits/export/?date_from=2026-03-05&date_to=2026-03-25&format=csv"
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "2026-03-05-2026-03-25" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *lines = rows
    assert len(lines) == 2  # the 1st of March is outside, Bob's visit is not hers
    line = dict(zip(header, lines[0], strict=True))
    assert line["Date and time"] == "10/03/2026 10:30"  # in her time zone, Paris
    assert line["Client"] == "Zoé Martin"
    assert line["Total"] == "42.50"
    assert line["Technique notes"] == "'=1+2"


def test_the_visits_export_as_xlsx(alice_client, visits):
    response = alice_client.get("/visits/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *lines = list(sheet.iter_rows(values_only=True))
    assert len(lines) == 3
    first = dict(zip(header, lines[0], strict=True))
    assert first["Date and time"] == datetime.datetime(2026, 3, 1, 10, 30)
    assert first["Total"] == 42.5


def test_the_visit_list_offers_the_export_of_what_it_shows(alice_client, visits):
    page = alice_client.get("/visits/?date_from=2026-03-05").content.decode()
    assert 'action="/visits/export/"' in page
    assert '<input type="hidden" name="date_from" value="2026-03-05">' in page
