"""A send to a whole audience (23,000 members): one core ``Job`` with a progress bar, never
inside a request.

Apps register recipient sources by name (``register_recipient_source`` in their
``AppConfig.ready``): a callable of ``(association, owner_id)`` that yields ``(Recipient,
params)`` pairs, read inside the association's tenant context. ``broadcast`` creates the job
and enqueues its walker in the caller's transaction; the walker reads the source, then writes
inbox and log rows ``BROADCAST_CHUNK`` recipients at a time in short transactions, each
enqueuing small ``deliver`` tasks. Every ``deliver`` task advances the job's ``done`` by the
recipients it completed, with one ``F()`` update (several workers share the fan-out), and the
job is done when ``done`` reaches ``total``. A failed delivery still counts as done: the
job's progress is the send's, the 未送达 list holds what did not arrive."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from shanghui.core import jobs
from shanghui.core.models import Job
from shanghui.core.notify.delivery import (
    Recipient,
    broadcast_progress,
    enqueue_planned,
    write_messages,
)
from shanghui.core.notify.kinds import message_kind
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Account, Tenant

RecipientSource = Callable[[Any, int], Iterable[tuple[Recipient, Mapping[str, object]]]]
RECIPIENT_SOURCES: dict[str, RecipientSource] = {}
BROADCAST_CHUNK = 500
JOB_KIND = "core.broadcast"


def register_recipient_source(name: str, source: RecipientSource) -> None:
    """Once per name ("members.representatives"), in the app's ``AppConfig.ready``."""
    known = RECIPIENT_SOURCES.get(name)
    if known is not None and known is not source:
        raise ImproperlyConfigured(f"Recipient source {name!r} is registered twice")
    RECIPIENT_SOURCES[name] = source


def broadcast(
    *,
    association: Tenant,
    actor: Account,
    kind: str,
    source: str,
    owner_id: int,
    target_type: str = "",
    target_id: int | None = None,
    link: str = "",
    label: str = "",
    job_kind: str = JOB_KIND,
) -> Job:
    """Starts the send of ``kind`` to everyone ``source`` yields for ``owner_id`` (an
    announcement's id …) as a job, in the caller's transaction; answers the job, whose
    progress page is ``site:job_progress``. ``job_kind``: the job's kind, which decides who
    may follow it (``core.contributions.JOB_KINDS``; the calling app may register its own,
    "publishing.announcement.send"; "core.broadcast" is readable with MANAGE_MEMBERS)."""
    message = message_kind(kind)
    if source not in RECIPIENT_SOURCES:
        raise ImproperlyConfigured(f"Unknown recipient source {source!r}")
    return jobs.job_start(
        association=association,
        actor=actor,
        kind=job_kind,
        label=label or _("群发：%(kind)s") % {"kind": message.label},
        task=broadcast_walk,
        params={"link": link},
        kind_code=kind,
        source=source,
        owner_id=owner_id,
        target_type=target_type,
        target_id=target_id,
    )


@task()
def broadcast_walk(
    *,
    job_id: str,
    association_id: int,
    kind_code: str,
    source: str,
    owner_id: int,
    target_type: str = "",
    target_id: int | None = None,
) -> None:
    job = jobs.job_for_task(job_id=job_id, association_id=association_id)
    association = job.association
    try:
        kind = message_kind(kind_code)
        with tenant_context(association):
            recipients = list(RECIPIENT_SOURCES[source](association, owner_id))
            Job.objects.filter(pk=job.pk).update(
                total=len(recipients), done=0, updated_at=timezone.now()
            )
        if not recipients:
            jobs.job_finish(job, message=_("没有收件人。"))
            return
        link = str(job.params.get("link", ""))
        for start in range(0, len(recipients), BROADCAST_CHUNK):
            chunk = recipients[start : start + BROADCAST_CHUNK]
            with tenant_context(association), transaction.atomic():
                planned = write_messages(
                    association=association,
                    kind=kind,
                    messages=chunk,
                    target_type=target_type,
                    target_id=target_id,
                    link=link,
                )
                idle = enqueue_planned(association=association, planned=planned, job_id=str(job.pk))
                if idle:
                    Job.objects.filter(pk=job.pk).update(
                        done=F("done") + idle, updated_at=timezone.now()
                    )
        broadcast_progress(association=association, job_id=str(job.pk), units=0)
    except Exception as exc:
        jobs.job_fail(job, message=_("群发中断：%(error)s") % {"error": exc})
        raise
