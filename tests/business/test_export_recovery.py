"""An account export whose worker died: detected by its heartbeat, built again from the
start (what the dead build left is replaced), failed after too many deaths; expired exports
are purged by the maintenance round, not only when her page is opened."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from business.models import AccountExport, export_path
from business.tasks import MAX_ATTEMPTS, account_export_build, exports_recover
from nailpro.maintenance import maintenance_run
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.timedelta(minutes=10)


def an_export(account, **fields):
    with scopes_disabled():
        return AccountExport.objects.create(account=account, **fields)


def fresh(export):
    with scopes_disabled():
        export.refresh_from_db()
    return export


def builds_of(export):
    return DBTaskResult.objects.filter(
        task_path=account_export_build.module_path, args_kwargs__args=[str(export.pk)]
    ).count()


def test_a_dead_build_is_queued_again_and_rebuilt_whole(
    alice, media_root, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        ClientFactory(account=alice.account, first_name="Zoé")
    export = an_export(
        alice.account,
        status=AccountExport.Status.RUNNING,
        progress=56,
        attempts=1,
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    # A build killed while saving its ZIP left half of it behind.
    leftover = media_root / export_path(export, "")
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"PK\x03\x04 half a zip")
    assert export.is_stale and export.is_interrupted

    with django_capture_on_commit_callbacks(execute=True):
        exports_recover()
    export = fresh(export)
    assert export.status == AccountExport.Status.PENDING
    assert export.is_interrupted and not export.is_stale
    assert builds_of(export) == 1

    account_export_build.call(str(export.pk))

    export = fresh(export)
    assert (export.status, export.progress, export.attempts) == ("ready", 100, 2)
    assert export.file.name == export_path(export, "")
    with zipfile.ZipFile(io.BytesIO(leftover.read_bytes())) as archive:
        assert "clients_client.csv" in archive.namelist()
    assert [path.name for path in leftover.parent.iterdir()] == [leftover.name]


def test_a_live_build_is_left_alone_and_a_second_run_does_nothing(alice):
    export = an_export(
        alice.account, status=AccountExport.Status.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )
    exports_recover()
    assert fresh(export).status == AccountExport.Status.RUNNING
    assert builds_of(export) == 0
    account_export_build.call(str(export.pk))  # a duplicate task: only a pending one starts
    assert (fresh(export).status, fresh(export).attempts) == ("running", 1)


def test_an_export_that_died_too_often_fails(alice):
    export = an_export(
        alice.account,
        status=AccountExport.Status.RUNNING,
        attempts=MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    exports_recover()
    assert fresh(export).status == AccountExport.Status.FAILED
    assert builds_of(export) == 0


def test_her_page_says_interrupted_and_when_no_worker_was_seen(
    alice, alice_client, django_capture_on_commit_callbacks
):
    export = an_export(
        alice.account,
        status=AccountExport.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.get("/account/export/")
    assert response.status_code == 200
    assert response.context["export"].is_interrupted
    assert response.context["worker_missing"] is True
    page = response.content.decode()
    assert 'data-state="interrupted"' in page and 'data-state="no-worker"' in page
    assert builds_of(export) == 1


def test_the_maintenance_round_purges_expired_exports_and_their_files(
    alice, bob, media_root, django_capture_on_commit_callbacks
):
    expired = an_export(alice.account, status=AccountExport.Status.READY)
    recent = an_export(bob.account, status=AccountExport.Status.READY)
    # Killed after saving its ZIP, before recording it: no row names the file.
    killed = an_export(alice.account, status=AccountExport.Status.FAILED)
    (media_root / export_path(killed, "")).parent.mkdir(parents=True)
    (media_root / export_path(killed, "")).write_bytes(b"zip")
    for export in (expired, recent):
        path = media_root / export_path(export, "")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"zip")
        with scopes_disabled():
            AccountExport.objects.filter(pk=export.pk).update(file=export_path(export, ""))
    with scopes_disabled():
        AccountExport.objects.filter(pk__in=[expired.pk, killed.pk]).update(
            created_at=timezone.now() - AccountExport.KEPT_FOR - datetime.timedelta(hours=1)
        )

    with django_capture_on_commit_callbacks(execute=True):
        maintenance_run()

    with scopes_disabled():
        assert list(AccountExport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not (media_root / export_path(killed, "")).exists()
    assert not (media_root / export_path(expired, "")).exists()
    assert (media_root / export_path(recent, "")).exists()
