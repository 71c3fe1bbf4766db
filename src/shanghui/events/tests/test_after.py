"""After the event: quorum against the council, members' activity over a year, training
attendance and the completion certificate, feedback, minutes sanitised."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shanghui.core.tenancy import tenant_context
from shanghui.events import figures, selectors
from shanghui.events.models import CheckinList, Event
from shanghui.events.services import after as after_services
from shanghui.events.services import checkin as checkin_services
from shanghui.events.services import events as event_services
from shanghui.events.services import registration as registration_services
from shanghui.events.services import setup as setup_services
from shanghui.members.models import Person
from shanghui.org.models import Appointment, Post, Term
from shanghui.testing.fixtures import Side

from .factories import make_event, make_member_user, register

pytestmark = pytest.mark.django_db


def _checkin(a: Any, actor: Any, event: Event, registration: Any, place: Any = None) -> None:
    place = place or CheckinList.objects.filter(event=event).first()
    checkin_services.checkin_record(
        association=a, actor=actor, checkin_list=place, registration=registration
    )


def test_quorum_counts_council_members_present(side_a: Side) -> None:
    a = side_a.association
    users = [make_member_user(a, f"理事{i}") for i in range(5)]
    with tenant_context(a):
        term = Term.objects.create(
            association=a, name="第一届", number=1, starts_on=date(2024, 1, 1), is_current=True
        )
        post = Post.objects.create(association=a, name="理事", is_council=True)
        for user in users:
            person = Person.objects.get(association=a, user=user)
            Appointment.objects.create(
                association=a, term=term, post=post, person=person, starts_on=date(2024, 1, 1)
            )
    event = make_event(
        a, side_a.admin, kind=Event.Kind.COUNCIL, quorum_rule="two_thirds", audience="chosen"
    )
    with tenant_context(a):
        event_services.audience_set(
            association=a, actor=side_a.admin, event=event,
            data=event_services.AudienceInput(council=True),
        )  # fmt: skip
        event.refresh_from_db()
    with tenant_context(a):
        assert selectors.in_audience(event=event, user=users[0], is_member=True)
        assert not selectors.in_audience(event=event, user=side_a.member_user, is_member=True)
    regs = [register(a, event, u) for u in users]
    with tenant_context(a):
        for registration in regs[:3]:
            _checkin(a, side_a.admin, event, registration)
        result = figures.quorum(association=a, event=event)
        assert (result.council_size, result.present, result.required) == (5, 3, 4)
        assert not result.reached
        _checkin(a, side_a.admin, event, regs[3])
        assert figures.quorum(association=a, event=event).reached


def test_member_activity_over_a_year(side_a: Side) -> None:
    a = side_a.association
    events = [make_event(a, side_a.admin, title=f"活动{i}") for i in range(3)]
    regs = [register(a, e, side_a.member_user) for e in events]
    with tenant_context(a):
        _checkin(a, side_a.admin, events[0], regs[0])
        rows = figures.member_activity(association=a, year=events[0].starts_at.year)
    assert [(r.name, r.registered, r.attended) for r in rows] == [(side_a.member.name, 3, 1)]


def test_training_certificate_needs_enough_sessions(side_a: Side) -> None:
    a = side_a.association
    start = timezone.now() - timedelta(days=10)
    course = make_event(
        a, side_a.admin, kind=Event.Kind.TRAINING, title="商会秘书长培训班",
        starts_at=start, ends_at=start + timedelta(days=3), min_sessions_for_certificate=2,
        registration_closes_at=None,
    )  # fmt: skip
    with tenant_context(a):
        lessons = [
            setup_services.session_create(
                association=a,
                actor=side_a.admin,
                event=course,
                title=f"第{i}讲",
                starts_at=start + timedelta(days=i),
            )
            for i in range(3)
        ]
        lists = list(CheckinList.objects.filter(event=course, session__isnull=False))
        assert len(lists) == len(lessons)
        registration = registration_services.registration_create(
            association=a, actor=side_a.admin, event=course, by_staff=True,
            registrant=registration_services.registrant_for_user(
                association=a, user=side_a.member_user
            ),
        ).registration  # fmt: skip
        _checkin(a, side_a.admin, course, registration, lists[0])
        assert not figures.completed(association=a, event=course, registration=registration)
        _checkin(a, side_a.admin, course, registration, lists[2])
        assert figures.completed(association=a, event=course, registration=registration)


def test_feedback_once_per_participant_after_the_end(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    registration = register(a, event, side_a.member_user)
    with tenant_context(a):
        with pytest.raises(ValidationError, match="活动结束后"):
            after_services.feedback_submit(
                association=a, actor=None, registration=registration, rating=5
            )
        # Under way: still too early to rate it.
        now = timezone.now()
        Event.objects.filter(pk=event.pk).update(
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
        )
        registration.event.refresh_from_db()
        with pytest.raises(ValidationError, match="活动结束后"):
            after_services.feedback_submit(
                association=a, actor=None, registration=registration, rating=5
            )
        Event.objects.filter(pk=event.pk).update(ends_at=now - timedelta(minutes=1))
        registration.event.refresh_from_db()
        after_services.feedback_submit(
            association=a, actor=None, registration=registration, rating=4, comment="很有收获"
        )
        with pytest.raises(ValidationError, match="已经评价"):
            after_services.feedback_submit(
                association=a, actor=None, registration=registration, rating=5
            )
        summary = figures.feedback_summary(association=a, event=event)
    assert (summary.count, summary.average, summary.distribution[4]) == (1, 4.0, 1)


def test_minutes_are_sanitised(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, kind=Event.Kind.COUNCIL)
    with tenant_context(a):
        saved = after_services.minutes_save(
            association=a, actor=side_a.admin, event=event,
            body='<p onclick="x()">会议决定<script>alert(1)</script></p>',
        )  # fmt: skip
    assert saved.body == "<p>会议决定</p>"
