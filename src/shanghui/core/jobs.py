"""Long-running work with a progress bar: a ``Job`` row the page polls, and a django-tasks
task that does the work in ``manage.py db_worker`` and reports progress on the row."""

from __future__ import annotations

import io
import logging
import threading
import time
import uuid
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shanghui.core.audit import audit
from shanghui.core.contributions import may_read_job
from shanghui.core.models import Job, StoredFile
from shanghui.core.storage.files import file_attach, file_store
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Account, Position, Tenant

logger = logging.getLogger(__name__)

UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING)


@transaction.atomic
def job_start(
    *,
    association: Tenant,
    actor: Account,
    kind: str,
    label: str,
    task: Task[Any, Any],
    params: dict[str, Any] | None = None,
    restartable: bool = False,
    **task_kwargs: Any,
) -> Job:
    """Creates the job row and enqueues ``task(job_id=…, association_id=…, **task_kwargs)`` in
    the same transaction: either both exist or neither. The task loads its job with
    ``job_for_task``. ``task_kwargs`` are ids and plain values only: the task queue is no
    tenant table. Anything about people (an export's filters, which may name or number a
    person) goes in ``params``, kept on the job and read back by the task (``job.params``).
    ``restartable``: the task may simply run again with the same arguments should the job
    fail (an export, an idempotent bill run) — its owner then gets 重新开始 (``job_restart``)."""
    return _job_start(
        association=association,
        actor=actor,
        kind=kind,
        label=label,
        task=task,
        params=params,
        restartable=restartable,
        one_per_owner=False,
        task_kwargs=task_kwargs,
    )


@transaction.atomic
def job_start_once(
    *,
    association: Tenant,
    actor: Account,
    kind: str,
    label: str,
    task: Task[Any, Any],
    params: dict[str, Any] | None = None,
    restartable: bool = False,
    **task_kwargs: Any,
) -> tuple[Job, bool]:
    """``job_start`` for work a person needs only once at a time (an export): when ``actor``
    already has a job of ``kind`` queued or running in the association, that job is answered
    and nothing is started (``(job, False)``); otherwise ``(new job, True)``. A unique index
    on the unfinished jobs makes this hold for requests arriving together, not only one
    after another; a job whose worker died (``job_check_stalled``) no longer counts."""
    running = _unfinished_once(association, actor, kind)
    if running is not None:
        return running, False
    try:
        with transaction.atomic():  # the enqueue and the job, or neither
            job = _job_start(
                association=association,
                actor=actor,
                kind=kind,
                label=label,
                task=task,
                params=params,
                restartable=restartable,
                one_per_owner=True,
                task_kwargs=task_kwargs,
            )
    except IntegrityError:  # another request started it meanwhile
        running = _unfinished_once(association, actor, kind)
        if running is None:
            raise
        return running, False
    return job, True


def already_running_message(job: Job) -> str:
    """What a page says when ``job_start_once`` answered a job already under way."""
    return _("您的“%(label)s”已在进行中，这里是它的进度；完成后可以再次开始。") % {
        "label": job.label
    }


def _unfinished_once(association: Tenant, actor: Account, kind: str) -> Job | None:
    job = Job.objects.filter(
        association=association.pk,
        owner=actor.pk,
        kind=kind,
        one_per_owner=True,
        status__in=UNFINISHED,
    ).first()
    if job is None or job_check_stalled(job).status not in UNFINISHED:
        return None
    return job


def _job_start(
    *,
    association: Tenant,
    actor: Account,
    kind: str,
    label: str,
    task: Task[Any, Any],
    params: dict[str, Any] | None,
    restartable: bool,
    one_per_owner: bool,
    task_kwargs: dict[str, Any],
) -> Job:
    # The task first, for its id; a worker sees it only once this transaction commits, with
    # the job (django-tasks-db writes it in the caller's transaction).
    job_id = uuid.uuid4()
    result = task.enqueue(job_id=str(job_id), association_id=association.pk, **task_kwargs)
    job = Job.objects.create(
        pk=job_id,
        association_id=association.pk,
        owner_id=actor.pk,
        kind=kind,
        label=label,
        task_id=str(result.id),
        params=params or {},
        one_per_owner=one_per_owner,
        task_path=task.module_path if restartable else "",
        task_kwargs=task_kwargs if restartable else {},
    )
    audit(actor=actor, action=f"job.{kind}", association=association, target=job, summary=label)
    return job


@transaction.atomic
def job_restart(*, association: Tenant, actor: Account, job: Job) -> tuple[Job, bool]:
    """Starts a failed job again as it was started — its kind, label, parameters and task —
    for its owner: callers reach ``job`` through ``access_job`` (the owner, while their role
    still has the permission its kind needs, which is the one starting it needs). Only kinds
    started ``restartable`` (``Job.can_restart``); refused with a ValidationError otherwise,
    changing nothing. A kind one at a time per owner answers the one already queued or running
    instead (``(job, False)``, as ``job_start_once``). The failed job stays as it was."""
    if job.owner_id != actor.pk or not job.can_restart:
        raise ValidationError(_("这项任务不能重新开始，请回到原页面重新操作。"))
    try:
        task = import_string(job.task_path)
    except ImportError as exc:  # renamed by an upgrade since it ran
        raise ValidationError(_("这项任务不能重新开始，请回到原页面重新操作。")) from exc
    again: dict[str, Any] = {
        "association": association,
        "actor": actor,
        "kind": job.kind,
        "label": job.label,
        "task": task,
        "params": job.params,
        "restartable": True,
        **job.task_kwargs,
    }
    if job.one_per_owner:
        new, started = job_start_once(**again)
    else:
        new, started = job_start(**again), True
    if started:
        audit(
            actor=actor,
            action="job.restart",
            association=association,
            target=new,
            summary=job.label,
            data={"failed_job": str(job.pk)},
        )
    return new, started


def job_for_task(*, job_id: str, association_id: int) -> Job:
    """The job a task works for, marked running: a worker has it. The association comes with
    the task: under row-level security (the worker connects as shanghui_app) no tenant row is
    visible before its context is open."""
    association = apps.get_model("associations", "Association").objects.get(pk=association_id)
    with tenant_context(association):
        Job.objects.filter(association=association, pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, updated_at=timezone.now()
        )
        return Job.objects.select_related("association", "owner").get(
            association=association, pk=job_id
        )


# The three updates below open the job's tenant context themselves, so a task can report from
# anywhere; each is its own short transaction unless the caller holds an outer one.


# Seconds between two progress writes of one job: each write is a commit (on PostgreSQL a
# flush of the log to disk, ~8 ms — a fifth of a second over an import's 23 chunks), and a
# progress bar polled every second needs no more.
PROGRESS_INTERVAL = 0.5
# job id → when its progress was last written, and with what total
_progress_written: dict[Any, tuple[float, int]] = {}


def job_progress(job: Job, *, done: int, total: int, message: str | None = None) -> None:
    """Records how far ``job`` is: the first report, a new total, the last (``done >= total``),
    one with a ``message`` and one every ``PROGRESS_INTERVAL`` seconds in between are written;
    the others dropped. ``message``: what the job has achieved so far (“已导入 N 位会员，正在
    建立搜索索引”), shown under the bar and kept should the job stop unexpectedly after it."""
    now = time.monotonic()
    last, last_total = _progress_written.get(job.pk, (None, None))
    recent = last is not None and now - last < PROGRESS_INTERVAL
    if recent and total == last_total and done < total and message is None:
        return
    _progress_written[job.pk] = (now, total)
    values: dict[str, Any] = {"done": done, "total": total}
    if message is not None:
        values["message"] = message[:500]
    with tenant_context(job.association):
        # A job given up as stalled (``job_check_stalled``) stays given up.
        Job.objects.filter(pk=job.pk, status__in=UNFINISHED).update(
            status=Job.Status.RUNNING, updated_at=timezone.now(), **values
        )


def job_finish(job: Job, *, message: str, filename: str = "", content: bytes = b"") -> None:
    _progress_written.pop(job.pk, None)
    # Stored before the job's transaction opens (``core.storage.files``); an export is never
    # refused for the association's quota.
    result = (
        file_store(
            job.association,
            io.BytesIO(content),
            holder=RESULT_HOLDER,
            name=filename,
            max_bytes=len(content),
            check_quota=False,
        )
        if content
        else None
    )
    with tenant_context(job.association):
        _job_finish(job, message=message, filename=filename, result=result)


RESULT_HOLDER = "core.job.result_file"


def _job_finish(job: Job, *, message: str, filename: str, result: StoredFile | None) -> None:
    job.refresh_from_db(fields=["total", "result_file"])
    if result is not None:
        file_attach(job, "result_file", result)
        job.result_name = filename
    job.status = Job.Status.DONE
    job.message = message[:500]
    job.done = job.total
    job.save(update_fields=["result_name", "status", "message", "done", "updated_at"])


def job_fail(job: Job, *, message: str) -> None:
    _progress_written.pop(job.pk, None)
    with tenant_context(job.association):
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=message[:500], updated_at=timezone.now()
        )


# While a worker runs a job's task, a heartbeat thread in the worker marks the job alive every
# HEARTBEAT_EVERY seconds (``job_heartbeat``), whatever the task is doing — an import's commit
# is one transaction of ~15 s per 100,000 rows that cannot report progress. A job silent for
# STALLED_AFTER has lost its worker — killed, out of memory, its server restarted — and
# django-tasks-db never runs a claimed task again: it is given up as failed, so that its page
# stops waiting and the user can start the work again. Six beats missed: on SQLite a beat
# waits for (or, after the busy timeout, skips) a long write transaction of the task's own.
HEARTBEAT_EVERY = 15.0
STALLED_AFTER = timedelta(seconds=90)


def job_check_stalled(job: Job) -> Job:
    """``job`` as it stands, given up as failed first when it has been running without a
    report or a heartbeat for ``STALLED_AFTER`` — or queued that long while its task was taken
    by a worker that never got to it, or has ended. Called where a job is read, inside its
    tenant context."""
    if job.status not in UNFINISHED or timezone.now() - job.updated_at < STALLED_AFTER:
        return job
    if job.status == Job.Status.QUEUED and not _task_taken(job):
        return job  # waiting for a worker, not lost by one
    message = stalled_message()
    if job.message:  # what it had achieved (``job_progress(message=…)``)
        message = _("后台任务意外中断（服务器可能重启过）。中断前：%(progress)s") % {
            "progress": job.message
        }
    # Conditional on the report read: one that arrives meanwhile keeps the job alive.
    Job.objects.filter(pk=job.pk, status=job.status, updated_at=job.updated_at).update(
        status=Job.Status.FAILED, message=message[:500], updated_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _task_taken(job: Job) -> bool:
    """Whether the job's task was taken by a worker ``STALLED_AFTER`` ago or more, has ended,
    or is gone — while the job still says it is queued. Read from django-tasks-db's table
    itself: resolving the stored task (``get_result``) fails for a task renamed since."""
    if not job.task_id:
        return False
    task = DBTaskResult.objects.filter(pk=job.task_id).values("status", "started_at").first()
    if task is None:  # pruned or lost: nothing will ever run it
        return True
    if task["status"] == TaskResultStatus.READY:
        return False
    started = task["started_at"]
    return task["status"] != TaskResultStatus.RUNNING or (
        started is not None and timezone.now() - started >= STALLED_AFTER
    )


def job_heartbeat(*, job_id: str, association_id: int) -> bool:
    """One heartbeat: the job, while queued or running, is marked alive now. One short
    transaction of its own (under row-level security, in the job's tenant context); whether
    the job was still unfinished."""
    association = apps.get_model("associations", "Association").objects.get(pk=association_id)
    with tenant_context(association):
        return bool(
            Job.objects.filter(association=association, pk=job_id, status__in=UNFINISHED).update(
                updated_at=timezone.now()
            )
        )


class _Heartbeat(threading.Thread):
    """Beats for one job while its task runs in this worker process: its own thread and its
    own database connection, so a task busy in a long step (or a long transaction) still
    shows as alive — and a worker that dies takes its heartbeat with it. A beat that fails
    (the database busy, e.g. SQLite's one writer held by the task for longer than the busy
    timeout) is skipped; the task never waits for the heartbeat."""

    def __init__(self, *, job_id: str, association_id: int) -> None:
        super().__init__(name=f"job-heartbeat-{job_id}", daemon=True)
        self.job_id = job_id
        self.association_id = association_id
        self.stopped = threading.Event()
        self.attempts = 0  # beats begun (one may be waiting for the database)
        self.beats = 0  # beats written

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_EVERY):
                self.attempts += 1
                try:
                    if not job_heartbeat(job_id=self.job_id, association_id=self.association_id):
                        return  # finished or given up: nothing left to keep alive
                except DatabaseError:
                    logger.warning("Heartbeat of job %s skipped", self.job_id, exc_info=True)
                    connections.close_all()  # the next beat starts on a fresh connection
                    continue
                self.beats += 1
        finally:
            connections.close_all()  # this thread's own


_heartbeats: dict[str, _Heartbeat] = {}


def heartbeat_start(sender: object, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """``task_started`` receiver (connected in ``CoreConfig.ready``): a worker is starting a
    task; one that works for a job (``job_start``'s arguments) gets a heartbeat."""
    arguments = task_result.kwargs
    if "job_id" not in arguments or "association_id" not in arguments:
        return
    beat = _Heartbeat(job_id=str(arguments["job_id"]), association_id=arguments["association_id"])
    _heartbeats[str(task_result.id)] = beat
    beat.start()


def heartbeat_stop(sender: object, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """``task_finished`` receiver: the task ended (done or failed); its heartbeat stops."""
    beat = _heartbeats.pop(str(task_result.id), None)
    if beat is not None:
        beat.stopped.set()


def stalled_message() -> str:
    return _("后台任务意外中断（服务器可能重启过），未能完成。请重新操作。")


def access_job(*, association: Tenant, actor: Account, role: Position | None, job_id: str) -> Job:
    """A job — its progress and its result file — is visible to the person who started it,
    inside its association, while their role there still has the permission its kind needs
    (``core.contributions.JOB_KINDS``, which each app fills for its kinds: a demoted
    administrator no longer downloads the member export they made); the same 404 otherwise."""
    try:
        uuid.UUID(str(job_id))
    except ValueError as exc:
        raise Http404 from exc
    job = Job.objects.filter(association=association.pk, owner=actor.pk, pk=job_id).first()
    if job is None or not may_read_job(role, job.kind):
        raise Http404
    return job_check_stalled(job)
