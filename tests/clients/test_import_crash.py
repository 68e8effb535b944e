"""A worker killed mid-import: the import is shown interrupted, resumed, and every row lands
exactly once. The real thing: `manage.py db_worker` subprocesses, SIGKILL."""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from clients.models import Client, ClientImport
from tests.factories import make_pro

ROOT = Path(__file__).resolve().parents[2]
ROWS = 4000
LEASE = 3  # seconds without a heartbeat before a run counts as dead (120 in production)


@pytest.fixture
def shared_database(transactional_db, tmp_path, media_root):
    """Yield the environment that points a subprocess at this test's database and media.

    PostgreSQL: the test database itself. SQLite: the in-memory test database is copied to
    a file, which this process then uses too, for the time of the test.
    """
    env = {
        **os.environ,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "TASK_LEASE_SECONDS": str(LEASE),
        "DJANGO_CONN_MAX_AGE": "0",
    }
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict["USER"] or ""
        if settings_dict["PASSWORD"]:
            user += f":{settings_dict['PASSWORD']}"
        host = f"{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}"
        env["DATABASE_URL"] = f"postgres://{user}@{host}/{settings_dict['NAME']}"
        yield env
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    with sqlite3.connect(path) as target:
        memory.backup(target)
    target.close()
    name = settings_dict["NAME"]
    connection.connection = None  # the in-memory database stays open, set aside
    settings_dict["NAME"] = str(path)
    env["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        yield env
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = memory


def start_worker(env, log):
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.2"]
    # A fixed command line: nothing in it comes from outside the test.
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def current(client_import):
    with scopes_disabled():
        client_import.refresh_from_db()
    return client_import


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Timed out waiting for {what}")


def test_a_worker_killed_mid_import_is_resumed_and_every_row_imported_once(
    shared_database, alice, alice_client, settings, media_root, tmp_path
):
    settings.TASK_LEASE_SECONDS = LEASE
    make_pro(alice.account)
    lines = ["Prénom,Nom,Notes"] + [f"Cliente{n:05d},Test,row {n}" for n in range(1, ROWS + 1)]
    data = ("\r\n".join(lines) + "\r\n").encode()
    response = alice_client.post(
        "/clients/import/", {"file": SimpleUploadedFile("clientes.csv", data)}
    )
    assert response.status_code == 302
    with scopes_disabled():
        client_import = ClientImport.objects.get()
    stored = media_root / client_import.file.name
    assert stored.is_file()
    post = {f"column_{index}": name for index, name in enumerate(client_import.mapping)}
    response = alice_client.post(f"/clients/import/{client_import.pk}/", {**post, "start": ""})
    assert response.status_code == 302

    log = (tmp_path / "worker.log").open("w")
    started = time.monotonic()
    worker = start_worker(shared_database, log)
    try:
        wait_for(lambda: current(client_import).done >= 500, 20, "the import to start")
        worker.send_signal(signal.SIGKILL)
        worker.wait(5)
    finally:
        if worker.poll() is None:
            worker.kill()
    killed = current(client_import)
    print(f"\nkilled at {killed.done}/{ROWS} rows, {time.monotonic() - started:.1f}s in")
    assert killed.status == ClientImport.Status.RUNNING
    assert 0 < killed.done < ROWS, "the worker finished before it was killed"
    with scopes_disabled():
        # What was committed is whole checkpoints: the clients and the cursor agree.
        assert Client.objects.filter(account=alice.account).count() == killed.created
    assert killed.created == killed.next_row

    # Once the lease has run out, her page says it was interrupted and queues it again.
    wait_for(
        lambda: (
            current(client_import).heartbeat_at < timezone.now() - datetime.timedelta(seconds=LEASE)
        ),
        LEASE + 5,
        "the lease to run out",
    )
    assert current(client_import).is_stale
    response = alice_client.get(f"/clients/import/{client_import.pk}/progress/")
    assert response.status_code == 200
    shown = response.context["client_import"]
    assert shown.is_interrupted
    assert shown.status == ClientImport.Status.QUEUED
    assert response.context["worker_missing"] is False  # the killed worker was seen lately

    worker = start_worker(shared_database, log)
    try:
        wait_for(lambda: current(client_import).is_finished, 25, "the import to finish")
    finally:
        worker.terminate()
        worker.wait(10)
    log.close()
    print(f"resumed and finished {time.monotonic() - started:.1f}s after the first start")

    done = current(client_import)
    assert done.status == ClientImport.Status.DONE, (tmp_path / "worker.log").read_text()
    assert done.attempts == 2
    assert (done.created, done.skipped, done.rejected) == (ROWS, 0, [])
    with scopes_disabled():
        names = Counter(
            Client.objects.filter(account=alice.account).values_list("first_name", flat=True)
        )
    assert len(names) == ROWS
    assert set(names.values()) == {1}
    assert not done.file
    assert not stored.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]
