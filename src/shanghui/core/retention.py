"""How long background work keeps what it knew about people: ``TASK_RETENTION_DAYS``.

The task queue (django-tasks-db's table, which has no row-level security) holds only ids and
plain values, but its rows — with their return values and error messages — would stay for
ever; an outbox message keeps the phone, address and text it was sent to; an export's job
keeps its filters (a name, a phone's digits). ``prune`` removes the first and empties the
others once they are older than the retention period, leaving the statuses and counts that
the delivery log and the job list show. Run daily by ``manage.py prune_tasks`` (cron).
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Q
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shanghui.core.models import Job, OutboxMessage
from shanghui.core.tenancy import tenant_context


@dataclass(frozen=True)
class Pruned:
    tasks: int
    messages: int
    jobs: int


def prune(*, before: datetime) -> Pruned:
    """Deletes the queue's tasks that finished before ``before`` (and those a worker claimed
    before it and never finished: nothing runs them again), and empties the personal content
    of every outbox message created before it — one never sent by then is given up — and the
    parameters of jobs finished before it. Each association in its own tenant context (the
    command runs as the row-level-security role like everything else); safe to run twice."""
    tasks, _ = DBTaskResult.objects.filter(
        Q(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=before)
        | Q(status=TaskResultStatus.RUNNING, started_at__lt=before)
    ).delete()
    messages = jobs = 0
    associations = apps.get_model("associations", "Association").objects.only("pk")
    for association in associations.order_by("pk").iterator():
        with tenant_context(association):
            old = OutboxMessage.objects.filter(association=association, created_at__lt=before)
            old.filter(
                status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING]
            ).update(status=OutboxMessage.Status.FAILED)
            messages += old.exclude(
                phone="", email="", subject="", text="", last_error="", params={}, link=""
            ).update(phone="", email="", subject="", text="", last_error="", params={}, link="")
            jobs += (
                Job.objects.filter(
                    association=association,
                    status__in=[Job.Status.DONE, Job.Status.FAILED],
                    updated_at__lt=before,
                )
                .exclude(params={})
                .update(params={})
            )
    return Pruned(tasks=tasks, messages=messages, jobs=jobs)
