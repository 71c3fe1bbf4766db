"""签到员 (door volunteers) and photos at the door: the secretariat assigns a member to one
event; on their phone they check people in there and nowhere else — another event's door is
403, the back office 403, another association 404. The check-in result shows the person's
photo through an access-checked view (never a public media address), or a plain avatar with
the surname."""

import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from shanghui.accounts.permissions import ROLE_PERMISSIONS, Perm
from shanghui.core.chinese import surname_of
from shanghui.core.models import AuditEntry, InboxMessage
from shanghui.core.storage.files import file_attach
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import image_content_type, picture_put
from shanghui.events import tickets
from shanghui.events.models import CheckinList, CheckinStaff, Registration
from shanghui.events.services import registration as registration_services
from shanghui.events.services import setup as setup_services
from shanghui.members.models import Person
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side, client_for

from .factories import make_event, make_member_user, register
from .test_api import api

pytestmark = pytest.mark.django_db


def url(name: str, side: Side, **kwargs: Any) -> str:
    return reverse(f"events:{name}", kwargs={"association_slug": side.association.slug, **kwargs})


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def give_photo(side: Side, person: Person) -> None:
    photo = picture_put(
        side.association,
        ContentFile(png_bytes(), name="portrait.png"),
        holder="members.person.photo",
    )
    with tenant_context(side.association):
        file_attach(person, "photo", photo)


def test_events_have_their_own_permission() -> None:
    assert Perm.MANAGE_EVENTS in ROLE_PERMISSIONS["admin"]
    assert Perm.MANAGE_EVENTS in ROLE_PERMISSIONS["staff"]
    assert Perm.MANAGE_EVENTS not in ROLE_PERMISSIONS["member"]


def test_assigning_needs_an_account_in_the_association_and_tells_the_volunteer(
    side_a: Side, side_b: Side
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    with tenant_context(a):
        with pytest.raises(ValidationError, match="尚未开通本会账号"):
            setup_services.checkin_staff_add(
                association=a, actor=side_a.admin, event=event, phone=UserFactory().phone
            )
        with pytest.raises(ValidationError, match="尚未开通本会账号"):  # B's member
            setup_services.checkin_staff_add(
                association=a, actor=side_a.admin, event=event, phone=side_b.member_user.phone
            )
        first = setup_services.checkin_staff_add(
            association=a, actor=side_a.admin, event=event, phone=side_a.member_user.phone
        )
        again = setup_services.checkin_staff_add(
            association=a, actor=side_a.admin, event=event, phone=side_a.member_user.phone
        )
        assert first.pk == again.pk and CheckinStaff.objects.count() == 1
        notice = InboxMessage.objects.get(user=side_a.member_user)
        assert notice.subject == "签到员" and event.title in notice.text
        assert AuditEntry.objects.filter(action="events.checkin_staff.add").count() == 1


def test_a_volunteer_checks_in_at_their_event_only(
    side_a: Side, member_a: Client, member_b: Client
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, title="新春联谊会")
    other = make_event(a, side_a.admin, title="理事会")
    guest = register(a, event, make_member_user(a, "来宾"))
    admin_a = client_for(side_a.admin)
    admin_a.post(
        url("office_setup", side_a, event_id=event.pk),
        {"form": "checkin_staff", "phone": side_a.member_user.phone},
    )
    with tenant_context(a):
        hall = CheckinList.objects.get(event=event)
        other_hall = CheckinList.objects.get(event=other)
        staff = CheckinStaff.objects.get(event=event)
    setup_page = admin_a.get(url("office_setup", side_a, event_id=event.pk)).content.decode()
    # Listed by name, the phone masked as every screen shows it (the one rule for personal
    # data).
    phone = side_a.member_user.phone
    assert side_a.member_user.name in setup_page
    assert phone not in setup_page and f"{phone[:3]}****{phone[7:]}" in setup_page

    # The volunteer finds the door on their 活动 page and on the event's page.
    listing = member_a.get(url("list", side_a)).content.decode()
    assert url("office_checkin_lists", side_a, event_id=event.pk) in listing
    detail = member_a.get(url("event", side_a, event_id=event.pk)).content.decode()
    assert url("office_checkin_lists", side_a, event_id=event.pk) in detail
    assert member_a.get(url("office_checkin_lists", side_a, event_id=event.pk)).status_code == 200
    scan = url("office_checkin", side_a, event_id=event.pk, list_id=hall.pk)
    result = member_a.post(scan, {"code": tickets.display_code(guest.code)}).content.decode()
    assert "签到成功" in result and "来宾" in result
    count = member_a.get(url("office_checkin_count", side_a, event_id=event.pk, list_id=hall.pk))
    assert count.status_code == 200

    # Another event's door, the back office: 403. Another association: 404.
    assert member_a.get(url("office_checkin_lists", side_a, event_id=other.pk)).status_code == 403
    other_scan = url("office_checkin", side_a, event_id=other.pk, list_id=other_hall.pk)
    assert member_a.post(other_scan, {"code": "x"}).status_code == 403
    for name in ("office_event", "office_setup", "office_attendance", "office_export_registrants"):
        assert member_a.get(url(name, side_a, event_id=event.pk)).status_code == 403, name
    assert member_a.get(url("office_list", side_a)).status_code == 403
    # A draft's door answers 404 like the draft itself: 403 would tell that the id exists.
    draft = make_event(a, side_a.admin, publish=False, title="未发布的理事会")
    assert member_a.get(url("office_checkin_lists", side_a, event_id=draft.pk)).status_code == 404
    # A ticket of another event is refused at this door without naming that event.
    with tenant_context(a):
        elsewhere = Registration.objects.create(
            association=a, event=draft, name="别处来宾", phone="13900001234", status="confirmed",
            seats=1, token=tickets.new_token(), code="ZZZZ9999",
        )  # fmt: skip
    refused = member_a.post(scan, {"code": tickets.qr_text(elsewhere.token)}).content.decode()
    assert "其他活动的电子票" in refused and "未发布的理事会" not in refused
    assert member_b.get(url("office_checkin_lists", side_a, event_id=event.pk)).status_code == 404
    assert member_b.post(scan, {"code": tickets.display_code(guest.code)}).status_code == 404
    home = member_a.get(url("list", side_a)).content.decode()
    assert f'href="{url("office_list", side_a)}"' not in home

    # Withdrawn: the door closes again.
    admin_a.post(
        url("office_checkin_staff_remove", side_a, event_id=event.pk, checkin_staff_id=staff.pk)
    )
    assert member_a.get(url("office_checkin_lists", side_a, event_id=event.pk)).status_code == 403
    with tenant_context(a):
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"events.checkin_staff.add", "events.checkin_staff.remove", "events.checkin"} <= actions


def test_a_volunteer_checks_in_over_the_api(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    other = make_event(a, side_a.admin, title="别的活动")
    guest = register(a, event, make_member_user(a, "来宾"))
    admin = api(side_a.admin)
    base = f"/api/v1/associations/{a.slug}/events"
    added = admin.post(
        f"{base}/{event.pk}/checkin-staff", json.dumps({"phone": side_a.member_user.phone}),
        content_type="application/json",
    )  # fmt: skip
    assert added.status_code == 201 and added.json()["phone"] == side_a.member_user.phone
    assert [s["id"] for s in admin.get(f"{base}/{event.pk}/checkin-staff").json()] == [
        added.json()["id"]
    ]
    volunteer = api(side_a.member_user)
    lists = volunteer.get(f"{base}/{event.pk}/checkin-lists")
    assert lists.status_code == 200
    checkins = f"{base}/{event.pk}/checkin-lists/{lists.json()[0]['id']}/checkins"
    done = volunteer.post(
        checkins, json.dumps({"code": tickets.qr_text(guest.token)}),
        content_type="application/json",
    )  # fmt: skip
    assert done.status_code == 201 and done.json()["photo_url"] is None
    assert volunteer.get(f"{base}/{other.pk}/checkin-lists").status_code == 403
    assert volunteer.get(f"{base}/{event.pk}/checkin-staff").status_code == 403
    assert volunteer.get(f"{base}/{event.pk}/registrations").status_code == 403
    assert admin.delete(f"{base}/{event.pk}/checkin-staff/{added.json()['id']}").status_code == 204
    assert volunteer.get(f"{base}/{event.pk}/checkin-lists").status_code == 403


def test_the_door_shows_the_photo_through_a_checked_view(
    side_a: Side, member_a: Client, member_b: Client
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    pictured = register(a, event, side_a.member_user)
    plain = register(a, event, make_member_user(a, "欧阳修"))
    give_photo(side_a, side_a.person)
    admin_a = client_for(side_a.admin)
    with tenant_context(a):
        hall = CheckinList.objects.get(event=event)
    scan = url("office_checkin", side_a, event_id=event.pk, list_id=hall.pk)
    photo = url("office_checkin_photo", side_a, event_id=event.pk, registration_id=pictured.pk)
    shown = admin_a.post(scan, {"code": pictured.phone}).content.decode()
    assert f'src="{photo}"' in shown and "/media/" not in shown
    answer = admin_a.get(photo)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert answer["Cache-Control"] == "private, max-age=300"
    assert answer.content == png_bytes()
    avatar = admin_a.post(scan, {"code": plain.phone}).content.decode()
    assert 'id="checkin-avatar"' in avatar and ">欧阳<" in avatar
    assert (
        admin_a.get(
            url("office_checkin_photo", side_a, event_id=event.pk, registration_id=plain.pk)
        ).status_code
        == 404
    )

    # Personal data: not for members who do not work this door, nor for anyone outside.
    assert member_a.get(photo).status_code == 403
    assert member_b.get(photo).status_code == 404
    assert Client().get(photo).status_code == 302
    api_photo = f"/api/v1/associations/{a.slug}/events/{event.pk}/registrations/{pictured.pk}/photo"
    assert api(side_a.member_user).get(api_photo).status_code == 403
    assert api(side_a.admin).get(api_photo)["Content-Type"] == "image/png"
    with tenant_context(a):
        setup_services.checkin_staff_add(
            association=a, actor=side_a.admin, event=event, phone=side_a.member_user.phone
        )
    assert member_a.get(photo).status_code == 200


def test_a_guest_registered_by_phone_shows_that_persons_photo(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    with tenant_context(a):
        registration = registration_services.registration_create(
            association=a, actor=side_a.admin, event=event, by_staff=True,
            registrant=registration_services.Registrant(name="龚志军", phone=side_a.person.phone),
        ).registration  # fmt: skip
    give_photo(side_a, side_a.person)
    photo = url("office_checkin_photo", side_a, event_id=event.pk, registration_id=registration.pk)
    assert client_for(side_a.admin).get(photo).status_code == 200


@pytest.mark.parametrize(
    ("name", "expected"),
    [("龚志军", "龚"), ("欧阳修", "欧阳"), ("司马光", "司马"), ("Lily Chen", "L"), ("", "")],
)
def test_the_avatar_shows_the_surname(name: str, expected: str) -> None:
    assert surname_of(name) == expected


def test_only_jpeg_and_png_are_served() -> None:
    assert image_content_type("a/b/photo.JPG") == "image/jpeg"
    assert image_content_type("photo.png") == "image/png"
    assert image_content_type("evil.svg") == ""
    assert image_content_type("page.html") == ""
