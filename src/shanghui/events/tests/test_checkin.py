"""Check-in: by QR text, typed code or phone; idempotent; companions one by one; several
lists; check-out and re-entry; refusals for waitlisted and other events' tickets."""

import pytest
from django.core.exceptions import ValidationError

from shanghui.core.tenancy import tenant_context
from shanghui.events import figures, tickets
from shanghui.events.models import Checkin, CheckinList
from shanghui.events.services import checkin as checkin_services
from shanghui.events.services import setup as setup_services
from shanghui.testing.fixtures import Side

from .factories import make_event, make_member_user, register

pytestmark = pytest.mark.django_db


def test_scanning_twice_checks_in_once_and_counts_arrivals(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=10, max_companions=2)
    registration = register(a, event, side_a.member_user, companions=2)
    with tenant_context(a):
        hall = CheckinList.objects.get(event=event)
        qr = tickets.qr_text(registration.token)
        found = checkin_services.find_registration(association=a, event=event, text=qr)
        first = checkin_services.checkin_record(
            association=a, actor=side_a.admin, checkin_list=hall, registration=found
        )
        again = checkin_services.checkin_record(
            association=a, actor=side_a.admin, checkin_list=hall, registration=found
        )
        assert (first.created, again.created) == (True, False)
        assert again.checkin.pk == first.checkin.pk
        checkin_services.checkin_record(
            association=a, actor=side_a.admin, checkin_list=hall, registration=found, companion=1
        )
        stats = figures.list_stats(association=a, checkin_list=hall)
        assert (stats.expected, stats.arrived, stats.present) == (3, 2, 2)
        with pytest.raises(ValidationError, match="2 位随行人员"):
            checkin_services.checkin_record(
                association=a, actor=side_a.admin, checkin_list=hall, registration=found,
                companion=3,
            )  # fmt: skip


def test_typed_code_and_phone_find_the_registration(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    registration = register(a, event, side_a.member_user)
    with tenant_context(a):
        code = tickets.display_code(registration.code).lower()
        by_code = checkin_services.find_registration(association=a, event=event, text=code)
        by_phone = checkin_services.find_registration(
            association=a, event=event, text=registration.phone
        )
        assert by_code.pk == by_phone.pk == registration.pk
        forged = registration.token + ".AAAAAAAAAAAAAAAA"
        with pytest.raises(ValidationError, match="未找到"):
            checkin_services.find_registration(association=a, event=event, text=forged)


def test_a_ticket_for_another_event_or_a_waitlisted_person_is_refused(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=1)
    other = make_event(a, side_a.admin, title="另一个活动")
    mine = register(a, other, side_a.member_user)
    register(a, event, make_member_user(a, "先到"))
    waiting = register(a, event, side_a.member_user)
    with tenant_context(a):
        with pytest.raises(ValidationError, match="其他活动的电子票"):
            checkin_services.find_registration(
                association=a, event=event, text=tickets.qr_text(mine.token)
            )
        hall = CheckinList.objects.get(event=event)
        with pytest.raises(ValidationError, match="候补"):
            checkin_services.checkin_record(
                association=a, actor=side_a.admin, checkin_list=hall, registration=waiting
            )


def test_lists_count_separately_and_checkout_then_reentry(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    registration = register(a, event, side_a.member_user)
    with tenant_context(a):
        hall = CheckinList.objects.get(event=event)
        dinner = setup_services.checkin_list_create(
            association=a, actor=side_a.admin, event=event, name="晚宴"
        )
        for place in (hall, dinner):
            checkin_services.checkin_record(
                association=a, actor=side_a.admin, checkin_list=place, registration=registration
            )
        checkin_services.checkout_record(
            association=a, actor=side_a.admin, checkin_list=dinner, registration=registration
        )
        assert figures.list_stats(association=a, checkin_list=dinner).present == 0
        back = checkin_services.checkin_record(
            association=a, actor=side_a.admin, checkin_list=dinner, registration=registration
        )
        assert back.created and back.checkin.checked_out_at is None
        assert Checkin.objects.filter(registration=registration).count() == 2
        attendance = figures.event_attendance(association=a, event=event)
        assert (attendance.registered, attendance.attended, attendance.rate) == (1, 1, 100)
