"""Teaches the isolation walker this module's objects of association B: an event with a
ticket type, a session, a check-in list, a 签到员, a registration (and its ticket token), a
document and a member's calendar feed key, named so that only B's pages could show them."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanghui.core.tenancy import tenant_context
from shanghui.events import feeds, tickets
from shanghui.events.services import events as event_services
from shanghui.events.services import registration as registration_services
from shanghui.events.services import setup as setup_services
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    b = side_b.association
    start = timezone.now() + timedelta(days=3)
    with tenant_context(b):
        event = event_services.event_create(
            association=b,
            actor=side_b.admin,
            data=event_services.EventInput(
                title="乙市秘密年会", starts_at=start, ends_at=start + timedelta(hours=3),
                venue="乙市秘密会场", capacity=10, audience="public",
            ),
        )  # fmt: skip
        event_services.event_publish(association=b, actor=side_b.admin, event=event)
        session = setup_services.session_create(
            association=b, actor=side_b.admin, event=event, title="乙市闭门议程", starts_at=start
        )
        checkin_list = setup_services.checkin_list_create(
            association=b, actor=side_b.admin, event=event, name="乙市晚宴"
        )
        ticket_type = setup_services.ticket_type_create(
            association=b, actor=side_b.admin, event=event, name="乙市贵宾票", capacity=5
        )
        staff = setup_services.checkin_staff_add(
            association=b, actor=side_b.admin, event=event, phone=side_b.member_user.phone or ""
        )
        feed_key = feeds.feed_key(association=b, user=side_b.member_user)
        registration = registration_services.registration_create(
            association=b, actor=side_b.admin, event=event, by_staff=True, ticket_type=ticket_type,
            registrant=registration_services.Registrant(name="乙市嘉宾", phone="13966660001",
                                           company="乙市嘉宾公司"),
        ).registration  # fmt: skip
        document = event_services.document_add(
            association=b, actor=side_b.admin, event=event,
            upload=SimpleUploadedFile("乙市会议材料.pdf", b"%PDF-1.4 b"),
        )  # fmt: skip
    values = {
        "event_id": str(event.pk),
        "registration_id": str(registration.pk),
        "list_id": str(checkin_list.pk),
        "session_id": str(session.pk),
        "document_id": str(document.pk),
        "ticket_token": registration.token,
        "ticket_type_id": str(ticket_type.pk),
        "checkin_staff_id": str(staff.pk),
        "feed_key": feed_key,
        # The signed key of a registration's pass (and, for the invitation page, any key:
        # on A's slug every key of B's is a 404).
        "key": tickets.pass_key(registration.token),
    }
    markers = [
        "乙市秘密年会",
        "乙市秘密会场",
        "乙市闭门议程",
        "乙市晚宴",
        "乙市嘉宾",
        "13966660001",
        "乙市会议材料",
        "乙市贵宾票",
        tickets.display_code(registration.code),
    ]
    return values, markers
