"""Messages go through the association's outbox and the task queue holds ids, not people: no
phone, address, message text, one-time code or export filter in any task's arguments, and
nothing kept longer than ``TASK_RETENTION_DAYS``."""

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from shanghui.accounts.services.tokens import api_token_create
from shanghui.core import notifications
from shanghui.core.models import Job, OutboxMessage
from shanghui.core.rls import tenant_models
from shanghui.core.tenancy import tenant_context
from shanghui.dues.tests.helpers import days_ago, make_bill
from shanghui.events.services import events as event_services
from shanghui.events.services import guests as guest_services
from shanghui.events.tests.factories import make_event, make_member_user, register
from shanghui.testing.fixtures import Side
from shanghui.testing.messages import note
from shanghui.testing.worker import app_role, run_worker

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def queued_tasks() -> str:
    """Everything django-tasks-db keeps of every task — arguments, return value, error — as
    one text to search."""
    return json.dumps(list(DBTaskResult.objects.values()), default=str, ensure_ascii=False)


def task_of(message_id: int) -> DBTaskResult:
    return next(
        t
        for t in DBTaskResult.objects.all()
        if message_id in t.args_kwargs["kwargs"].get("message_ids", [])
    )


def test_the_task_queue_holds_no_personal_data(side_a: Side) -> None:
    """Every kind of enqueue — a message to one person, one to all registrants, invitations,
    a guest's one-time code, the two exports with a filter naming a person — and the tasks
    those queue in turn: none keeps a phone, an address, a text, a code or a filter; and the
    messages still reach the people, sent by workers under row-level security."""
    a = side_a.association
    slug = a.slug
    guest_phone = "13912345678"
    attendee = make_member_user(a, "报名人", phone="13722223333")
    event = make_event(a, side_a.admin, title="台风季座谈会")
    register(a, event, attendee)  # its confirmation: a message to one person
    with tenant_context(a):
        guest_services.guest_code_send(association=a, phone=guest_phone)
        code = OutboxMessage.objects.get(phone=guest_phone).text.split("验证码为 ")[1][:6]
    invitations = api(side_a.admin).post(
        f"/api/v1/associations/{slug}/events/{event.pk}/invitations"
    )
    assert invitations.status_code == 202, invitations.content
    make_bill(a, side_a.member, due_on=days_ago(40))
    for path in ("members/exports", "dues/arrears/exports"):
        response = api(side_a.admin).post(
            f"/api/v1/associations/{slug}/{path}",
            {"q": side_a.person.name},
            content_type="application/json",
        )
        assert response.status_code == 202, response.content
    run_worker()  # exports and invitations run, the invitations queue their messages
    with tenant_context(a):  # to every registrant, from the secretariat's request
        event_services.event_cancel(
            association=a, actor=side_a.admin, event=event, reason="因台风延期"
        )
    run_worker()

    queue = queued_tasks()
    assert DBTaskResult.objects.filter(task_path__endswith="deliver").exists()
    for secret in (
        guest_phone,
        attendee.phone,
        side_a.person.phone,
        side_a.person.name,
        code,
        "台风季座谈会",
        "因台风延期",
        "验证码",
    ):
        assert secret not in queue, secret
    assert DBTaskResult.objects.exclude(status="SUCCESSFUL").count() == 0, queue
    with tenant_context(a):
        jobs = Job.objects.filter(association=a, kind__endswith="export")
        assert [job.status for job in jobs] == ["done", "done"]
        assert [job.params["q"] for job in jobs] == [side_a.person.name] * 2
    assert any(m.to == guest_phone and code in m.text for m in notifications.outbox)
    told = {m.to for m in notifications.outbox if "因台风延期" in m.text}
    invited = {m.to for m in notifications.outbox if "诚邀" in m.text}
    assert {attendee.phone, side_a.person.phone} <= invited
    assert attendee.phone in told


def test_a_message_is_sent_once_and_each_channel_recorded(side_a: Side) -> None:
    a = side_a.association
    with app_role(), tenant_context(a):  # as a request writes it
        note(
            association=a,
            phone="13700001234",
            email="gong@example.cn",
            subject="会费",
            text="请缴费",
        )
    assert notifications.outbox == [] and mail.outbox == []  # not before a worker sends it
    run_worker()
    run_worker()
    assert [(m.channel, m.to) for m in notifications.outbox] == [("sms", "13700001234")]
    assert [m.to for m in mail.outbox] == [["gong@example.cn"]]
    with tenant_context(a):
        rows = {m.channel: m for m in OutboxMessage.objects.filter(association=a)}
    assert set(rows) == {"sms", "email"}  # one log row per channel; WeChat is off
    for row in rows.values():
        assert (row.status, row.attempts, row.kind) == ("sent", 1, "testing.note")
        assert row.sent_at is not None
    assert rows["sms"].provider_message_id.startswith("memory-")


@override_settings(SMS_BACKEND="aliyun", SMS_ACCESS_KEY="", SMS_ACCESS_SECRET="")
def test_a_failing_channel_is_recorded_retried_and_the_others_still_go(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        notifications.notify_each(
            association=a,
            kind="testing.note",
            messages=[
                (notifications.Recipient(phone="13700001234", email="gong@example.cn"),
                 {"subject": "s", "text": "一"}),
                (notifications.Recipient(phone="13700005678"), {"subject": "s", "text": "二"}),
            ],
        )  # fmt: skip
    run_worker()
    assert [m.to for m in mail.outbox] == [["gong@example.cn"]]
    with tenant_context(a):
        rows = {(m.phone, m.channel): m for m in OutboxMessage.objects.filter(association=a)}
    email = rows[("", "email")]
    sms = [rows[("13700001234", "sms")], rows[("13700005678", "sms")]]
    assert email.status == "sent"
    for row in sms:
        # Not lost, not "sent": queued again for later, with the gateway's reason.
        assert (row.status, row.attempts, row.sent_at) == ("queued", 1, None)
        assert "SMS_ACCESS_KEY" in row.last_error
        assert row.next_attempt_at is not None and row.next_attempt_at > timezone.now()
    # The task that met the failures is recorded as failed, and one retry pass for both
    # (not a task per row) waits until both are due.
    first, *retries = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "FAILED" and len(retries) == 1
    [retry] = retries
    assert retry.task_path.endswith("retry_due") and retry.status == "READY"
    assert all(row.next_attempt_at <= retry.run_after for row in sms)
    assert retry.run_after < timezone.now() + timedelta(minutes=2)


def test_a_rolled_back_change_queues_no_message(side_a: Side) -> None:
    a = side_a.association
    with pytest.raises(RuntimeError), tenant_context(a), transaction.atomic():
        note(association=a, phone="13700001234", subject="s", text="不发")
        raise RuntimeError
    run_worker()
    assert notifications.outbox == []
    assert not DBTaskResult.objects.exists()


def test_the_outbox_is_a_tenant_table() -> None:
    """Under row-level security like every tenant table (test_tenancy walks them all)."""
    assert OutboxMessage in tenant_models()


@pytest.mark.postgres_only
def test_another_association_sees_none_of_the_outbox(side_a: Side, side_b: Side) -> None:
    with tenant_context(side_a.association):
        note(association=side_a.association, phone="13700001234", subject="s", text="甲的消息")
    with app_role(), scopes_disabled():
        with tenant_context(side_b.association):
            assert not OutboxMessage.objects.exists()
        with tenant_context(side_a.association):
            assert OutboxMessage.objects.get().text == "甲的消息"


@override_settings(TASK_RETENTION_DAYS=3)
def test_prune_tasks_forgets_people_after_the_retention_days(side_a: Side) -> None:
    """After ``TASK_RETENTION_DAYS``: finished tasks are deleted; messages keep their statuses
    but no phone, address or text (one never sent is given up); finished jobs lose their
    filters. Younger ones are kept. Run as the application role, as cron runs it."""
    a = side_a.association
    with tenant_context(a):
        for text in ("旧消息", "新消息", "旧的未发出"):
            note(association=a, phone="13700001234", subject="s", text=text)
        job = Job.objects.create(
            association=a, owner=side_a.admin, kind="members.export", label="导出",
            status=Job.Status.DONE, params={"q": "龚志军"},
        )  # fmt: skip
        young_job = Job.objects.create(
            association=a, owner=side_a.admin, kind="members.export", label="导出",
            status=Job.Status.DONE, params={"q": "龚志军"},
        )  # fmt: skip
        never_sent = OutboxMessage.objects.get(text="旧的未发出")
        OutboxMessage.objects.filter(pk=never_sent.pk).update(status="sending")
    task_of(never_sent.pk).delete()  # its worker was lost
    run_worker()
    old, young = timezone.now() - timedelta(days=4), timezone.now() - timedelta(days=2)
    with tenant_context(a):
        OutboxMessage.objects.exclude(text="新消息").update(created_at=old)
        OutboxMessage.objects.filter(text="新消息").update(created_at=young)
        Job.objects.filter(pk=job.pk).update(updated_at=old)
        Job.objects.filter(pk=young_job.pk).update(updated_at=young)
        new_id = OutboxMessage.objects.get(text="新消息").pk
    DBTaskResult.objects.update(finished_at=old)
    DBTaskResult.objects.filter(pk=task_of(new_id).pk).update(finished_at=young)

    out = StringIO()
    with app_role():
        call_command("prune_tasks", stdout=out)
    assert "已删除 1 个已结束的后台任务" in out.getvalue()
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [task_of(new_id).pk]
    with tenant_context(a):
        rows = {
            m.pk: (m.status, m.phone, m.email, m.text)
            for m in OutboxMessage.objects.filter(association=a)
        }
        assert not OutboxMessage.objects.exclude(pk=new_id).exclude(params={}).exists()
        assert rows[new_id] == ("sent", "13700001234", "", "新消息")
        assert sorted(v for k, v in rows.items() if k != new_id) == [
            ("failed", "", "", ""),
            ("sent", "", "", ""),
        ]
        assert Job.objects.get(pk=job.pk).params == {}
        assert Job.objects.get(pk=young_job.pk).params == {"q": "龚志军"}
    queue = queued_tasks()
    assert "旧消息" not in queue and "13700001234" not in queue


def test_a_row_left_sending_by_a_stopped_worker_is_sent_after_its_lease(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        note(association=a, phone="13700000001", text="一")
        note(association=a, phone="13700000002", text="二")
        stuck, busy = OutboxMessage.objects.filter(association=a).order_by("pk")
    # Their worker claimed them, then was killed before recording how the send went: one an
    # hour ago (past the lease), one a minute ago (its worker may still be sending).
    DBTaskResult.objects.all().delete()
    now = timezone.now()
    with tenant_context(a):
        for row, claimed in ((stuck, now - timedelta(hours=1)), (busy, now - timedelta(minutes=1))):
            OutboxMessage.objects.filter(pk=row.pk).update(
                status="sending", attempts=1, claimed_at=claimed
            )
    call_command("retry_messages", stdout=StringIO())
    run_worker()
    with tenant_context(a):
        stuck.refresh_from_db()
        busy.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sent", 2)
    assert busy.status == "sending"
    assert [m.to for m in notifications.outbox] == ["13700000001"]
