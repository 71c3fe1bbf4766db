"""The pages: a member registers in three taps and sees the ticket; the secretariat's pages
render and their buttons work; check-in on the staff page; the public calendar is opt-in
and a guest registers with a phone and an SMS code."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shanghui.core import notifications
from shanghui.core.tenancy import tenant_context
from shanghui.events import tickets
from shanghui.events.forms import EventForm
from shanghui.events.models import CheckinList, Event, Registration
from shanghui.events.services import events as event_services
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

from .factories import make_event, register

pytestmark = pytest.mark.django_db


def url(name: str, side: Side, **kwargs: Any) -> str:
    return reverse(f"events:{name}", kwargs={"association_slug": side.association.slug, **kwargs})


def test_member_registers_from_the_list_in_three_taps(side_a: Side, member_a: Client) -> None:
    event = make_event(side_a.association, side_a.admin)
    home = member_a.get(
        reverse("members:home", kwargs={"association_slug": side_a.association.slug})
    )
    assert url("list", side_a) in home.content.decode()  # the 活动 tab
    listing = member_a.get(url("list", side_a))  # tap 1
    assert event.title in listing.content.decode()
    detail = member_a.get(url("event", side_a, event_id=event.pk))  # tap 2
    assert "立即报名" in detail.content.decode()
    done = member_a.post(url("register", side_a, event_id=event.pk), follow=True)  # tap 3
    assert "报名成功" in done.content.decode()
    page = member_a.get(url("ticket", side_a, event_id=event.pk)).content.decode()
    with tenant_context(side_a.association):
        registration = Registration.objects.get(event=event)
    assert tickets.display_code(registration.code) in page
    png = member_a.get(url("ticket_png", side_a, event_id=event.pk))
    assert png["Content-Type"] == "image/png"
    member_a.post(url("cancel", side_a, event_id=event.pk))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_drafts_and_other_associations_are_404(
    side_a: Side, member_a: Client, member_b: Client
) -> None:
    draft = make_event(side_a.association, side_a.admin, publish=False)
    assert member_a.get(url("event", side_a, event_id=draft.pk)).status_code == 404
    published = make_event(side_a.association, side_a.admin)
    assert member_b.get(url("event", side_a, event_id=published.pk)).status_code == 404
    assert member_a.get(url("office_event", side_a, event_id=published.pk)).status_code == 403


def test_office_pages_render_and_create_an_event(side_a: Side, admin_a: Client) -> None:
    response = admin_a.post(url("office_new", side_a), {
        "title": "理事会会议", "kind": "council", "starts_at": "2030-03-01T14:00",
        "ends_at": "2030-03-01T17:00", "audience": "members", "max_companions": 0,
        "fee": "0", "quorum_rule": "majority", "capacity": "30",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(side_a.association):
        event = Event.objects.get(title="理事会会议")
    admin_a.post(url("office_publish", side_a, event_id=event.pk))
    event.refresh_from_db()
    register(side_a.association, event, side_a.member_user)
    for name in (
        "office_event",
        "office_edit",
        "office_audience",
        "office_setup",
        "office_attendance",
        "office_minutes",
        "office_feedback",
        "office_checkin_lists",
    ):
        page = admin_a.get(url(name, side_a, event_id=event.pk))
        assert page.status_code == 200, name
    # The pages show this event's registrant, and the council meeting's quorum.
    overview = admin_a.get(url("office_event", side_a, event_id=event.pk)).content.decode()
    assert side_a.person.name in overview
    attendance = admin_a.get(url("office_attendance", side_a, event_id=event.pk)).content.decode()
    assert side_a.person.name in attendance and "法定人数" in attendance
    for name in ("office_list", "office_activity"):
        assert admin_a.get(url(name, side_a)).status_code == 200, name
    # The calendar switch moved to the public site's settings page (官网设置).
    moved = admin_a.get(url("office_settings", side_a))
    assert moved.status_code == 302 and moved["Location"].endswith("/office/site/")
    event.refresh_from_db()
    assert event.status == "published"
    admin_a.post(
        url("office_setup", side_a, event_id=event.pk), {"form": "checkin_list", "name": "晚宴"}
    )
    with tenant_context(side_a.association):
        assert CheckinList.objects.filter(event=event).count() == 2


def test_check_in_page_by_code_then_companion(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, max_companions=1)
    registration = register(a, event, side_a.member_user, companions=1)
    with tenant_context(a):
        hall = CheckinList.objects.get(event=event)
    scan = url("office_checkin", side_a, event_id=event.pk, list_id=hall.pk)
    page = admin_a.get(scan).content.decode()
    assert "jsQR.min.js" in page and "arrived-count" in page
    result = admin_a.post(scan, {"code": tickets.display_code(registration.code)}).content.decode()
    assert "签到成功" in result and side_a.member.name in result
    again = admin_a.post(scan, {"code": registration.phone}).content.decode()
    assert "已签到过" in again
    person = url("office_checkin_person", side_a, event_id=event.pk, list_id=hall.pk,
                 registration_id=registration.pk)  # fmt: skip
    admin_a.post(person, {"companion": "1"})
    count = admin_a.get(url("office_checkin_count", side_a, event_id=event.pk, list_id=hall.pk))
    assert re.search(r'id="arrived-count">2<', count.content.decode())


def test_public_calendar_is_opt_in_and_guests_register_with_a_code(
    side_a: Side, django_capture_on_commit_callbacks: Any
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, audience="public", title="公开论坛")
    guest = Client()
    assert guest.get(url("public_calendar", side_a)).status_code == 404
    with tenant_context(a):
        event_services.calendar_settings_update(
            association=a, actor=side_a.admin, publish_calendar=True
        )
    assert "公开论坛" in guest.get(url("public_calendar", side_a)).content.decode()
    register_url = url("public_register", side_a, event_id=event.pk)
    form = {"name": "游客", "phone": "13811112222", "company": "游客公司"}
    with django_capture_on_commit_callbacks(execute=True):
        guest.post(register_url, {**form, "action": "send"})
    run_worker()
    code = re.search(r"验证码为 (\d{6})", notifications.outbox[-1].text).group(1)  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        done = guest.post(register_url, {**form, "code": code, "action": "register"}, follow=True)
    assert "我的报名" in done.content.decode()
    run_worker()
    assert any("签到码" in m.text for m in notifications.outbox)
    assert guest.get(url("guest_ticket_png", side_a, event_id=event.pk)).status_code == 200
    assert Client().get(url("guest_ticket_png", side_a, event_id=event.pk)).status_code == 404


def test_cover_picture_is_uploaded_and_shown(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    event = make_event(side_a.association, side_a.admin)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    form = EventForm.initial_for(event)
    form = {k: ("" if v is None else v) for k, v in form.items()}
    form["starts_at"] = form["starts_at"].strftime("%Y-%m-%dT%H:%M")
    form["ends_at"] = form["ends_at"].strftime("%Y-%m-%dT%H:%M")
    form["cover"] = SimpleUploadedFile("cover.png", buffer.getvalue(), "image/png")
    response = admin_a.post(url("office_edit", side_a, event_id=event.pk), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    picture = member_a.get(url("cover", side_a, event_id=event.pk))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert (
        url("cover", side_a, event_id=event.pk)
        in member_a.get(url("event", side_a, event_id=event.pk)).content.decode()
    )


def test_the_audience_page_shows_the_chosen_rules(side_a: Side, admin_a: Client) -> None:
    """The audience form (``events.forms.audience_form``, shared with announcements) starts
    from the event's rules: the chosen level ticked, the council ticked, the named person's
    phone in the box, and only this association's levels offered."""
    from shanghui.members.models import Level

    a = side_a.association
    event = make_event(a, side_a.admin, audience="chosen")
    with tenant_context(a):
        level = Level.objects.create(association=a, name="常务理事单位", rank=2, annual_fee=0)
        event_services.audience_set(
            association=a, actor=side_a.admin, event=event,
            data=event_services.AudienceInput(
                level_ids=[level.pk], person_ids=[side_a.person.pk], council=True
            ),
        )  # fmt: skip
    page = admin_a.get(url("office_audience", side_a, event_id=event.pk)).content.decode()
    assert re.search(rf'value="{level.pk}"[^>]*checked', page), page
    assert re.search(r'name="council"[^>]*checked', page)
    assert side_a.person.phone in page
