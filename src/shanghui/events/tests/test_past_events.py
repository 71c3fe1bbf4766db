"""Past events are history (issue 13.2): from an event's start its registrants can no longer
register, cancel or move up from the waitlist — on the page as over the API — and after its
end the page offers feedback (and the certificate) instead of the ticket."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from shanghui.core import notifications
from shanghui.core.tenancy import tenant_context
from shanghui.events.models import CheckinList, Event, Registration
from shanghui.events.services import checkin as checkin_services
from shanghui.events.services import registration as registration_services
from shanghui.events.services import setup as setup_services
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.worker import run_worker

from .factories import make_event, make_member_user, register
from .test_api import api, base, post
from .test_views import url

pytestmark = pytest.mark.django_db


def _move(event: Event, *, starts: timedelta, hours: int = 4) -> None:
    """Puts the event ``starts`` from now (negative: in the past)."""
    start = timezone.now() + starts
    with tenant_context(event.association):
        Event.objects.filter(pk=event.pk).update(
            starts_at=start, ends_at=start + timedelta(hours=hours)
        )
    event.refresh_from_db()


def _full_event_with_a_waitlist(side: Side) -> tuple[Event, Registration, Registration, Any]:
    a = side.association
    event = make_event(a, side.admin, capacity=1, title="2025 迎春酒会")
    held = register(a, event, side.member_user)
    waiting_user = make_member_user(a, "候补会员")
    waiting = register(a, event, waiting_user)
    assert (held.status, waiting.status) == ("confirmed", "waitlisted")
    return event, held, waiting, waiting_user


def _status(registration: Registration) -> str:
    with tenant_context(registration.association):
        return Registration.objects.get(pk=registration.pk).status


def test_a_member_cannot_cancel_an_event_held_ten_months_ago(
    side_a: Side, member_a: Client
) -> None:
    event, held, waiting, _user = _full_event_with_a_waitlist(side_a)
    _move(event, starts=-timedelta(days=300))
    run_worker()
    notifications.outbox.clear()

    page = member_a.post(url("cancel", side_a, event_id=event.pk), follow=True)
    assert "活动已开始，不能再取消报名" in page.content.decode()
    refused = api(side_a.member_user).post(
        f"{base(side_a)}/{event.pk}/registrations/{held.pk}/cancel"
    )
    assert refused.status_code == 400
    assert "活动已开始" in refused.json()["error"]["message"]

    run_worker()
    assert (_status(held), _status(waiting)) == ("confirmed", "waitlisted")
    assert not notifications.outbox  # nobody told they moved up into last year's event
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_the_secretariat_may_cancel_after_the_start_but_nobody_moves_up(
    side_a: Side, admin_a: Client
) -> None:
    event, held, waiting, _user = _full_event_with_a_waitlist(side_a)
    _move(event, starts=-timedelta(minutes=30))
    run_worker()
    notifications.outbox.clear()
    admin_a.post(
        url("office_registration_cancel", side_a, event_id=event.pk, registration_id=held.pk)
    )
    run_worker()
    assert (_status(held), _status(waiting)) == ("cancelled", "waitlisted")
    assert not [m for m in notifications.outbox if "递补" in m.text]
    event.refresh_from_db()
    assert event.seats_taken == 0
    # Nor does anything else that would promote (a larger hall, a larger ticket type).
    with tenant_context(side_a.association):
        promoted = registration_services.promote_waitlist(
            association=side_a.association, actor=side_a.admin, event=event
        )
    assert promoted == []
    assert _status(waiting) == "waitlisted"


def test_registering_stops_at_the_start(side_a: Side) -> None:
    event = make_event(side_a.association, side_a.admin)
    _move(event, starts=-timedelta(minutes=5))
    refused = post(api(side_a.member_user), f"{base(side_a)}/{event.pk}/registrations", {})
    assert refused.status_code == 400
    assert "活动已开始，报名已截止" in refused.json()["error"]["message"]
    # The secretariat still registers someone at the door.
    walk_in = {"on_behalf": True, "name": "现场来宾", "phone": "13900003333"}
    assert (
        post(api(side_a.admin), f"{base(side_a)}/{event.pk}/registrations", walk_in).status_code
        == 201
    )


def test_the_page_of_a_past_event_is_read_only_and_asks_for_feedback(
    side_a: Side, member_a: Client
) -> None:
    event = make_event(side_a.association, side_a.admin)
    register(side_a.association, event, side_a.member_user)
    page = member_a.get(url("event", side_a, event_id=event.pk)).content.decode()
    assert 'id="cancel-registration"' in page and 'id="show-ticket"' in page
    assert 'id="feedback-link"' not in page

    _move(event, starts=-timedelta(hours=1))  # under way: the ticket for the door, no cancelling
    page = member_a.get(url("event", side_a, event_id=event.pk)).content.decode()
    assert 'id="cancel-registration"' not in page and 'id="show-ticket"' in page
    assert 'id="feedback-link"' not in page and "报名已截止" in page

    _move(event, starts=-timedelta(days=300))  # over
    page = member_a.get(url("event", side_a, event_id=event.pk)).content.decode()
    assert 'id="cancel-registration"' not in page and 'id="show-ticket"' not in page
    assert 'id="feedback-link"' in page and "本活动已结束" in page
    rated = member_a.post(
        url("feedback", side_a, event_id=event.pk), {"rating": 5, "comment": "很好"}, follow=True
    )
    assert "感谢您的评价" in rated.content.decode()


def test_the_certificate_waits_for_the_end_of_the_course(side_a: Side) -> None:
    a = side_a.association
    start = timezone.now() - timedelta(days=2)
    course = make_event(
        a, side_a.admin, kind=Event.Kind.TRAINING, title="秘书长培训班", starts_at=start,
        ends_at=start + timedelta(days=5), min_sessions_for_certificate=1,
    )  # fmt: skip
    with tenant_context(a):
        setup_services.session_create(
            association=a, actor=side_a.admin, event=course, title="第1讲", starts_at=start
        )
        registration = registration_services.registration_create(
            association=a, actor=side_a.admin, event=course, by_staff=True,
            registrant=registration_services.registrant_for_user(
                association=a, user=side_a.member_user
            ),
        ).registration  # fmt: skip
        lesson = CheckinList.objects.get(event=course, session__isnull=False)
        checkin_services.checkin_record(
            association=a, actor=side_a.admin, checkin_list=lesson, registration=registration
        )
    member = client_for(side_a.member_user)
    certificate = f"{base(side_a)}/{course.pk}/registrations/{registration.pk}/certificate"
    early = api(side_a.member_user).get(certificate)
    assert early.status_code == 400 and "课程结束后" in early.json()["error"]["message"]
    assert member.get(url("certificate", side_a, event_id=course.pk)).status_code == 404
    assert api(side_a.admin).get(certificate).status_code == 200  # the closing ceremony
    _move(course, starts=-timedelta(days=6), hours=24)
    assert api(side_a.member_user).get(certificate).status_code == 200
    page = member.get(url("event", side_a, event_id=course.pk)).content.decode()
    assert "下载结业证书" in page
    assert member.get(url("certificate", side_a, event_id=course.pk)).status_code == 200
