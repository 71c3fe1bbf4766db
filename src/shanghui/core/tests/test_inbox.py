"""The notification center's inbox: ``notify`` with the recipient's account puts the message
in their inbox in the caller's transaction, beside the outbox row; the unread count and
marking read see only one's own messages in one association."""

import pytest
from django.db import transaction

from shanghui.core.inbox import inbox_mark_read, inbox_of, inbox_post_many, unread_count
from shanghui.core.models import InboxMessage, OutboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side
from shanghui.testing.messages import note

pytestmark = pytest.mark.django_db


def test_a_message_to_an_account_lands_in_its_inbox_too(side_a: Side, side_b: Side) -> None:
    a, user = side_a.association, side_a.member_user
    note(
        association=a,
        phone=side_a.person.phone,
        subject="会费提醒",
        text="您的 2027 年度会费账单已生成",
        user_id=user.pk,
        target_type="dues.bill",
        target_id=7,
    )
    note(association=a, phone="13900000001", subject="嘉宾", text="无账号")
    with tenant_context(a):
        [message] = inbox_of(association=a, user=user)
        assert (message.subject, message.target_type, message.target_id) == (
            "会费提醒",
            "dues.bill",
            7,
        )
        assert OutboxMessage.objects.count() == 2 and InboxMessage.objects.count() == 1
        assert unread_count(user, a) == 1
    with tenant_context(side_b.association):
        assert unread_count(user, side_b.association) == 0
        assert inbox_mark_read(association=side_b.association, actor=user) == 0
    with tenant_context(a):
        assert unread_count(user, a) == 1
        assert inbox_mark_read(association=a, actor=user) == 1
        assert unread_count(user, a) == 0


def test_a_rolled_back_change_leaves_no_inbox_message(side_a: Side) -> None:
    a = side_a.association
    with pytest.raises(RuntimeError), transaction.atomic():
        note(association=a, subject="变更", text="不会出现", user_id=side_a.member_user.pk)
        raise RuntimeError
    with tenant_context(a):
        assert not InboxMessage.objects.exists()


def test_marking_read_by_id_touches_only_ones_own(side_a: Side) -> None:
    a = side_a.association
    mine, theirs = side_a.member_user, side_a.admin
    inbox_post_many(
        association=a,
        items=[
            {
                "user_id": u.pk,
                "subject": "签到员",
                "text": "x" * 600,
                "target_type": "",
                "target_id": None,
            }
            for u in (mine, theirs)
        ],
    )
    with tenant_context(a):
        other = InboxMessage.objects.get(user=theirs)
        assert len(other.text) == 500
        assert inbox_mark_read(association=a, actor=mine, ids=[other.pk, -1, 2**70]) == 0
        assert unread_count(theirs, a) == 1
        assert inbox_mark_read(association=a, actor=mine, ids=None) == 1


def test_an_in_app_message_keeps_its_kind_and_link_as_notify_does(side_a: Side) -> None:
    a = side_a.association
    user = side_a.member_user
    inbox_post_many(
        association=a,
        items=[
            {
                "user_id": user.pk,
                "kind": "testing.note",
                "subject": "主" * 300,
                "text": "文",
                "target_type": "testing.thing",
                "target_id": 7,
                "link": "/a/x/" + "l" * 600,
            }
        ],
    )
    with tenant_context(a):
        [message] = inbox_of(association=a, user=user)
    assert (message.kind, len(message.subject), len(message.link)) == ("testing.note", 200, 500)
