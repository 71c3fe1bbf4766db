"""The notification center's kinds, preferences, resend and broadcast: messages by kind with
templates per channel, muted channels and quiet hours (urgent kinds ignore both), the 未送达
resend, and a send to a whole membership as one job with atomic progress."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shanghui.core import notifications
from shanghui.core.models import AuditEntry, InboxMessage, Job, OutboxMessage
from shanghui.core.notifications import MessageKind, Recipient
from shanghui.core.notify import preferences
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.testing.factories import (
    MemberFactory,
    PersonFactory,
    RepresentativeFactory,
    UserFactory,
)
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.messages import NOTICE, URGENT, note
from shanghui.testing.worker import run_worker

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def rows(side: Side) -> list[OutboxMessage]:
    with tenant_context(side.association):
        return list(OutboxMessage.objects.filter(association=side.association).order_by("pk"))


def test_a_kind_renders_each_channel_and_is_registered_once() -> None:
    kind = notifications.message_kind(NOTICE)
    params = {"name": "龚志军", "member": "龚氏实业", "extra": "x"}
    assert kind.subject_for(params) == "通知：龚氏实业"
    assert kind.sms_params_for(params) == {"name": "龚志军", "member": "龚氏实业"}
    assert kind.email_for(params) == ("通知：龚氏实业", "龚志军，您好：龚氏实业 有一条新通知。")
    notifications.register_kind(kind)  # the same again: nothing changes
    with pytest.raises(ImproperlyConfigured):
        notifications.register_kind(MessageKind(code=NOTICE, label="x", subject="", text=""))
    with pytest.raises(ImproperlyConfigured):
        notifications.message_kind("nobody.registered_this")


def test_the_sms_carries_the_template_and_named_params(side_a: Side, settings: object) -> None:
    with tenant_context(side_a.association):
        notifications.notify(
            association=side_a.association,
            kind=NOTICE,
            to=Recipient(phone="13700001111", user_id=side_a.member_user.pk),
            params={"name": "龚志军", "member": "龚氏实业"},
            link="/a/jiashi/notices/1/",
        )
        inbox = InboxMessage.objects.get(user=side_a.member_user)
    assert (inbox.kind, inbox.subject, inbox.link) == (
        NOTICE,
        "通知：龚氏实业",
        "/a/jiashi/notices/1/",
    )
    run_worker()
    [sms] = notifications.outbox
    assert sms.params == {"name": "龚志军", "member": "龚氏实业"}
    assert sms.text == "【云商会】龚志军，您好：龚氏实业 有一条新通知。"


def test_a_muted_channel_is_skipped_but_the_inbox_keeps_the_message(side_a: Side) -> None:
    user = side_a.member_user
    preferences.preferences_update(
        user=user, muted=[f"{NOTICE}/sms"], quiet_start=None, quiet_end=None
    )
    for kind, params in ((NOTICE, {"name": "甲", "member": "乙"}), (URGENT, {"code": "123456"})):
        with tenant_context(side_a.association):
            notifications.notify(
                association=side_a.association,
                kind=kind,
                to=Recipient(phone="13700002222", email="a@example.cn", user_id=user.pk),
                params=params,
            )
    assert [(r.kind, r.channel) for r in rows(side_a)] == [
        (NOTICE, "email"),  # no SMS: muted
        (URGENT, "sms"),  # an urgent kind ignores the opt-out
        (URGENT, "email"),
    ]
    with tenant_context(side_a.association):
        assert InboxMessage.objects.filter(user=user).count() == 2


def test_preferences_refuse_unknown_and_urgent_kinds(side_a: Side) -> None:
    user = side_a.member_user
    for muted in ([f"{URGENT}/sms"], ["nobody.kind/sms"], [f"{NOTICE}/inbox"]):
        with pytest.raises(ValidationError):
            preferences.preferences_update(user=user, muted=muted, quiet_start=None, quiet_end=None)
    with pytest.raises(ValidationError):
        preferences.preferences_update(user=user, muted=[], quiet_start=time(22), quiet_end=None)


def test_quiet_hours_delay_a_message_to_their_end_and_never_drop_it(side_a: Side) -> None:
    user = side_a.member_user
    prefs = preferences.preferences_update(
        user=user, muted=[], quiet_start=time(22, 0), quiet_end=time(7, 30)
    )
    late = datetime(2026, 12, 6, 23, 15, tzinfo=SHANGHAI)
    assert preferences.quiet_until(prefs, late) == datetime(2026, 12, 7, 7, 30, tzinfo=SHANGHAI)
    early = datetime(2026, 12, 7, 6, 0, tzinfo=SHANGHAI)
    assert preferences.quiet_until(prefs, early) == datetime(2026, 12, 7, 7, 30, tzinfo=SHANGHAI)
    assert preferences.quiet_until(prefs, datetime(2026, 12, 7, 12, tzinfo=SHANGHAI)) is None

    # Quiet all day long (a 23 h 59 min window that now falls into, whatever the time).
    now = datetime.now(SHANGHAI)
    start = (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    end = (now - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    preferences.preferences_update(user=user, muted=[], quiet_start=start, quiet_end=end)
    for kind, params in ((NOTICE, {"name": "甲", "member": "乙"}), (URGENT, {"code": "654321"})):
        with tenant_context(side_a.association):
            notifications.notify(
                association=side_a.association,
                kind=kind,
                to=Recipient(phone="13700003333", user_id=user.pk),
                params=params,
            )
    run_worker()
    held, urgent = rows(side_a)
    assert (urgent.status, held.status) == ("sent", "queued")  # the code went at once
    assert held.next_attempt_at is not None and held.next_attempt_at > now
    task = DBTaskResult.objects.get(args_kwargs__kwargs__message_ids=[held.pk])
    assert task.status == "READY" and task.run_after == held.next_attempt_at
    # When the quiet hours end, the waiting task sends it.
    with tenant_context(side_a.association):
        OutboxMessage.objects.filter(pk=held.pk).update(next_attempt_at=None)
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=now - timedelta(minutes=1))
    run_worker()
    assert rows(side_a)[0].status == "sent"


def test_a_failed_delivery_is_listed_and_resent(side_a: Side) -> None:
    a = side_a.association
    notifications.MemorySmsSender.failing = {"13700004444"}
    with tenant_context(a):
        note(association=a, phone="13700004444", text="会议改期")
        note(association=a, phone="13700005555", text="会议改期")
    run_worker()
    failing, fine = rows(side_a)
    assert (failing.status, failing.attempts, fine.status) == ("queued", 1, "sent")
    # The last attempts (their backoff elapsed): then it is failed for good.
    for _attempt in range(notifications.MAX_ATTEMPTS - 1):
        with tenant_context(a):
            OutboxMessage.objects.filter(pk=failing.pk).update(
                next_attempt_at=timezone.now() - timedelta(seconds=1)
            )
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()
    failing = rows(side_a)[0]
    assert (failing.status, failing.attempts) == ("failed", notifications.MAX_ATTEMPTS)
    assert "refused" in failing.last_error
    assert not [m for m in notifications.outbox if m.to == "13700004444"]

    notifications.MemorySmsSender.failing = set()
    with tenant_context(a):
        sent = notifications.deliveries_resend(association=a, actor=side_a.admin)
        assert sent == 1
        assert AuditEntry.objects.filter(action="core.deliveries_resend").exists()
    run_worker()
    assert rows(side_a)[0].status == "sent"
    assert [m.to for m in notifications.outbox if m.to == "13700004444"] == ["13700004444"]


def test_a_broadcast_reaches_every_representative_as_one_job(side_a: Side, side_b: Side) -> None:
    a = side_a.association
    people = []
    for number in range(45):
        member = MemberFactory(association=a)
        person = PersonFactory(
            association=a, phone=f"1370000{number:04d}", user=UserFactory() if number % 3 else None
        )
        RepresentativeFactory(association=a, member=member, person=person)
        people.append(person)
    gone = MemberFactory(association=a, status=Member.Status.WITHDRAWN)
    RepresentativeFactory(association=a, member=gone, person=PersonFactory(association=a))
    notifications.MemorySmsSender.failing = {people[7].phone}  # one number refused
    with tenant_context(a):
        job = notifications.broadcast(
            association=a,
            actor=side_a.admin,
            kind=NOTICE,
            source="members.representatives",
            owner_id=0,
            target_type="testing.thing",
            target_id=9,
        )
    assert job.status == Job.Status.QUEUED and not rows(side_a)  # nothing in the request
    run_worker()
    with tenant_context(a):
        job.refresh_from_db()
        inboxes = InboxMessage.objects.filter(association=a, target_id=9).count()
    expected = {p.phone for p in people} | {side_a.person.phone}
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 46, 46)
    sms = {m.to for m in notifications.outbox if m.channel == "sms"}
    assert sms == expected - {people[7].phone}
    assert inboxes == 30 + 1  # those with an account (side_a's member has one)
    assert {r.status for r in rows(side_a)} == {"sent", "queued"}  # the refused one: retried
    assert not rows(side_b)
    # Its progress page, for those who manage members (core.broadcast's job kind).
    progress = f"/a/{a.slug}/jobs/{job.pk}/"
    assert client_for(side_a.admin).get(progress).status_code == 200
    assert client_for(side_a.member_user).get(progress).status_code in {403, 404}


def test_a_platform_message_is_sent_at_once_and_stored_nowhere(side_a: Side) -> None:
    notifications.notify(
        association=None, kind=URGENT, to=Recipient(phone="13700006666"), params={"code": "1"}
    )
    assert [m.to for m in notifications.outbox] == ["13700006666"]
    assert not rows(side_a)


def openid_queries(queries: CaptureQueriesContext) -> int:
    return sum('"wechat_openid"' in q["sql"] for q in queries.captured_queries)


@override_settings(WECHAT_BACKEND="memory")
def test_wechat_openids_are_read_once_per_task_and_only_for_wechat(side_a: Side) -> None:
    a = side_a.association
    phones = [f"1370000{n:04d}" for n in range(3)]
    for n, phone in enumerate(phones):
        UserFactory(phone=phone, wechat_openid=f"openid-{n}")
    with tenant_context(a):
        notifications.notify(
            association=a,
            kind=NOTICE,
            to=[Recipient(phone=phone) for phone in phones],
            params={"name": "甲", "member": "乙"},
        )
    with CaptureQueriesContext(connection) as queries:
        run_worker()
    assert openid_queries(queries) == 1  # one for the task's three WeChat rows
    assert sorted(m.to for m in notifications.outbox if m.channel == "wechat") == [
        "openid-0",
        "openid-1",
        "openid-2",
    ]
    # A kind without WeChat sent at once: no account is looked up for it.
    sms_only = MessageKind(code="x.sms", label="x", subject="s", text="t", channels=("sms",))
    with CaptureQueriesContext(connection) as queries:
        notifications.send_now(phone=phones[0], subject="s", text="t", kind=sms_only)
    assert openid_queries(queries) == 0


def test_failed_deliveries_are_the_associations_own_newest_first(
    side_a: Side, side_b: Side
) -> None:
    for side in (side_a, side_b):
        with tenant_context(side.association):
            for phone in ("13700000001", "13700000002"):
                OutboxMessage.objects.create(
                    association=side.association, phone=phone, status="failed"
                )
            OutboxMessage.objects.create(association=side.association, phone="13700000003")
    with tenant_context(side_a.association):
        listed = list(notifications.failed_deliveries(association=side_a.association))
    assert [(m.association_id, m.phone) for m in listed] == [
        (side_a.association.pk, "13700000002"),
        (side_a.association.pk, "13700000001"),
    ]


def test_preference_rows_offer_each_mutable_channel_of_each_kind(side_a: Side) -> None:
    prefs = preferences.preferences_update(
        user=side_a.member_user, muted=[f"{NOTICE}/sms"], quiet_start=None, quiet_end=None
    )
    rows = {row["code"]: row for row in preferences.preference_rows(prefs)}
    assert URGENT not in rows
    channels = {c["value"]: (str(c["label"]), c["on"]) for c in rows[NOTICE]["channels"]}
    assert channels == {
        f"{NOTICE}/sms": ("短信", False),
        f"{NOTICE}/wechat": ("微信", True),
        f"{NOTICE}/email": ("邮件", True),
    }


def test_each_app_registers_its_kinds_with_one_call() -> None:
    from shanghui.events import messages as events_messages

    notifications.register_kinds(events_messages.KINDS)  # again, as a second ready(): no change
    assert {k.code for k in events_messages.KINDS} <= {
        k.code for k in notifications.message_kinds()
    }
    with pytest.raises(ImproperlyConfigured):
        notifications.register_kinds(
            [MessageKind(code=events_messages.CONFIRMED, label="x", subject="", text="")]
        )
