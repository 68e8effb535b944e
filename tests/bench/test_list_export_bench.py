"""A long client list exported by the worker: `make bench` prints the figures.

The issue's 129,999 clients timed out at 30 s inside the request; here the worker builds the
list in chunks while its memory stays flat. SIZE is moderate so the bench stays short.
"""

import io

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from clients.list_export import list_export_build, list_export_start
from clients.models import Client, ListExport
from tests.bounds import measured
from tests.factories import make_pro

pytestmark = pytest.mark.django_db

SIZE = 20_000


def fill(account, size):
    clients = []
    for n in range(size):
        client = Client(
            account=account,
            first_name=f"Cliente{n:06d}",
            last_name="Martin",
            notes="Préfère les tons nude",
        )
        client.fill_search_fields()
        clients.append(client)
    Client.objects.bulk_create(clients, batch_size=2_000)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_long_client_list_built_by_the_worker(alice, alice_client, file_format):
    from django.http import QueryDict

    with scopes_disabled():
        make_pro(alice.account)
        fill(alice.account, SIZE)
        export = list_export_start(
            kind="clients",
            account=alice.account,
            user=alice,
            query=QueryDict(""),
            file_format=file_format,
        )
    with measured(f"worker builds {SIZE:,} clients as {file_format}"):
        assert list_export_build.call(str(export.pk)) is True
    with scopes_disabled():
        export = ListExport.objects.get(pk=export.pk)
        print(f"[bench] file: {export.file.size / 1e6:.1f} MB")
        if file_format == "xlsx":
            with export.file.open("rb") as stored:
                sheet = load_workbook(io.BytesIO(stored.read()), read_only=True).active
                rows = sum(1 for _row in sheet.iter_rows(values_only=True))
            assert rows == SIZE + 1


def test_the_same_list_inside_the_request_for_comparison(alice, alice_client, settings):
    """What the request itself would cost: the reason long lists go to the worker."""
    settings.CLIENT_EXPORT_IMMEDIATE_MAX = SIZE
    with scopes_disabled():
        make_pro(alice.account)
        fill(alice.account, SIZE)
    with measured(f"request builds {SIZE:,} clients as xlsx (no worker)"):
        response = alice_client.get("/clients/export/", {"format": "xlsx"})
    assert response.status_code == 200
