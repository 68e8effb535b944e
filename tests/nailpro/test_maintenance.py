"""The worker's maintenance round comes back by itself, once, and is started idempotently."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from nailpro.maintenance import maintenance_ensure, maintenance_tick, worker_seen

pytestmark = pytest.mark.django_db


def ticks():
    return DBTaskResult.objects.filter(task_path=maintenance_tick.module_path, status="READY")


def test_a_round_queues_the_next_one_a_minute_later_once(settings):
    settings.MAINTENANCE_EVERY = 60
    before = timezone.now()
    maintenance_tick.call()
    assert ticks().count() == 1
    assert ticks().get().run_after >= before + datetime.timedelta(seconds=60)
    maintenance_tick.call()  # a second chain (two pages started it at once) dies out
    assert ticks().count() == 1


def test_starting_it_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        maintenance_ensure()
        maintenance_ensure()
    assert ticks().count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        maintenance_ensure()
    assert ticks().count() == 1


def test_the_purge_command_runs_the_round_and_starts_it(django_capture_on_commit_callbacks):
    for _time in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("purge_expired")
        assert ticks().count() == 1
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired", "--no-schedule")
    assert not ticks().exists()


def test_a_worker_is_seen_by_the_tasks_it_ran_lately():
    assert not worker_seen()
    result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=maintenance_tick.module_path,
        backend_name="default",
        run_after=timezone.now(),
        status="SUCCESSFUL",
        started_at=timezone.now() - datetime.timedelta(minutes=10),
        finished_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    assert not worker_seen()
    DBTaskResult.objects.filter(pk=result.pk).update(finished_at=timezone.now())
    assert worker_seen()
