"""One shared queue (issue 13, item 13): thirteen member exports queued in two seconds made
message deliveries wait up to 270 s. Messages have a queue of their own, which a worker of its
own serves — and a worker of every queue takes them first."""

from typing import Any

import pytest

from shanghui.accounts.models import Role
from shanghui.core import jobs, notifications
from shanghui.core.models import Job, OutboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.members.tasks import export_members
from shanghui.testing.factories import RoleFactory
from shanghui.testing.fixtures import Side
from shanghui.testing.messages import note
from shanghui.testing.worker import run_worker

EXPORTS = 13


def queued_exports(side: Side, count: int) -> None:
    """``count`` member exports queued by as many administrators, as the issue measured."""
    a = side.association
    for number in range(count):
        admin = RoleFactory(association=a, kind=Role.Kind.ADMIN).user
        with tenant_context(a):
            jobs.job_start(
                association=a,
                actor=admin,
                kind="members.export",
                label=f"导出{number}",
                task=export_members,
            )


def message(side: Side, phone: str) -> Any:
    with tenant_context(side.association):
        note(association=side.association, phone=phone, subject="活动提醒", text="明天上午九点开会")
        return OutboxMessage.objects.get(phone=phone)


def sent_to(phone: str) -> bool:
    return any(m.to == phone for m in notifications.outbox)


@pytest.mark.django_db
def test_a_message_behind_thirteen_exports_is_sent_by_the_message_worker(side_a: Side) -> None:
    queued_exports(side_a, EXPORTS)
    row = message(side_a, "13911110001")
    run_worker("messages")  # the message queue's worker alone
    assert sent_to("13911110001")
    with tenant_context(side_a.association):
        row.refresh_from_db()
        waiting = Job.objects.filter(status=Job.Status.QUEUED, kind="members.export").count()
    assert row.status == OutboxMessage.Status.SENT
    assert waiting == EXPORTS  # the exports still wait: none ran before it


@pytest.mark.django_db
def test_a_worker_of_every_queue_sends_messages_first(side_a: Side) -> None:
    queued_exports(side_a, 3)
    message(side_a, "13911110002")
    run_worker("*", max_tasks=1)
    assert sent_to("13911110002")
    with tenant_context(side_a.association):
        assert Job.objects.filter(status=Job.Status.QUEUED).count() == 3
