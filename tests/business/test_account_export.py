"""Her whole account, exported in the background: CSV per table, files, JSON; hers only."""

import csv
import datetime
import io
import json
import os
import signal
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from business.models import AccountExport
from business.tasks import account_export_build
from clients.models import AccessLog, ConsentEvent
from tests.factories import (
    AccountExportFactory,
    ClientFactory,
    ConsentEventFactory,
    GiftFactory,
    HealthProfileFactory,
    PhotoFactory,
    ProductFactory,
    ServiceFactory,
    VisitFactory,
)
from visits.models import VisitProduct, VisitService

pytestmark = pytest.mark.django_db


FORMULA = '=HYPERLINK("http://evil.example","Click")'


def build_latest(account):
    """Run the export task as the worker would, for the account's latest export."""
    with scopes_disabled():
        export = AccountExport.objects.filter(account=account).first()
    account_export_build.call(str(export.pk))
    with scopes_disabled():
        export.refresh_from_db()
    return export


def read_zip(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def csv_rows(archive, name):
    raw = archive.read(name)
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def alice_data(alice, bob):
    """Alice's business, with a bit of everything; Bob's, to stay out of her export."""
    with scopes_disabled():
        zoe = ClientFactory(
            account=alice.account, first_name="Zoé", last_name="Martin", with_photo=True
        )
        trick = ClientFactory(account=alice.account, first_name=FORMULA, last_name="Piège")
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        HealthProfileFactory(client=zoe, medications="Isotrétinoïne")
        GiftFactory(client=zoe, description="Crème karité", value=Decimal("12.50"))
        service = ServiceFactory(account=alice.account, name="Pose gel")
        product = ProductFactory(account=alice.account, name="Rose poudré")
        visit = VisitFactory(client=zoe, total=Decimal("55.00"), technique_notes="Mix nude")
        VisitService.objects.create(
            account=alice.account, visit=visit, service=service, name="Pose gel", price=55
        )
        VisitProduct.objects.create(
            account=alice.account, visit=visit, product=product, batch_number="LOT-42"
        )
        photo = PhotoFactory(client=zoe, visit=visit, caption="Après pose")
        bobette = ClientFactory(
            account=bob.account, first_name="Bobette", last_name="Secret", with_photo=True
        )
        PhotoFactory(client=bobette, caption="Photo de Bob")
        VisitFactory(client=bobette, technique_notes="Note de Bob")
    return {"zoe": zoe, "trick": trick, "photo": photo, "visit": visit}


def test_the_zip_holds_a_csv_per_table_her_files_and_a_json_and_nothing_of_bob(
    alice, bob, alice_client, alice_data, media_root
):
    assert alice_client.post("/account/export/").status_code == 302
    export = build_latest(alice.account)
    assert (export.status, export.progress) == ("ready", 100)

    archive = read_zip(alice_client.get(f"/account/export/{export.pk}/download/"))

    names = archive.namelist()
    for table in [
        "clients_client",
        "clients_consentevent",
        "clients_healthprofile",
        "clients_gift",
        "visits_visit",
        "visits_visitservice",
        "visits_visitproduct",
        "catalog_product",
        "catalog_service",
        "gallery_photo",
        "nailpro_account",
        "nailpro_user",
    ]:
        assert f"{table}.csv" in names, table
    assert "nailpro_accountexport.csv" not in names
    clients = csv_rows(archive, "clients_client.csv")
    assert sorted(row["last_name"] for row in clients) == ["Martin", "Piège"]
    assert [row["medications"] for row in csv_rows(archive, "clients_healthprofile.csv")] == [
        "Isotrétinoïne"  # decrypted: her data, for her
    ]
    assert [(r["name"], r["price"]) for r in csv_rows(archive, "visits_visitservice.csv")] == [
        ("Pose gel", "55.00")
    ]
    assert [r["batch_number"] for r in csv_rows(archive, "visits_visitproduct.csv")] == ["LOT-42"]
    assert [r["value"] for r in csv_rows(archive, "clients_gift.csv")] == ["12.50"]
    assert [r["email"] for r in csv_rows(archive, "nailpro_user.csv")] == ["alice@example.com"]
    assert "password" not in csv_rows(archive, "nailpro_user.csv")[0]

    # A cell a spreadsheet would run as a formula is neutralised in the CSV, kept in the JSON.
    trick = next(row for row in clients if row["last_name"] == "Piège")
    assert trick["first_name"] == "'" + FORMULA
    data = json.loads(archive.read("data.json"))
    assert FORMULA in [row["first_name"] for row in data["tables"]["clients_client"]]
    assert data["tables"]["clients_healthprofile"][0]["medications"] == "Isotrétinoïne"
    assert [row["caption"] for row in data["tables"]["gallery_photo"]] == ["Après pose"]

    # Every stored file of hers, byte for byte, where the CSV says it is.
    photo_row = csv_rows(archive, "gallery_photo.csv")[0]
    photo = alice_data["photo"]
    assert archive.read(photo_row["image"]) == photo.image.open("rb").read()
    assert archive.read(photo_row["thumbnail"]) == photo.thumbnail.open("rb").read()
    zoe = alice_data["zoe"]
    zoe_row = next(row for row in clients if row["last_name"] == "Martin")
    assert archive.read(zoe_row["photo"]) == zoe.photo.open("rb").read()
    assert len([name for name in names if name.startswith("files/")]) == 4

    everything = b"".join(archive.read(name) for name in names)
    for bobs in ("Bobette", "Note de Bob", "Photo de Bob", str(bob.account.pk), "bob@example"):
        assert bobs.encode() not in everything, bobs
    with scopes_disabled():
        logged = AccessLog.objects.filter(account=alice.account, action="exported")
        assert sorted(log.client.last_name for log in logged) == ["Martin", "Piège"]
        assert {log.user for log in logged} == {alice}


def test_the_page_shows_progress_polling_every_2_seconds_and_a_reload_link(
    alice, alice_client, english
):
    with scopes_disabled():
        export = AccountExportFactory(account=alice.account, status="running", progress=40, file="")

    page = alice_client.get("/account/export/").content.decode()
    assert "40 %" in page
    assert 'hx-trigger="every 2s"' in page
    assert 'href="/account/export/">Refresh</a>' in page

    partial = alice_client.get("/account/export/", headers={"HX-Request": "true"})
    fragment = partial.content.decode()
    assert fragment.lstrip().startswith('<article class="card" id="export-status"')
    assert "<html" not in fragment
    assert "40 %" in fragment

    export.status, export.progress = "ready", 100
    with scopes_disabled():
        export.file.save("x.zip", io.BytesIO(b"PK\x05\x06" + bytes(18)))
    fragment = alice_client.get("/account/export/", headers={"HX-Request": "true"})
    fragment = fragment.content.decode()
    assert "every 2s" not in fragment  # finished: the polling stops
    assert f'href="/account/export/{export.pk}/download/"' in fragment


def test_the_task_run_twice_builds_one_file_and_logs_once(alice, alice_client, alice_data):
    alice_client.post("/account/export/")
    export = build_latest(alice.account)
    first_file = export.file.name
    account_export_build.call(str(export.pk))

    with scopes_disabled():
        export.refresh_from_db()
        assert export.file.name == first_file
        assert AccessLog.objects.filter(account=alice.account, action="exported").count() == 2
    folder = export.file.storage.path(f"accounts/{alice.account.pk}/exports")
    assert len(list(Path(folder).iterdir())) == 1


def test_a_new_export_replaces_the_old_one_and_its_file(
    alice, alice_client, alice_data, django_capture_on_commit_callbacks
):
    alice_client.post("/account/export/")
    old = build_latest(alice.account)
    old_path = old.file.path

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/account/export/")

    with scopes_disabled():
        assert list(AccountExport.objects.filter(account=alice.account)) != [old]
        assert not AccountExport.objects.filter(pk=old.pk).exists()
    assert not os.path.exists(old_path)
    assert alice_client.get(f"/account/export/{old.pk}/download/").status_code == 404


def test_a_second_request_while_one_is_built_starts_nothing(alice, alice_client):
    alice_client.post("/account/export/")
    alice_client.post("/account/export/")
    with scopes_disabled():
        assert AccountExport.objects.filter(account=alice.account).count() == 1


def test_exports_expire_after_7_days(alice, alice_client, django_capture_on_commit_callbacks):
    with scopes_disabled():
        export = AccountExportFactory(account=alice.account)
    path = export.file.path
    assert alice_client.get(f"/account/export/{export.pk}/download/").status_code == 200

    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        assert alice_client.get(f"/account/export/{export.pk}/download/").status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            alice_client.get("/account/export/")

    with scopes_disabled():
        assert not AccountExport.objects.filter(pk=export.pk).exists()
    assert not os.path.exists(path)


def test_bob_cannot_download_alices_export(alice, bob, client):
    with scopes_disabled():
        export = AccountExportFactory(account=alice.account)
    client.force_login(bob)
    assert client.get(f"/account/export/{export.pk}/download/").status_code == 404


def test_the_account_page_starts_an_export(alice, alice_client, english):
    page = alice_client.get("/account/").content.decode()
    assert 'action="/account/export/"' in page
    assert "Export all my data" in page


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_builds_the_export(alice, alice_data, client, english):
    """The real path: the request queues a task in the database, `db_worker` runs it."""
    client.force_login(alice)
    client.post("/account/export/")
    assert DBTaskResult.objects.count() == 1
    page = client.get("/account/export/").content.decode()
    assert "Your export is being prepared" in page

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    # Beside the export, the page queued the worker's maintenance round (nailpro.maintenance).
    build = DBTaskResult.objects.get(task_path=account_export_build.module_path)
    assert build.status == "SUCCESSFUL"
    with scopes_disabled():
        export = AccountExport.objects.get(account=alice.account)
    assert export.status == "ready"
    page = client.get("/account/export/").content.decode()
    assert f"/account/export/{export.pk}/download/" in page
    archive = read_zip(client.get(f"/account/export/{export.pk}/download/"))
    assert "clients_client.csv" in archive.namelist()
