"""Registering, the waitlist, cancelling with promotion, approval, double registration."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shanghui.core import notifications
from shanghui.core.models import InboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.events import selectors
from shanghui.events.models import EVENT_TYPE, Registration
from shanghui.events.services import events as event_services
from shanghui.events.services import guests as guest_services
from shanghui.events.services import registration as registration_services
from shanghui.events.services import setup as setup_services
from shanghui.testing.factories import (
    MemberFactory,
    PersonFactory,
    RepresentativeFactory,
    UserFactory,
)
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

from .factories import make_event, make_member_user, register

pytestmark = pytest.mark.django_db


def test_members_fill_the_seats_then_wait_and_a_cancellation_promotes_the_next(
    side_a: Side, django_capture_on_commit_callbacks: Any
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=2)
    users = [make_member_user(a, name) for name in ("赵一", "钱二", "孙三")]
    first, second, third = (register(a, event, u) for u in users)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waitlisted"]
    assert third.seats == 0
    notifications.outbox.clear()
    with tenant_context(a), django_capture_on_commit_callbacks(execute=True):
        registration_services.registration_cancel(association=a, actor=users[0], registration=first)
        third.refresh_from_db()
        event.refresh_from_db()
    assert third.status == "confirmed" and third.seats == 1
    assert event.seats_taken == 2
    run_worker()
    texts = [m.text for m in notifications.outbox if m.to == third.phone]
    assert any("递补" in t for t in texts), texts
    with tenant_context(a):  # and in the app, on their 活动 page
        notices = selectors.my_notices(association=a, user=users[2])
    assert [n.subject for n in notices][:1] == ["候补递补成功"]


def test_registering_twice_returns_the_first_registration(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=5)
    first = register(a, event, side_a.member_user)
    again = register(a, event, side_a.member_user)
    assert again.pk == first.pk
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_companions_count_against_capacity(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=3, max_companions=2)
    big = register(a, event, make_member_user(a, "李四"), companions=2)
    assert (big.status, big.seats) == ("confirmed", 3)
    late = register(a, event, make_member_user(a, "周五"))
    assert late.status == "waitlisted"
    with pytest.raises(ValidationError, match="随行人数最多"), tenant_context(a):
        registration_services.registration_create(
            association=a,
            actor=None,
            event=event,
            companions=3,
            registrant=registration_services.Registrant(name="吴六", phone="13900001111"),
        )


def test_approval_holds_the_seat_and_rejection_frees_it(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=1, requires_approval=True)
    pending = register(a, event, make_member_user(a, "郑七"))
    waiting = register(a, event, make_member_user(a, "王八"))
    assert (pending.status, waiting.status) == ("pending", "waitlisted")
    with tenant_context(a):
        registration_services.registration_reject(
            association=a, actor=side_a.admin, registration=pending
        )
        waiting.refresh_from_db()
        assert waiting.status == "pending"
        registration_services.registration_approve(
            association=a, actor=side_a.admin, registration=waiting
        )
        waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_ticket_types_have_their_own_capacity(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=10)
    with tenant_context(a):
        vip = setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="嘉宾票", capacity=1
        )
    assert register(a, event, make_member_user(a, "冯九"), ticket_type=vip).status == "confirmed"
    assert register(a, event, make_member_user(a, "陈十"), ticket_type=vip).status == "waitlisted"
    with pytest.raises(ValidationError, match="请选择票种"):
        register(a, event, make_member_user(a, "褚一"))


def test_raising_the_capacity_promotes_the_waitlist(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=1)
    register(a, event, make_member_user(a, "卫二"))
    waiting = register(a, event, make_member_user(a, "蒋三"))
    data = event_services.EventInput(
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        kind=event.kind,
        venue=event.venue,
        address=event.address,
        capacity=2,
    )
    with tenant_context(a):
        event_services.event_update(association=a, actor=side_a.admin, event=event, data=data)
        waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    data.capacity = 1
    with pytest.raises(ValidationError, match="总名额不能少于"), tenant_context(a):
        event_services.event_update(association=a, actor=side_a.admin, event=event, data=data)


def test_closed_registration_window_and_drafts_refuse_members(side_a: Side) -> None:
    a = side_a.association
    closed = make_event(a, side_a.admin, registration_closes_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError, match="不在报名时间内"):
        register(a, closed, side_a.member_user)
    draft = make_event(a, side_a.admin, publish=False)
    with pytest.raises(ValidationError, match="不接受报名"):
        register(a, draft, side_a.member_user)


def test_required_questions_must_be_answered(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, questions=["饮食禁忌", "发票抬头*"])
    with pytest.raises(ValidationError, match="发票抬头"):
        register(a, event, side_a.member_user, answers={"q1": "清真"})
    done = register(a, event, side_a.member_user, answers={"q1": "清真", "q2": "甲市某公司"})
    assert done.answers == {"q1": "清真", "q2": "甲市某公司"}


def test_chosen_audience_admits_only_the_chosen_levels(side_a: Side) -> None:
    from shanghui.members.models import Level, Member

    a = side_a.association
    event = make_event(a, side_a.admin, publish=False)
    insider = make_member_user(a, "沈四")
    with tenant_context(a):
        level = Level.objects.create(association=a, name="理事单位", rank=4, annual_fee=5000)
        registrant = registration_services.registrant_for_user(association=a, user=insider)
        assert registrant.member_id is not None
        Member.objects.filter(pk=registrant.member_id).update(level=level)
        event_services.audience_set(
            association=a,
            actor=side_a.admin,
            event=event,
            data=event_services.AudienceInput(level_ids=[level.pk]),
        )
        event.refresh_from_db()
        assert selectors.in_audience(event=event, user=insider, is_member=True)
        assert not selectors.in_audience(event=event, user=side_a.member_user, is_member=True)


@pytest.mark.django_db(transaction=True)
def test_cancelling_an_event_tells_everyone_from_a_worker(side_a: Side) -> None:
    """Every registrant gets an in-app notice at once and a message from a worker: the
    secretariat's request does not wait on one SMS per registrant."""
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=10)
    register(a, event, side_a.member_user)
    others = [make_member_user(a, f"报名人{n}") for n in range(3)]
    for user in others:
        register(a, event, user)
    notifications.outbox.clear()
    with tenant_context(a), CaptureQueriesContext(connection) as captured:
        event_services.event_cancel(
            association=a, actor=side_a.admin, event=event, reason="因台风延期"
        )
    notice_inserts = [q for q in captured if q["sql"].startswith('INSERT INTO "core_inboxmessage"')]
    assert len(notice_inserts) == 1  # four notices, one statement
    assert not [m for m in notifications.outbox if "台风" in m.text]  # not in the request
    with tenant_context(a):
        assert (
            InboxMessage.objects.filter(
                target_type=EVENT_TYPE, target_id=event.pk, text__contains="台风"
            ).count()
            == 4
        )
        phones = set(Registration.objects.filter(event=event).values_list("phone", flat=True))
    call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*")
    told = {m.to for m in notifications.outbox if "已取消" in m.text and "台风" in m.text}
    assert len(phones) == 4 and told == phones


def test_guest_code_is_single_use_and_limits_attempts(
    side_a: Side, django_capture_on_commit_callbacks: Any
) -> None:
    a = side_a.association
    with tenant_context(a), django_capture_on_commit_callbacks(execute=True):
        guest_services.guest_code_send(association=a, phone="13912345678")
    run_worker()
    code = notifications.outbox[-1].text.split("验证码为 ")[1][:6]
    with tenant_context(a):
        with pytest.raises(ValidationError, match="不正确"):
            guest_services.guest_code_verify(
                association=a, phone="13912345678", code="000000" if code != "000000" else "111111"
            )
        assert guest_services.guest_code_verify(association=a, phone="139 1234 5678", code=code)
        with pytest.raises(ValidationError, match="失效"):
            guest_services.guest_code_verify(association=a, phone="13912345678", code=code)


def test_the_registrant_list_is_searched_like_the_directory(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    mine = register(a, event, side_a.member_user)
    register(a, event, make_member_user(a, "王小明"))
    with tenant_context(a):
        for q in ("gzj", "龔志軍", side_a.member.name[:4], side_a.person.phone[-4:]):
            found = list(selectors.registrations(association=a, event=event, q=q))
            assert [r.pk for r in found] == [mine.pk], q


def test_the_registrant_is_found_as_the_member_represented_by_any_of_their_records(
    side_a: Side,
) -> None:
    """A person may have several records in one association (an individual membership and a
    representative's record); the company comes from whichever represents a member."""
    association = side_a.association
    user = UserFactory(name="刘建华")
    PersonFactory(association=association, name="刘建华", user=user)  # represents no one
    represented = PersonFactory(association=association, name="刘建华", user=user)
    member = MemberFactory(association=association, name="赣州稀土集团有限公司")
    RepresentativeFactory(association=association, member=member, person=represented)
    with tenant_context(association):
        registrant = registration_services.registrant_for_user(association=association, user=user)
    assert registrant.company == "赣州稀土集团有限公司"
