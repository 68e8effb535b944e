"""Background work of the whole business, run by `manage.py db_worker` (django-tasks).

An export survives its worker's death: the build writes a heartbeat as it goes; once it is
older than the lease (`TASK_LEASE_SECONDS`), the maintenance round or her page queues the
export again and the next worker builds it from the start (a ZIP cannot be half-resumed; its
file name is fixed, so a rebuilt ZIP replaces any piece a dead build left behind).
"""

import logging
import tempfile
import time

from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks import task

from clients.models import AccessLog, Client
from nailpro.maintenance import stale_before

from .account_export import Exporter, account_exports_purge
from .models import AccountExport, export_path
from .retention import erased

logger = logging.getLogger(__name__)
# An export whose worker died this many times is marked failed: she may start another.
MAX_ATTEMPTS = 3
HEARTBEAT_EVERY = 5  # seconds between two heartbeats while the ZIP is written


class LeaseLost(Exception):
    """Another worker took this export over (this one was thought dead): this run stops."""


def exports_recover():
    """Queue again every export whose worker died (the maintenance round)."""
    with scopes_disabled():
        dead = AccountExport._base_manager.filter(
            status__in=[AccountExport.Status.PENDING, AccountExport.Status.RUNNING]
        ).filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale_before()))
        for export in dead:
            export_resume(export)


def export_resume(export):
    """Queue again an export whose worker died; after MAX_ATTEMPTS runs, mark it failed.

    Only one caller wins (the update is conditional on the heartbeat it saw). Return whether
    it was queued again.
    """
    same = AccountExport._base_manager.filter(
        pk=export.pk,
        status__in=[AccountExport.Status.PENDING, AccountExport.Status.RUNNING],
        heartbeat_at=export.heartbeat_at,
        attempts=export.attempts,
    )
    if export.attempts >= MAX_ATTEMPTS:
        same.update(status=AccountExport.Status.FAILED, error="worker died", progress=0)
        return False
    if not same.update(status=AccountExport.Status.PENDING, heartbeat_at=timezone.now()):
        return False
    logger.warning("Account export %s lost its worker: queued again", export.pk)
    pk = str(export.pk)
    transaction.on_commit(lambda: account_export_build.enqueue(pk))
    return True


@task()
def account_export_build(export_id):
    """Build an account's export ZIP. Safe to run twice: only one run holds it at a time."""
    with scopes_disabled():
        account_exports_purge()
        claimed = AccountExport._base_manager.filter(
            pk=export_id, status=AccountExport.Status.PENDING
        ).update(
            status=AccountExport.Status.RUNNING,
            progress=0,
            attempts=F("attempts") + 1,
            heartbeat_at=timezone.now(),
        )
        if not claimed:
            return
        export = AccountExport._base_manager.select_related("account").get(pk=export_id)
        mine = AccountExport._base_manager.filter(
            pk=export.pk, status=AccountExport.Status.RUNNING, attempts=export.attempts
        )
        beaten = [time.monotonic()]

        def on_progress(percent):
            # Called at each step and every few thousand rows: the heartbeat at most every
            # few seconds, the progress whenever it moves.
            now = time.monotonic()
            if percent == export.progress and now - beaten[0] < HEARTBEAT_EVERY:
                return
            beaten[0] = now
            export.progress = percent
            if not mine.update(progress=percent, heartbeat_at=timezone.now()):
                raise LeaseLost(export.pk)

        storage = export.file.storage
        try:
            with tempfile.TemporaryFile() as target:
                Exporter(export.account, on_progress).write(target)
                target.seek(0)
                name = export_path(export, "")
                storage.delete(name)  # what a build killed while saving left behind
                name = storage.save(name, File(target))
        except LeaseLost:
            logger.warning("Account export %s: taken over by another worker", export.pk)
            return
        except Exception as error:
            mine.update(status=AccountExport.Status.FAILED, error=repr(error)[:2000])
            raise

        with transaction.atomic():
            current = mine.select_for_update().first()
            if current is None:
                # Deleted meanwhile (a newer export): its file goes too. Taken over by
                # another run: the file name is that run's too, so it stays.
                if not AccountExport._base_manager.filter(pk=export.pk).exists():
                    transaction.on_commit(lambda: storage.delete(name))
                return
            current.file.name = name
            current.status = AccountExport.Status.READY
            current.progress = 100
            current.finished_at = current.heartbeat_at = timezone.now()
            current.save(
                update_fields=["file", "status", "progress", "finished_at", "heartbeat_at"]
            )
            clients = Client.objects.filter(account=export.account).exclude(erased())
            AccessLog.objects.bulk_create(
                AccessLog(
                    account_id=export.account_id,
                    client_id=client_id,
                    user_id=export.requested_by_id,
                    action=AccessLog.Action.EXPORTED,
                    where="account export",
                )
                for client_id in clients.values_list("pk", flat=True).iterator()
            )
