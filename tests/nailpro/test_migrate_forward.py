"""A database made before the account export moved to `business` migrates forward with its
exports: the model changes app, its table (nailpro_accountexport) and rows stay."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from business.models import AccountExport
from business.tasks import account_export_build

# Where main stood before the move: the core's latest migration, and no `business` app yet.
CORE_BEFORE = ("nailpro", "0006_account_rebook_after_weeks")
BEFORE_THE_MOVE = [CORE_BEFORE, ("business", None)]
# (the task queue, django_tasks_db, is at its latest either way.)


def migrate(targets=None):
    """Migrate to `targets` (the latest migrations if None); return the executor."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()  # the graph now knows what is applied
    return executor


@pytest.mark.django_db(transaction=True)
def test_an_export_made_in_the_core_is_read_from_business_after_migrating():
    try:
        executor = migrate(BEFORE_THE_MOVE)
        applied = executor.loader.applied_migrations
        assert ("business", "0001_initial") not in applied
        assert ("nailpro", "0007_accountexport_to_business") not in applied
        # The models as they stand: the other apps' migrations that need a later core went back
        # with it, so the state is that of what is applied, not of the other apps' leaves.
        old = executor.loader.project_state(list(applied)).apps
        account = old.get_model("nailpro", "Account").objects.create(name="Alice Nails")
        old_export = old.get_model("nailpro", "AccountExport").objects.create(
            account=account,
            status="ready",
            progress=100,
            file=f"accounts/{account.pk}/exports/made-before.zip",
        )

        queued = old.get_model("django_tasks_database", "DBTaskResult").objects.create(
            task_path="nailpro.tasks.account_export_build",
            args_kwargs={"args": [str(old_export.pk)], "kwargs": {}},
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        )

        migrate()

        # Its queued build runs under the task's new path.
        assert DBTaskResult.objects.get(pk=queued.pk).task_path == account_export_build.module_path
        with scopes_disabled():
            export = AccountExport.objects.get(pk=old_export.pk)
        assert export.account_id == account.pk
        assert export.status == AccountExport.Status.READY
        assert export.progress == 100
        assert export.file.name == f"accounts/{account.pk}/exports/made-before.zip"
        assert AccountExport._meta.db_table == "nailpro_accountexport"
    finally:
        migrate()  # leave the database at the latest migrations, whatever happened


@pytest.mark.django_db(transaction=True)
def test_migrating_back_keeps_the_table_too():
    try:
        migrate(BEFORE_THE_MOVE)
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        assert "nailpro_accountexport" in tables
    finally:
        migrate()
