"""The database under parallel writes: 8 client creations at once, none answers 500.

On SQLite (the embedded default) the in-memory test database cannot be shared between
connections the way a file is, so the migrated test database is copied to a file first.
On PostgreSQL the test database itself is used.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def database_url(tmp_path):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(tmp_path / "parallel.sqlite3")
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{tmp_path / 'parallel.sqlite3'}"
    given = connection.settings_dict
    return (
        f"postgres://{given['USER']}:{given['PASSWORD']}@{given['HOST'] or '127.0.0.1'}:"
        f"{given['PORT'] or 5432}/{given['NAME']}"
    )


def test_eight_parallel_client_creations_all_succeed(tmp_path):
    environment = {**os.environ, "DATABASE_URL": database_url(tmp_path)}
    environment["DJANGO_SETTINGS_MODULE"] = "nailpro.settings"
    done = subprocess.run(
        [sys.executable, "-m", "tests.nailpro.parallel_clients", "8"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"statuses": [302] * 8, "stored": 8}, done.stderr[-3000:]


def test_sqlite_takes_the_write_lock_first_and_waits_for_it():
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor != "sqlite":
        assert "transaction_mode" not in options
        return
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
