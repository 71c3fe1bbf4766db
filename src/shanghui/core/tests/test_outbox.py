"""Messages go through the association's outbox and the task queue holds ids, not people: no
phone, address, message text, one-time code or export filter in any task's arguments."""

import json
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client, override_settings
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from shanghui.accounts.services import api_token_create
from shanghui.core import notifications
from shanghui.core.models import Job, OutboxMessage
from shanghui.core.rls import tenant_models
from shanghui.core.tenancy import tenant_context
from shanghui.dues.tests.helpers import days_ago, make_bill
from shanghui.events import services as events
from shanghui.events.tests.factories import make_event, make_member_user, register
from shanghui.testing.fixtures import Side
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
        events.guest_code_send(association=a, phone=guest_phone)
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
        events.event_cancel(association=a, actor=side_a.admin, event=event, reason="因台风延期")
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
        notifications.notify(
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
        message = OutboxMessage.objects.get(association=a)
    assert (message.status, message.sms_status, message.email_status, message.wechat_status) == (
        "sent",
        "sent",
        "sent",
        "",
    )
    assert message.attempts == 1 and message.sent_at is not None


@override_settings(SMS_BACKEND="aliyun", SMS_ACCESS_KEY="", SMS_ACCESS_SECRET="")
def test_a_failing_channel_is_recorded_and_the_others_still_go(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        notifications.notify_many(
            association=a,
            messages=[
                {"phone": "13700001234", "email": "gong@example.cn", "subject": "s", "text": "一"},
                {"phone": "13700005678", "email": "", "subject": "s", "text": "二"},
            ],
        )
    run_worker()
    assert [m.to for m in mail.outbox] == [["gong@example.cn"]]
    with tenant_context(a):
        by_phone = {m.phone: m for m in OutboxMessage.objects.filter(association=a)}
    both, sms_only = by_phone["13700001234"], by_phone["13700005678"]
    assert (both.status, both.sms_status, both.email_status) == ("sent", "failed", "sent")
    assert (sms_only.status, sms_only.sms_status, sms_only.sent_at) == ("failed", "failed", None)
    assert "SMS_ACCESS_KEY" in sms_only.last_error
    # The task itself succeeded: one person's failure is in their row, not in the queue.
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"]


def test_a_rolled_back_change_queues_no_message(side_a: Side) -> None:
    a = side_a.association
    with pytest.raises(RuntimeError), tenant_context(a), transaction.atomic():
        notifications.notify(association=a, phone="13700001234", subject="s", text="不发")
        raise RuntimeError
    run_worker()
    assert notifications.outbox == []
    assert not DBTaskResult.objects.exists()


def test_the_outbox_is_a_tenant_table() -> None:
    """Under row-level security like every tenant table (test_tenancy walks them all)."""
    assert OutboxMessage in tenant_models()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security")
def test_another_association_sees_none_of_the_outbox(side_a: Side, side_b: Side) -> None:
    with tenant_context(side_a.association):
        notifications.notify(
            association=side_a.association, phone="13700001234", subject="s", text="甲的消息"
        )
    with app_role(), scopes_disabled():
        with tenant_context(side_b.association):
            assert not OutboxMessage.objects.exists()
        with tenant_context(side_a.association):
            assert OutboxMessage.objects.get().text == "甲的消息"
