"""An import whose worker died: detected by its heartbeat, resumed from its cursor without
duplicates, or stopped after too many deaths; her page tells her; old imports are purged."""

import datetime
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from clients.importing import (
    MAX_ATTEMPTS,
    LeaseLost,
    import_rows,
    imports_recover,
    run_client_import,
)
from clients.models import Client, ClientImport
from nailpro.maintenance import maintenance_run
from tests.factories import ClientFactory, ClientImportFactory, make_pro

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.timedelta(minutes=10)


def listing(count):
    lines = ["Prénom,Nom"] + [f"Cliente{n:04d},Test" for n in range(1, count + 1)]
    return SimpleUploadedFile("clientes.csv", ("\r\n".join(lines) + "\r\n").encode())


def an_import(account, **fields):
    with scopes_disabled():
        return ClientImportFactory(
            account=account,
            headers=["Prénom", "Nom"],
            mapping=["first_name", "last_name"],
            **fields,
        )


def fresh(client_import):
    with scopes_disabled():
        client_import.refresh_from_db()
    return client_import


def tasks_of(client_import):
    return DBTaskResult.objects.filter(
        task_path=run_client_import.module_path, args_kwargs__args=[str(client_import.pk)]
    ).count()


def test_a_resumed_import_starts_at_its_cursor_and_creates_nobody_twice(alice):
    """As a dead worker leaves it: 250 rows committed with their clients, the rest not."""
    make_pro(alice.account)
    client_import = an_import(
        alice.account,
        file=listing(600),
        total=600,
        status=ClientImport.Status.QUEUED,
        attempts=1,
        next_row=250,
        done=250,
        created=250,
    )
    with scopes_disabled():
        for n in range(1, 251):
            ClientFactory(account=alice.account, first_name=f"Cliente{n:04d}", last_name="Test")

    assert run_client_import.call(str(client_import.pk)) is True

    client_import = fresh(client_import)
    assert client_import.status == ClientImport.Status.DONE
    assert (client_import.created, client_import.skipped, client_import.done) == (600, 0, 600)
    assert client_import.attempts == 2
    with scopes_disabled():
        names = Counter(Client.objects.values_list("first_name", flat=True))
    assert len(names) == 600 and set(names.values()) == {1}
    assert not client_import.file


def test_a_worker_that_died_while_ending_is_ended_without_its_file(alice, media_root):
    """Killed between deleting the file and committing the end: every row is committed."""
    client_import = an_import(
        alice.account,
        file=None,
        total=2,
        status=ClientImport.Status.QUEUED,
        attempts=1,
        next_row=2,
        done=2,
        created=1,
        skipped=1,
        rejected=[{"line": 3, "reason": "duplicate", "values": ["Zoé", "Martin"]}],
    )
    assert run_client_import.call(str(client_import.pk)) is True
    client_import = fresh(client_import)
    assert (client_import.status, client_import.created, client_import.skipped) == ("done", 1, 1)
    assert client_import.rejected[0]["line"] == 3


def test_a_run_that_lost_its_lease_stops_without_writing(alice):
    """A worker thought dead, still alive, while another took the import over."""
    make_pro(alice.account)
    client_import = an_import(
        alice.account, file=listing(30), total=30, status=ClientImport.Status.RUNNING, attempts=1
    )
    with scopes_disabled():
        mine = ClientImport.objects.get(pk=client_import.pk)
        ClientImport.objects.filter(pk=client_import.pk).update(attempts=2)  # the other run
        with pytest.raises(LeaseLost):
            import_rows(mine)
        assert not Client.objects.exists()
    assert fresh(client_import).next_row == 0


def test_a_stale_run_is_queued_again_and_a_live_one_left_alone(
    alice, django_capture_on_commit_callbacks
):
    dead = an_import(
        alice.account,
        status=ClientImport.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    alive = an_import(
        alice.account,
        status=ClientImport.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now(),
    )
    assert dead.is_stale and dead.is_interrupted
    assert not alive.is_stale and not alive.is_interrupted

    with django_capture_on_commit_callbacks(execute=True):
        imports_recover()

    dead, alive = fresh(dead), fresh(alive)
    assert dead.status == ClientImport.Status.QUEUED
    assert dead.is_interrupted and not dead.is_stale
    assert tasks_of(dead) == 1
    assert alive.status == ClientImport.Status.RUNNING
    assert tasks_of(alive) == 0

    # Recovered once: a second round finds a fresh heartbeat and queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        imports_recover()
    assert tasks_of(dead) == 1


def test_an_import_that_died_too_often_stops_and_its_file_goes(alice, media_root):
    client_import = an_import(
        alice.account,
        status=ClientImport.Status.RUNNING,
        attempts=MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    stored = media_root / client_import.file.name
    assert stored.is_file()

    imports_recover()

    client_import = fresh(client_import)
    assert client_import.status == ClientImport.Status.FAILED
    assert client_import.finished_at is not None
    assert not client_import.file and not stored.exists()
    assert tasks_of(client_import) == 0


def test_her_page_says_interrupted_and_queues_it_again(
    alice, alice_client, django_capture_on_commit_callbacks
):
    client_import = an_import(
        alice.account,
        status=ClientImport.Status.RUNNING,
        attempts=1,
        total=10,
        done=4,
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.get(f"/clients/import/{client_import.pk}/progress/")
    assert response.status_code == 200
    shown = response.context["client_import"]
    assert shown.status == ClientImport.Status.QUEUED
    assert shown.is_interrupted
    assert 'data-state="interrupted"' in response.content.decode()
    assert tasks_of(client_import) == 1


def test_her_page_says_when_no_worker_was_seen(alice, alice_client):
    client_import = an_import(
        alice.account, status=ClientImport.Status.QUEUED, heartbeat_at=timezone.now()
    )
    url = f"/clients/import/{client_import.pk}/progress/"

    response = alice_client.get(url)
    assert response.context["worker_missing"] is True
    assert 'data-state="no-worker"' in response.content.decode()

    # A worker that ran a task a minute ago is there.
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="nailpro.maintenance.maintenance_tick",
        backend_name="default",
        run_after=timezone.now(),
        status="SUCCESSFUL",
        started_at=timezone.now() - datetime.timedelta(minutes=1),
        finished_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    response = alice_client.get(url)
    assert response.context["worker_missing"] is False
    assert 'data-state="no-worker"' not in response.content.decode()


def test_a_finished_import_needs_no_worker(alice, alice_client):
    client_import = an_import(alice.account, status=ClientImport.Status.DONE, file=None)
    response = alice_client.get(f"/clients/import/{client_import.pk}/progress/")
    assert response.context["worker_missing"] is False


def test_the_maintenance_round_purges_old_imports_and_their_files(
    alice, bob, media_root, django_capture_on_commit_callbacks
):
    now = timezone.now()
    old_draft = an_import(alice.account)
    never_run = an_import(
        bob.account, status=ClientImport.Status.QUEUED, heartbeat_at=now - datetime.timedelta(40)
    )
    old_report = an_import(alice.account, status=ClientImport.Status.DONE, file=None)
    new_draft = an_import(alice.account)
    running = an_import(bob.account, status=ClientImport.Status.RUNNING, heartbeat_at=now)
    with scopes_disabled():
        ClientImport.objects.filter(pk__in=[old_draft.pk, never_run.pk, running.pk]).update(
            created_at=now - datetime.timedelta(days=40)
        )
        ClientImport.objects.filter(pk=old_report.pk).update(
            finished_at=now - datetime.timedelta(days=31)
        )
    gone = [media_root / old_draft.file.name, media_root / never_run.file.name]
    assert all(path.is_file() for path in gone)

    with django_capture_on_commit_callbacks(execute=True):
        maintenance_run()

    with scopes_disabled():
        left = set(ClientImport.objects.values_list("pk", flat=True))
    assert left == {new_draft.pk, running.pk}
    assert not any(path.exists() for path in gone)
    assert (media_root / new_draft.file.name).is_file()
    assert (media_root / running.file.name).is_file()
