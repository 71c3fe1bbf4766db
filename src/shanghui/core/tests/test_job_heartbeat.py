"""A running job is known alive while its worker lives, even through a long step that cannot
report progress (an import's commit: one transaction): the worker beats for it from a thread
of its own, on a connection of its own. The job is given up only once the beats stop."""

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from shanghui.core import jobs
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.members.tasks import export_members
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker


def _start(side: Side, task_: Any = export_members) -> Job:
    with tenant_context(side.association):
        return jobs.job_start(
            association=side.association,
            actor=side.admin,
            kind="members.export",
            label="会员名单导出",
            task=task_,
        )


def _silent_for(job: Job, silence: timedelta) -> None:
    with tenant_context(job.association):
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING, updated_at=timezone.now() - silence
        )


def _status(job: Job) -> str:
    with tenant_context(job.association):
        return jobs.job_check_stalled(Job.objects.get(pk=job.pk)).status


@pytest.mark.django_db
def test_a_heartbeat_keeps_a_silent_job_alive_under_row_level_security(side_a: Side) -> None:
    job = _start(side_a)
    _silent_for(job, jobs.STALLED_AFTER)
    with as_app_role():  # the worker's role
        assert jobs.job_heartbeat(job_id=str(job.pk), association_id=side_a.association.pk)
    assert _status(job) == Job.Status.RUNNING

    _silent_for(job, jobs.STALLED_AFTER)  # the beats stopped: the worker is gone
    assert _status(job) == Job.Status.FAILED
    with as_app_role():  # a late beat does not bring it back
        assert not jobs.job_heartbeat(job_id=str(job.pk), association_id=side_a.association.pk)
    assert _status(job) == Job.Status.FAILED


def _retrying(read: Callable[[], Any]) -> Any:
    """On the in-memory SQLite test database another connection's write is "table is locked"
    at once (the WAL file waits instead); read again, as a page would be reloaded."""
    for _attempt in range(500):
        try:
            return read()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def _until(condition: Callable[[], bool]) -> None:
    for _attempt in range(1000):
        if _retrying(condition):
            return
        time.sleep(0.01)
    raise AssertionError("never happened")


@pytest.fixture
def quick_beats(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(jobs, "HEARTBEAT_EVERY", 0.02)
    yield
    for beat in list(jobs._heartbeats.values()):
        beat.stopped.set()


def _beating(job: Job) -> jobs._Heartbeat:
    """What a worker does as it starts the job's task (``task_started``)."""
    result = DBTaskResult.objects.get(pk=job.task_id).task_result
    jobs.heartbeat_start(sender=None, task_result=result)
    return jobs._heartbeats[str(result.id)]


def _stop(job: Job, beat: jobs._Heartbeat) -> None:
    result = DBTaskResult.objects.get(pk=job.task_id).task_result
    jobs.heartbeat_stop(sender=None, task_result=result)  # ``task_finished``
    beat.join(timeout=30)
    assert not beat.is_alive()


def _alive_since(job: Job, moment: Any) -> Callable[[], bool]:
    def check() -> bool:
        with tenant_context(job.association):
            return Job.objects.get(pk=job.pk).updated_at > moment

    return check


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_from_its_own_thread_while_the_task_is_silent(
    side_a: Side, quick_beats: None
) -> None:
    job = _start(side_a)
    _silent_for(job, jobs.STALLED_AFTER * 2)  # a long step, no progress report
    silent_since = timezone.now()
    beat = _beating(job)
    _until(_alive_since(job, silent_since))
    assert _retrying(lambda: _status(job)) == Job.Status.RUNNING
    _stop(job, beat)


@pytest.mark.django_db(transaction=True)
def test_a_beat_waits_for_the_tasks_long_transaction_and_never_blocks_it(
    side_a: Side, quick_beats: None
) -> None:
    """SQLite has one writer: while the task holds it (an import's commit), a beat waits for
    it or, after the busy timeout, is skipped; on PostgreSQL it waits for the job's row. The
    task's transaction goes through either way, and the beats resume after it."""
    a = side_a.association
    job = _start(side_a)
    _silent_for(job, timedelta(seconds=1))
    beat = _beating(job)
    with tenant_context(a), transaction.atomic():  # the task's one long transaction
        Member.objects.filter(association=a).update(address="南昌市红谷滩区")
        Job.objects.filter(pk=job.pk).update(done=1)  # the job's row, locked to the end
        attempts = beat.attempts
        _until(lambda: beat.attempts > attempts)  # a beat tried meanwhile
        committed_at = timezone.now()
    _until(_alive_since(job, committed_at))  # and the next goes through
    with tenant_context(a):
        assert Member.objects.get(pk=side_a.member.pk).address == "南昌市红谷滩区"
        assert Job.objects.get(pk=job.pk).done == 1
    _stop(job, beat)


seen: list[bool] = []


@task()
def notes_its_heartbeat(*, job_id: str, association_id: int) -> None:
    """A job's task that looks whether the worker is beating for its job."""
    seen.append(any(b.job_id == job_id and b.is_alive() for b in jobs._heartbeats.values()))


@task()
def fails_with_a_heartbeat(*, job_id: str, association_id: int) -> None:
    seen.append(any(b.job_id == job_id for b in jobs._heartbeats.values()))
    raise RuntimeError("出错了")


@pytest.mark.django_db
def test_a_worker_beats_for_a_jobs_task_from_start_to_end(side_a: Side) -> None:
    seen.clear()
    _start(side_a, notes_its_heartbeat)
    _start(side_a, fails_with_a_heartbeat)
    run_worker()
    assert seen == [True, True]
    assert jobs._heartbeats == {}  # stopped with the task, done or failed
    for thread in threading.enumerate():
        if thread.name.startswith("job-heartbeat-"):
            thread.join(timeout=30)
            assert not thread.is_alive()
