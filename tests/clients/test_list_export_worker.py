"""Issue 14: a long client list is built by the worker with a progress bar, then downloaded;
a short one still downloads at once. The threshold is lowered through settings."""

import csv
import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from clients.list_export import list_export_build
from clients.models import ListExport
from tests.bounds import measured
from tests.factories import CategoryFactory, ClientFactory, VisitFactory, make_pro

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(alice, settings):
    settings.CLIENT_EXPORT_IMMEDIATE_MAX = 5
    make_pro(alice.account)
    with scopes_disabled():
        vip = CategoryFactory(account=alice.account, name="Fidèle Or")
        for n in range(30):
            ClientFactory(
                account=alice.account,
                first_name=f"Cliente{n:02d}",
                last_name="Martin",
                category=vip if n % 2 else None,
            )
    return vip


def start(http, **params):
    page = http.get("/clients/export/", {"format": "xlsx", **params})
    assert page.status_code == 200
    assert page.templates[0].name == "clients/list_export_start.html"
    response = http.post("/clients/export/", dict(page.context["hidden"]))
    assert response.status_code == 302
    with scopes_disabled():
        export = ListExport.objects.get()
    assert response["Location"] == export.get_absolute_url()
    return export


def test_a_short_list_still_downloads_at_once(alice_client, many, settings):
    settings.CLIENT_EXPORT_IMMEDIATE_MAX = 2_000
    response = alice_client.get("/clients/export/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    with scopes_disabled():
        assert not ListExport.objects.exists()


def test_a_long_list_is_built_by_the_task_with_her_filters(alice_client, alice, many):
    export = start(alice_client, category=str(many.pk))
    assert alice_client.get(export.get_absolute_url()).context["export"].in_progress
    polled = alice_client.get(export.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in polled.content.decode()  # polled while it is built
    assert '<progress value="0" max="100"' in polled.content.decode()

    with measured("list export of 15 clients built by the task"):
        assert list_export_build.call(str(export.pk)) is True
    assert list_export_build.call(str(export.pk)) is False  # a second run does nothing
    with scopes_disabled():
        export.refresh_from_db()
    assert (export.status, export.progress, export.total) == ("ready", 100, 15)

    page = alice_client.get(export.get_absolute_url())
    assert page.context["export"].status == "ready"
    download = alice_client.get(f"/clients/export/{export.pk}/download/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert "private" in download["Cache-Control"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 16
    names = [row[0] for row in rows[1:]]
    assert names == sorted(names)  # in the list's order, across the chunks
    assert all(int(name[-2:]) % 2 for name in names)  # only the VIP category


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_long_csv_list(alice_client, alice, many, monkeypatch):
    monkeypatch.setattr("clients.list_export.CHUNK", 7)  # several chunks, a moving bar
    export = start(alice_client, format="csv_semicolon")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    with scopes_disabled():
        export.refresh_from_db()
    assert export.status == "ready"
    download = alice_client.get(f"/clients/export/{export.pk}/download/")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 31


def test_another_account_never_sees_a_list_export(alice_client, client, bob, many):
    export = start(alice_client)
    list_export_build.call(str(export.pk))
    client.force_login(bob)
    assert client.get(export.get_absolute_url()).status_code == 404
    assert client.get(f"/clients/export/{export.pk}/download/").status_code == 404


def test_an_expired_list_is_purged_with_its_file(
    alice_client, many, media_root, django_capture_on_commit_callbacks
):
    export = start(alice_client)
    list_export_build.call(str(export.pk))
    with scopes_disabled():
        export.refresh_from_db()
    stored = media_root / export.file.name
    assert stored.exists()
    with scopes_disabled():
        ListExport.objects.filter(pk=export.pk).update(
            created_at=export.created_at - ListExport.KEPT_FOR
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.get(export.get_absolute_url())
    assert response.status_code == 404
    assert not stored.exists()
    with scopes_disabled():
        assert not ListExport.objects.exists()


def test_a_long_visit_list_goes_to_the_worker_too(alice_client, alice, settings):
    settings.VISIT_EXPORT_IMMEDIATE_MAX = 3
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé")
        for _ in range(8):
            VisitFactory(client=zoe)
    page = alice_client.get("/visits/export/", {"format": "csv"})
    assert page.templates[0].name == "clients/list_export_start.html"
    assert page.context["count"] == 8
    response = alice_client.post("/visits/export/", dict(page.context["hidden"]))
    with scopes_disabled():
        export = ListExport.objects.get()
    assert (export.kind, response["Location"]) == ("visits", export.get_absolute_url())
    assert list_export_build.call(str(export.pk)) is True
    download = alice_client.get(f"/clients/export/{export.pk}/download/")
    assert download["Content-Disposition"].startswith('attachment; filename="nailpro-')
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 9
    settings.VISIT_EXPORT_IMMEDIATE_MAX = 5_000
    assert alice_client.get("/visits/export/", {"format": "csv"})["Content-Type"].startswith(
        "text/csv"
    )
