"""A person's rights over their data, as production runs them (on PostgreSQL: as the
application role, under row-level security): the export holds everything stored about them,
and deleting the account works for someone with records in several associations."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shanghui.accounts.models import Invitation, Role
from shanghui.core.models import InboxMessage, NotificationSettings, OutboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.events.models import Checkin, CheckinList, Event, Feedback
from shanghui.events.tests.factories import make_event, register
from shanghui.members.models import Member, MembershipApplication, Person
from shanghui.org.models import Appointment, Committee, CommitteeMembership, Post, Term
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import PASSWORD, PersonFactory, RoleFactory
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.worker import run_worker


def _a_year_in_association_a(side_a: Side) -> None:
    """What a member of A leaves behind in a year: a registration with its check-in and
    feedback, a notice and a message, a post and a committee seat, and an application to join
    filed with their phone before they had an account; and a guest registration under their
    phone."""
    a, user = side_a.association, side_a.member_user
    gala = make_event(a, side_a.admin, title="2026 年会")
    registration = register(a, gala, user)
    forum = make_event(a, side_a.admin, title="招商推介会", audience=Event.Audience.PUBLIC)
    with tenant_context(a):
        registration.answers = {"餐饮": "素食"}  # what the event's form asked
        registration.save(update_fields=["answers"])
        hall = CheckinList.objects.create(association=a, event=gala, name="晚宴")
        Checkin.objects.create(
            association=a,
            checkin_list=hall,
            registration=registration,
            checked_in_at=timezone.now(),
        )
        Feedback.objects.create(
            association=a, event=gala, registration=registration, rating=5, comment="安排周到"
        )
        InboxMessage.objects.create(
            association=a,
            user=user,
            target_type="events.event",
            target_id=gala.pk,
            subject="活动变更",
            text="年会改至下午举行",
        )
        forum.registrations.create(
            association=a,
            name="龚先生",
            phone=user.phone,
            status="confirmed",
            code="G7",
            token="t1",
        )
        term = Term.objects.create(
            association=a, name="第三届", number=3, starts_on=date(2024, 1, 1)
        )
        post = Post.objects.create(association=a, name="副会长")
        Appointment.objects.create(
            association=a, term=term, post=post, person=side_a.person, starts_on=date(2024, 1, 1)
        )
        committee = Committee.objects.create(association=a, name="青年企业家委员会")
        CommitteeMembership.objects.create(association=a, committee=committee, person=side_a.person)
        OutboxMessage.objects.create(
            association=a, phone=user.phone, text="【甲市江西商会】年会报名成功", status="sent"
        )
        MembershipApplication.objects.create(
            association=a,
            kind=Member.Kind.ENTERPRISE,
            name="龚氏贸易有限公司",
            applicant_name="龚志军",
            applicant_phone=user.phone,
        )


@pytest.mark.django_db
def test_the_export_holds_everything_stored_about_the_person(side_a: Side, side_b: Side) -> None:
    user = side_a.member_user
    _a_year_in_association_a(side_a)
    # B: no role, no member record — a public event they registered for while signed in.
    b = side_b.association
    expo = make_event(b, side_b.admin, title="赣商博览会", audience=Event.Audience.PUBLIC)
    register(b, expo, user)
    # Someone else's rows in A stay out.
    register(side_a.association, make_event(side_a.association, side_a.admin), side_a.admin)
    run_worker()  # their confirmations are written to their inboxes by the worker

    client = client_for(user)
    with as_app_role():
        data = client.get("/api/v1/me/data-export").json()
        xlsx = client.get("/me/data.xlsx")
    registrations = {(r["商协会"], r["活动"], r["状态"]) for r in data["活动报名"]}
    assert registrations == {
        (side_a.association.name, "2026 年会", "已报名"),
        (side_a.association.name, "招商推介会", "已报名"),  # as a guest, by their phone
        (b.name, "赣商博览会", "已报名"),
    }
    assert "素食" in next(r["报名信息"] for r in data["活动报名"] if r["活动"] == "2026 年会")
    assert [(c["活动"], c["签到点"]) for c in data["签到记录"]] == [("2026 年会", "晚宴")]
    assert [(f["评分"], f["意见建议"]) for f in data["活动评价"]] == [(5, "安排周到")]
    assert "年会改至下午举行" in [n["内容"] for n in data["站内通知"]]
    assert [(t["届次"], t["职务"]) for t in data["任职"]] == [("第三届", "副会长")]
    assert [c["委员会"] for c in data["专业委员会"]] == ["青年企业家委员会"]
    assert [x["名称"] for x in data["入会申请"]] == ["龚氏贸易有限公司"]
    messages = [(m["商协会"], m["内容"]) for m in data["收到的消息"]]
    assert (side_a.association.name, "【甲市江西商会】年会报名成功") in messages
    assert any(name == b.name and "赣商博览会" in text for name, text in messages)
    assert data["代表的企业"] == [
        {"商协会": side_a.association.name, "企业": side_a.member.name, "职务": "总经理"}
    ]
    assert {r["商协会"] for r in data["商协会角色"]} == {side_a.association.name}
    sheets = load_workbook(BytesIO(xlsx.content), read_only=True).sheetnames
    assert {"活动报名", "签到记录", "活动评价", "站内通知", "任职", "入会申请"} <= set(sheets)


@pytest.mark.django_db
def test_deleting_the_account_of_someone_in_two_associations(side_a: Side, side_b: Side) -> None:
    """Their roles end, their pending invitations expire and their member records are
    unlinked in every association (under row-level security this answered 500 and changed
    nothing for everyone with a member record)."""
    user = side_a.member_user
    b = side_b.association
    RoleFactory(association=b, user=user, kind=Role.Kind.MEMBER)
    with tenant_context(b):
        PersonFactory(association=b, name=user.name, user=user)
        Invitation.objects.create(
            association=b,
            user=user,
            role_kind=Role.Kind.STAFF,
            token_hash="x" * 64,
            expires_at=timezone.now() + timedelta(days=7),
        )
    client = client_for(user)
    with as_app_role():
        response = client.post("/me/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    for association in (side_a.association, b):
        with tenant_context(association):
            assert not Person.objects.filter(user=user).exists()
            assert not Role.objects.filter(user=user, is_active=True).exists()
            assert not Invitation.objects.filter(user=user, expires_at__gt=timezone.now()).exists()
    with tenant_context(side_a.association):  # the association's record stays, unlinked
        assert Person.objects.get(pk=side_a.person.pk).name == side_a.person.name
    user.refresh_from_db()
    assert (user.phone, user.is_active) == (None, False)


@pytest.mark.django_db
def test_the_notification_center_keeps_nothing_of_a_deleted_account(
    side_a: Side, side_b: Side
) -> None:
    """The export holds the person's inbox, their messages' log and their preferences; the
    deletion removes the inbox and the preferences and empties the log's rows sent to them
    (found by phone and address: the log has no user key), leaving their statuses."""
    from shanghui.core.notify import preferences
    from shanghui.testing.messages import NOTICE, note

    user, a = side_a.member_user, side_a.association
    preferences.preferences_update(
        user=user, muted=[f"{NOTICE}/sms"], quiet_start=None, quiet_end=None
    )
    with tenant_context(a):
        note(association=a, phone=user.phone, user_id=user.pk, subject="年会", text="年会通知")
        note(association=a, phone="13900000000", subject="别人", text="别人的消息")
    run_worker()
    client = client_for(user)
    with as_app_role():
        data = client.get("/api/v1/me/data-export").json()
    assert [n["内容"] for n in data["站内通知"]] == ["年会通知"]
    assert [(m["渠道"], m["内容"]) for m in data["收到的消息"]] == [("短信", "年会通知")]
    assert data["通知设置"][0]["关闭的通知"] == f"{NOTICE}/sms"

    with as_app_role():
        assert client.post("/me/delete/", {"password": PASSWORD}).status_code == 302
    with tenant_context(a):
        assert not InboxMessage.objects.filter(user=user).exists()
        log = {m.text: m for m in OutboxMessage.objects.filter(association=a)}
    assert set(log) == {"", "别人的消息"}  # the other person's row is untouched
    assert (log[""].phone, log[""].status) == ("", "sent")
    assert not NotificationSettings.objects.filter(user_id=user.pk).exists()
