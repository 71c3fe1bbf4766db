"""Editing and deleting an event's ticket types, agenda items and check-in lists — the same
rules on the office pages (htmx in place, or a page of its own) and in the API: a ticket type
with registrations stays and its capacity never drops below its seats taken (raising it
promotes the waitlist); a list or lesson with arrivals stays; every change is audit-logged."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.events.models import (
    Checkin,
    CheckinList,
    Event,
    EventSession,
    Registration,
    TicketType,
)
from shanghui.events.services import checkin as checkin_services
from shanghui.events.services import registration as registration_services
from shanghui.events.services import setup as setup_services
from shanghui.testing.fixtures import Side

from .factories import make_event, make_member_user, register
from .test_api import api

pytestmark = pytest.mark.django_db


def url(name: str, side: Side, **kwargs: Any) -> str:
    return reverse(f"events:{name}", kwargs={"association_slug": side.association.slug, **kwargs})


def actions(side: Side, prefix: str) -> list[str]:
    with tenant_context(side.association):
        return list(
            AuditEntry.objects.filter(action__startswith=prefix)
            .order_by("id")
            .values_list("action", flat=True)
        )


def test_ticket_type_capacity_cannot_drop_below_seats_and_raising_it_promotes(
    side_a: Side,
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=10)
    with tenant_context(a):
        vip = setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="贵宾票", capacity=1
        )
        guest = setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="嘉宾票", capacity=1
        )
    first = register(a, event, side_a.member_user, ticket_type=vip)
    waiting_vip = register(a, event, make_member_user(a, "等贵宾票"), ticket_type=vip)
    register(a, event, make_member_user(a, "嘉宾甲"), ticket_type=guest)
    waiting_guest = register(a, event, make_member_user(a, "等嘉宾票"), ticket_type=guest)
    assert (first.status, waiting_vip.status, waiting_guest.status) == (
        "confirmed",
        "waitlisted",
        "waitlisted",
    )
    with tenant_context(a):
        with pytest.raises(ValidationError, match="已有 1 个名额被占用") as refused:
            setup_services.ticket_type_update(
                association=a, actor=side_a.admin, ticket_type=vip, name="贵宾票", capacity=0
            )
        assert "capacity" in refused.value.error_dict
        # The guest pool grows: the guest waiting behind a still-full VIP pool moves up.
        setup_services.ticket_type_update(
            association=a, actor=side_a.admin, ticket_type=guest, name="嘉宾票", capacity=2
        )
        assert Registration.objects.get(pk=waiting_guest.pk).status == "confirmed"
        assert Registration.objects.get(pk=waiting_vip.pk).status == "waitlisted"
        # No limit at all promotes the VIP too.
        setup_services.ticket_type_update(
            association=a, actor=side_a.admin, ticket_type=vip, name="贵宾", price="880",
            capacity=None,
        )  # fmt: skip
        vip.refresh_from_db()
        assert (vip.name, str(vip.price), vip.capacity, vip.seats_taken) == (
            "贵宾",
            "880.00",
            None,
            2,
        )
        assert Registration.objects.get(pk=waiting_vip.pk).status == "confirmed"
        assert Event.objects.get(pk=event.pk).seats_taken == 4
    assert actions(side_a, "events.ticket_type.update").count("events.ticket_type.update") == 2


def test_ticket_type_with_registrations_cannot_be_deleted(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    with tenant_context(a):
        used = setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="会员票"
        )
        spare = setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="备用票"
        )
        setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="晚宴票"
        )
    registration = register(a, event, side_a.member_user, ticket_type=used)
    with tenant_context(a):
        registration_services.registration_cancel(
            association=a, actor=side_a.admin, registration=registration
        )
        with pytest.raises(ValidationError, match="已有 1 条报名记录"):
            setup_services.ticket_type_delete(association=a, actor=side_a.admin, ticket_type=used)
        assert TicketType.objects.filter(pk=used.pk).exists()
        with pytest.raises(ValidationError, match="已有同名票种"):
            setup_services.ticket_type_update(
                association=a, actor=side_a.admin, ticket_type=spare, name="晚宴票"
            )
        setup_services.ticket_type_delete(association=a, actor=side_a.admin, ticket_type=spare)
        assert not TicketType.objects.filter(pk=spare.pk).exists()
    assert actions(side_a, "events.ticket_type.delete") == ["events.ticket_type.delete"]


def test_lessons_and_lists_with_arrivals_stay(side_a: Side) -> None:
    a = side_a.association
    start = timezone.now() + timedelta(days=3)
    course = make_event(a, side_a.admin, kind="training", title="财务培训班",
                        starts_at=start, ends_at=start + timedelta(days=10))  # fmt: skip
    registration = register(a, course, side_a.member_user)
    with tenant_context(a):
        lesson = setup_services.session_create(
            association=a, actor=side_a.admin, event=course, title="第一课", starts_at=start
        )
        spare = setup_services.session_create(
            association=a, actor=side_a.admin, event=course, title="第二课",
            starts_at=start + timedelta(days=1),
        )  # fmt: skip
        lesson_list = CheckinList.objects.get(session=lesson)
        checkin_services.checkin_record(
            association=a, actor=side_a.admin, checkin_list=lesson_list, registration=registration
        )
        # Moving the lesson renames its list; its arrivals stay.
        moved = start + timedelta(hours=2)
        setup_services.session_update(
            association=a, actor=side_a.admin, session=lesson, title="第一课：预算",
            starts_at=moved, ends_at=moved + timedelta(hours=2), location="二楼",
        )  # fmt: skip
        lesson_list.refresh_from_db()
        assert lesson_list.name.endswith("第一课：预算")
        assert f"{timezone.localtime(moved):%m-%d %H:%M}" in lesson_list.name
        with pytest.raises(ValidationError, match="结束时间不能早于开始时间"):
            setup_services.session_update(
                association=a, actor=side_a.admin, session=lesson, title="x",
                starts_at=moved, ends_at=moved - timedelta(hours=1),
            )  # fmt: skip
        with pytest.raises(ValidationError, match="已有 1 条签到记录"):
            setup_services.session_delete(association=a, actor=side_a.admin, session=lesson)
        with pytest.raises(ValidationError, match="已有 1 条签到记录"):
            setup_services.checkin_list_delete(
                association=a, actor=side_a.admin, checkin_list=lesson_list
            )
        assert Checkin.objects.filter(registration=registration).count() == 1
        setup_services.session_delete(association=a, actor=side_a.admin, session=spare)
        assert not EventSession.objects.filter(pk=spare.pk).exists()
        assert not CheckinList.objects.filter(session_id=spare.pk).exists()
        hall = CheckinList.objects.get(event=course, session=None)
        renamed = setup_services.checkin_list_update(
            association=a, actor=side_a.admin, checkin_list=hall, name="报到处"
        )
        assert renamed.name == "报到处"
    assert actions(side_a, "events.session.") == [
        "events.session.create",
        "events.session.create",
        "events.session.update",
        "events.session.delete",
    ]


def test_the_last_list_and_a_lessons_list_are_not_deleted_alone(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    with tenant_context(a):
        hall = CheckinList.objects.get(event=event)
        with pytest.raises(ValidationError, match="至少保留一个签到点"):
            setup_services.checkin_list_delete(association=a, actor=side_a.admin, checkin_list=hall)
        dinner = setup_services.checkin_list_create(
            association=a, actor=side_a.admin, event=event, name="晚宴"
        )
        with pytest.raises(ValidationError, match="已有同名签到点"):
            setup_services.checkin_list_update(
                association=a, actor=side_a.admin, checkin_list=dinner, name="主会场"
            )
        setup_services.checkin_list_delete(association=a, actor=side_a.admin, checkin_list=hall)
        assert list(CheckinList.objects.filter(event=event)) == [dinner]
    assert actions(side_a, "events.checkin_list.delete") == ["events.checkin_list.delete"]


def test_office_edits_in_place_with_htmx_and_as_a_page(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    with tenant_context(a):
        ticket_type = setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="会员票", capacity=10
        )
    page = admin_a.get(url("office_setup", side_a, event_id=event.pk)).content.decode()
    edit = url("office_ticket_type_edit", side_a, event_id=event.pk, ticket_type_id=ticket_type.pk)
    assert f'hx-get="{edit}"' in page
    row = admin_a.get(edit, headers={"HX-Request": "true"}).content.decode()
    assert row.startswith("<tr") and 'name="edit-name"' in row and 'value="会员票"' in row
    refused = admin_a.post(
        edit, {"edit-name": "会员票", "edit-price": "0", "edit-capacity": "-1"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert refused.status_code == 200 and "sh-field--error" in refused.content.decode()
    saved = admin_a.post(
        edit, {"edit-name": "会员代表票", "edit-price": "100", "edit-capacity": "20"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert saved.status_code == 200 and saved["HX-Redirect"] == url(
        "office_setup", side_a, event_id=event.pk
    )
    # Without JavaScript: the form is a page of its own and saving goes back to the tab.
    assert "编辑票种" in admin_a.get(edit).content.decode()
    done = admin_a.post(
        edit, {"edit-name": "会员票", "edit-price": "100", "edit-capacity": "20"}, follow=True
    )
    assert "已保存" in done.content.decode()
    with tenant_context(a):
        ticket_type.refresh_from_db()
    assert (ticket_type.name, ticket_type.capacity) == ("会员票", 20)

    register(a, event, side_a.member_user, ticket_type=ticket_type)
    delete = url(
        "office_ticket_type_delete", side_a, event_id=event.pk, ticket_type_id=ticket_type.pk
    )
    answer = admin_a.post(delete, follow=True).content.decode()
    assert "不能删除" in answer
    with tenant_context(a):
        assert TicketType.objects.filter(pk=ticket_type.pk).exists()
        lesson = setup_services.session_create(
            association=a, actor=side_a.admin, event=event, title="开幕式",
            starts_at=event.starts_at,
        )  # fmt: skip
        dinner = setup_services.checkin_list_create(
            association=a, actor=side_a.admin, event=event, name="晚宴"
        )
    session_edit = url("office_session_edit", side_a, event_id=event.pk, session_id=lesson.pk)
    admin_a.post(session_edit, {
        "edit-title": "开幕式暨颁奖", "edit-starts_at": "2030-01-02T09:00",
        "edit-ends_at": "2030-01-02T10:00", "edit-speaker": "会长",
    })  # fmt: skip
    list_edit = url("office_checkin_list_edit", side_a, event_id=event.pk, list_id=dinner.pk)
    admin_a.post(list_edit, {"edit-name": "欢迎晚宴"})
    with tenant_context(a):
        lesson.refresh_from_db()
        dinner.refresh_from_db()
    assert (lesson.title, lesson.speaker, dinner.name) == ("开幕式暨颁奖", "会长", "欢迎晚宴")
    admin_a.post(url("office_session_delete", side_a, event_id=event.pk, session_id=lesson.pk))
    admin_a.post(url("office_checkin_list_delete", side_a, event_id=event.pk, list_id=dinner.pk))
    with tenant_context(a):
        assert not EventSession.objects.filter(pk=lesson.pk).exists()
        assert not CheckinList.objects.filter(pk=dinner.pk).exists()


def test_members_and_other_associations_cannot_edit(
    side_a: Side, side_b: Side, member_a: Client, member_b: Client
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    with tenant_context(a):
        ticket_type = setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="会员票"
        )
    edit = url("office_ticket_type_edit", side_a, event_id=event.pk, ticket_type_id=ticket_type.pk)
    delete = url(
        "office_ticket_type_delete", side_a, event_id=event.pk, ticket_type_id=ticket_type.pk
    )
    assert member_a.get(edit).status_code == 403
    assert member_a.post(delete).status_code == 403
    assert member_b.post(delete).status_code == 404
    other = make_event(side_b.association, side_b.admin)
    # A's ticket type under B's event, as B's administrator: not found.
    foreign = url(
        "office_ticket_type_edit", side_b, event_id=other.pk, ticket_type_id=ticket_type.pk
    )
    assert Client().get(foreign).status_code == 302  # to sign-in first
    from shanghui.testing.fixtures import client_for

    assert client_for(side_b.admin).get(foreign).status_code == 404
    with tenant_context(a):
        assert TicketType.objects.filter(pk=ticket_type.pk).exists()


def patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, json.dumps(body), content_type="application/json")


def test_api_edits_and_deletes_with_the_same_rules(side_a: Side, side_b: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=10)
    admin = api(side_a.admin)
    base = f"/api/v1/associations/{a.slug}/events/{event.pk}"
    created = admin.post(
        f"{base}/ticket-types", json.dumps({"name": "会员票", "capacity": 1}),
        content_type="application/json",
    ).json()  # fmt: skip
    with tenant_context(a):
        ticket_type = TicketType.objects.get(pk=created["id"])
    register(a, event, side_a.member_user, ticket_type=ticket_type)
    waiting = register(a, event, make_member_user(a, "候补人"), ticket_type=ticket_type)
    too_small = patch(admin, f"{base}/ticket-types/{created['id']}", {"capacity": 0})
    assert too_small.status_code == 400
    assert "不能少于" in too_small.json()["error"]["fields"]["capacity"][0]
    renamed = patch(admin, f"{base}/ticket-types/{created['id']}", {"name": "会员代表票"})
    assert (renamed.status_code, renamed.json()["capacity"]) == (200, 1)  # unsent stays
    unlimited = patch(admin, f"{base}/ticket-types/{created['id']}", {"capacity": None})
    assert unlimited.json()["capacity"] is None and unlimited.json()["seats_taken"] == 2
    with tenant_context(a):
        assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    refused = admin.delete(f"{base}/ticket-types/{created['id']}")
    assert refused.status_code == 400 and "不能删除" in refused.json()["error"]["message"]

    session = admin.post(
        f"{base}/sessions", json.dumps({"title": "开幕式", "starts_at": "2030-01-02T09:00"}),
        content_type="application/json",
    ).json()  # fmt: skip
    moved = patch(admin, f"{base}/sessions/{session['id']}", {"location": "一号厅"})
    assert (moved.json()["title"], moved.json()["location"]) == ("开幕式", "一号厅")
    assert admin.delete(f"{base}/sessions/{session['id']}").status_code == 204

    lists = admin.get(f"{base}/checkin-lists").json()
    hall = lists[0]["id"]
    assert admin.delete(f"{base}/checkin-lists/{hall}").status_code == 400  # the only one
    dinner = admin.post(
        f"{base}/checkin-lists", json.dumps({"name": "晚宴"}), content_type="application/json"
    ).json()
    assert (
        patch(admin, f"{base}/checkin-lists/{dinner['id']}", {"name": "欢迎晚宴"}).json()["name"]
        == "欢迎晚宴"
    )
    assert admin.delete(f"{base}/checkin-lists/{dinner['id']}").status_code == 204

    member = api(side_a.member_user)
    assert patch(member, f"{base}/checkin-lists/{hall}", {"name": "x"}).status_code == 403
    assert member.delete(f"{base}/ticket-types/{created['id']}").status_code == 403
    outsider = api(side_b.admin)
    assert outsider.delete(f"{base}/ticket-types/{created['id']}").status_code == 404
    other = make_event(side_b.association, side_b.admin)
    guessed = f"/api/v1/associations/{side_b.association.slug}/events/{other.pk}"
    assert outsider.delete(f"{guessed}/ticket-types/{created['id']}").status_code == 404
    assert patch(outsider, f"{guessed}/checkin-lists/{hall}", {"name": "x"}).status_code == 404
