"""The worker's own rounds: resume work whose worker died, purge what outlived its purpose.

django-tasks has no scheduler, so `maintenance_tick` re-enqueues itself every
`MAINTENANCE_EVERY` seconds: once any page or `manage.py purge_expired` (run by `make run`)
has started it, every running `db_worker` keeps it going. Each app registers its own jobs
from its `AppConfig.ready()` (as with the privacy registry, the core never imports the apps).

A task's liveness is a lease: work in progress writes a heartbeat at least every few seconds,
and a run whose heartbeat is older than `TASK_LEASE_SECONDS` lost its worker.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks import task
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)
# A worker that started or finished no task for this long is not there (the maintenance tick
# alone runs every minute; a long task keeps its own heartbeat, which the pages also read).
WORKER_SILENT_AFTER = datetime.timedelta(minutes=3)

_jobs = []


def register(job):
    """Run `job()` at each maintenance round (recovery, purge); it must be idempotent."""
    if job not in _jobs:
        _jobs.append(job)


def lease():
    """Return how long a run may go without a heartbeat before it counts as dead."""
    return datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)


def stale_before():
    """Return the time before which a heartbeat means its worker died."""
    return timezone.now() - lease()


def maintenance_run():
    """Run every registered job now; one failing job does not stop the others."""
    with scopes_disabled():
        for job in list(_jobs):
            try:
                job()
            except Exception:
                logger.exception("Maintenance job %s failed", getattr(job, "__name__", job))


def _pending():
    return DBTaskResult.objects.filter(
        task_path=maintenance_tick.module_path, status="READY"
    ).exists()


def maintenance_ensure():
    """Queue the maintenance round unless one is already waiting; cheap, safe to call often.

    Two callers at the same instant may both queue one: the rounds then notice each other
    and only one queues the next (see `maintenance_tick`).
    """
    if not _pending():
        transaction.on_commit(_start)


def _start():
    if not _pending():
        maintenance_tick.enqueue()


@task()
def maintenance_tick():
    """Run the maintenance jobs, then queue the next round (unless another is waiting)."""
    if not _pending():
        next_run = timezone.now() + datetime.timedelta(seconds=settings.MAINTENANCE_EVERY)
        maintenance_tick.using(run_after=next_run).enqueue()
    maintenance_run()


def worker_seen():
    """Return whether a worker started or finished a task lately."""
    since = timezone.now() - WORKER_SILENT_AFTER
    recent = Q(started_at__gte=since) | Q(finished_at__gte=since)
    return DBTaskResult.objects.filter(recent).exists()
