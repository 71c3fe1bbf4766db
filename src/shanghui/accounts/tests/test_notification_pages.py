"""The notification center's pages and API: one inbox per person across every association
(with the unread badge in the shell), notification preferences, and the back office's 未送达
list with resend — pages and API calling the same services."""

import json
import re

import pytest
from django.test import Client

from shanghui.accounts.models import Role
from shanghui.core import notifications
from shanghui.core.models import OutboxMessage
from shanghui.core.notify import preferences
from shanghui.core.tenancy import tenant_context
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import RoleFactory
from shanghui.testing.fixtures import Side, api_client_for, client_for
from shanghui.testing.messages import NOTICE, note
from shanghui.testing.worker import run_worker

pytestmark = pytest.mark.django_db


def tab_badge(page: str) -> str | None:
    found = re.search(r'class="weui-badge m-tab-badge"[^>]*>([^<]+)<', page)
    return found.group(1) if found else None


def test_one_inbox_across_associations_with_its_badge(side_a: Side, side_b: Side) -> None:
    user = side_a.member_user
    RoleFactory(association=side_b.association, user=user, kind=Role.Kind.MEMBER)
    for side, text in ((side_a, "甲商会年会"), (side_b, "乙商会理事会")):
        with tenant_context(side.association):
            note(association=side.association, user_id=user.pk, subject=text, text=text)
    with tenant_context(side_b.association):  # someone else's: never shown
        note(association=side_b.association, user_id=side_b.member_user.pk, subject="别人的")
    # As production runs it: on PostgreSQL as the application role, under row-level security.
    with as_app_role():
        client = client_for(user)
        home = client.get(f"/a/{side_a.association.slug}/me/").content.decode()
        assert tab_badge(home) == "2"  # both associations' messages, on 我的
        api = api_client_for(user)
        assert api.get("/api/v1/me/inbox/unread-count").json() == {"unread": 2}
        listed = api.get("/api/v1/me/inbox").json()
        assert {m["subject"] for m in listed} == {"甲商会年会", "乙商会理事会"}
        assert {m["association_slug"] for m in listed} == {"jiashi", "yishi"}

        page = client.get("/me/inbox/").content.decode()
        assert "甲商会年会" in page and "乙商会理事会" in page and "别人的" not in page
        assert page.count("is-unread") == 2
        assert tab_badge(client.get(f"/a/{side_a.association.slug}/me/").content.decode()) is None
        assert api.get("/api/v1/me/inbox/unread-count").json() == {"unread": 0}
        # Someone else's id marks nothing.
        other = api_client_for(side_b.member_user)
        theirs = other.get("/api/v1/me/inbox").json()[0]["id"]
        assert api.post("/api/v1/me/inbox/read", {"ids": [theirs]}, "application/json").json() == {
            "changed": 0
        }
        assert other.get("/api/v1/me/inbox/unread-count").json() == {"unread": 1}


def test_the_back_office_top_bar_shows_the_unread_count(side_a: Side, admin_a: Client) -> None:
    with tenant_context(side_a.association):
        note(association=side_a.association, user_id=side_a.admin.pk, subject="待办")
    page = admin_a.get(f"/a/{side_a.association.slug}/office/members/").content.decode()
    assert re.search(r'class="office__inbox"[^>]*>消息 <span class="nav-badge"[^>]*>1<', page)


def test_preferences_page_and_api_save_the_same(side_a: Side) -> None:
    user = side_a.member_user
    client = client_for(user)
    page = client.get("/me/notifications/").content.decode()
    assert f'value="{NOTICE}/sms"' in page
    assert "testing.code" not in page  # urgent: not offered
    offered = re.findall(r'name="on" value="([^"]+)"', page)
    keep = [v for v in offered if v != f"{NOTICE}/sms"]
    response = client.post(
        "/me/notifications/", {"on": keep, "quiet_start": "22:00", "quiet_end": "07:00"}
    )
    assert response.status_code == 302
    prefs = preferences.preferences_of(user)
    assert prefs.muted == [f"{NOTICE}/sms"] and str(prefs.quiet_start) == "22:00:00"
    api = api_client_for(user)
    got = api.get("/api/v1/me/notification-preferences").json()
    assert got["muted"] == [f"{NOTICE}/sms"] and got["quiet_end"] == "07:00:00"
    put = api.put(
        "/api/v1/me/notification-preferences",
        json.dumps({"muted": [f"{NOTICE}/email"], "quiet_start": None, "quiet_end": None}),
        "application/json",
    )
    assert put.status_code == 200 and put.json()["muted"] == [f"{NOTICE}/email"]
    bad = api.put(
        "/api/v1/me/notification-preferences",
        json.dumps({"muted": ["testing.code/sms"]}),
        "application/json",
    )
    assert bad.status_code == 400  # a ValidationError of the service
    assert client.post("/me/notifications/", {"quiet_start": "25:99"}).status_code == 200


def failed_messages(side: Side, *phones: str) -> None:
    notifications.MemorySmsSender.failing = set(phones)
    with tenant_context(side.association):
        for phone in phones:
            note(association=side.association, phone=phone, subject="会费提醒")
        OutboxMessage.objects.update(attempts=notifications.MAX_ATTEMPTS - 1)
    run_worker()


def test_the_undelivered_list_resends_one_or_all(
    side_a: Side, side_b: Side, admin_a: Client, member_a: Client
) -> None:
    failed_messages(side_a, "13700000001", "13700000002", "13700000003")
    slug = side_a.association.slug
    page = admin_a.get(f"/a/{slug}/office/deliveries/").content.decode()
    assert page.count("memory: 1370000000") == 3 and "未送达" in page
    assert member_a.get(f"/a/{slug}/office/deliveries/").status_code == 403
    assert client_for(side_b.admin).get(f"/a/{slug}/office/deliveries/").status_code == 404

    notifications.MemorySmsSender.failing = set()
    with tenant_context(side_a.association):
        one = OutboxMessage.objects.get(phone="13700000001").pk
    admin_a.post(f"/a/{slug}/office/deliveries/resend/", {"id": one})
    run_worker()
    assert [m.to for m in notifications.outbox] == ["13700000001"]

    api = api_client_for(side_a.admin)
    listed = api.get(f"/api/v1/associations/{slug}/deliveries/failed").json()
    assert sorted(m["phone"] for m in listed["items"]) == ["13700000002", "13700000003"]
    assert (
        api_client_for(side_a.member_user)
        .get(f"/api/v1/associations/{slug}/deliveries/failed")
        .status_code
        == 403
    )
    resent = api.post(
        f"/api/v1/associations/{slug}/deliveries/resend", {"all": True}, "application/json"
    )
    assert resent.json() == {"resent": 2}
    run_worker()
    assert sorted(m.to for m in notifications.outbox) == [
        "13700000001",
        "13700000002",
        "13700000003",
    ]
    assert "没有未送达的消息" in admin_a.get(f"/a/{slug}/office/deliveries/").content.decode()


def test_a_bad_resend_id_is_refused_and_resends_nothing(side_a: Side, admin_a: Client) -> None:
    failed_messages(side_a, "13700000001", "13700000002")
    slug = side_a.association.slug
    notifications.MemorySmsSender.failing = set()
    # "²" passes str.isdigit (int() refuses it); beyond bigint; not a number; missing: each
    # is a 400, never "resend all".
    for bad in ({"id": "²"}, {"id": str(2**64)}, {"id": "x"}, {"id": "0"}, {}):
        response = admin_a.post(f"/a/{slug}/office/deliveries/resend/", bad)
        assert response.status_code == 400, bad
    api = api_client_for(side_a.admin)
    url = f"/api/v1/associations/{slug}/deliveries/resend"
    for bad_body in ({}, {"ids": [2**64]}, {"ids": [0]}, {"ids": [1], "all": True}):
        assert api.post(url, bad_body, "application/json").status_code in {400, 422}, bad_body
    run_worker()
    assert notifications.outbox == []
    with tenant_context(side_a.association):
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"failed"}
    # Explicitly all: the page's 全部重新发送 button.
    page = admin_a.get(f"/a/{slug}/office/deliveries/").content.decode()
    assert 'name="all" value="1"' in page
    admin_a.post(f"/a/{slug}/office/deliveries/resend/", {"all": "1"})
    run_worker()
    assert sorted(m.to for m in notifications.outbox) == ["13700000001", "13700000002"]


def test_mark_all_read_on_the_inbox_page_and_the_api(side_a: Side, side_b: Side) -> None:
    user = side_a.member_user
    RoleFactory(association=side_b.association, user=user, kind=Role.Kind.MEMBER)
    for side in (side_a, side_b):
        with tenant_context(side.association):
            note(association=side.association, user_id=user.pk, subject="会费提醒")
    client = client_for(user)
    client.handler.enforce_csrf_checks = True
    page = client.get("/me/inbox/").content.decode()
    form = re.search(r'<form method="post" action="/me/inbox/read/"[^>]*>(.*?)</form>', page, re.S)
    assert form and 'hx-post="/me/inbox/read/"' in form.group(0) and "全部标为已读" in form.group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))
    assert token
    assert client.post("/me/inbox/read/").status_code == 403  # no CSRF token: refused
    with tenant_context(side_b.association):
        note(association=side_b.association, user_id=user.pk, subject="新的通知")
    fragment = client.post(
        "/me/inbox/read/", {"csrfmiddlewaretoken": token.group(1)}, HTTP_HX_REQUEST="true"
    )
    body = fragment.content.decode()
    assert fragment.status_code == 200 and body.startswith('<div id="inbox-body">')
    assert "新的通知" in body and "is-unread" not in body and "<html" not in body
    api = api_client_for(user)
    assert api.get("/api/v1/me/inbox/unread-count").json() == {"unread": 0}
    # Without HTMX: back to the page. And over the API: every association's, at once.
    redirected = client.post("/me/inbox/read/", {"csrfmiddlewaretoken": token.group(1)})
    assert redirected.status_code == 302 and redirected["Location"] == "/me/inbox/"
    for side in (side_a, side_b):
        with tenant_context(side.association):
            note(association=side.association, user_id=user.pk, subject="又一条")
    assert api.post("/api/v1/me/inbox/read", {}, "application/json").json() == {"changed": 2}
    assert api.get("/api/v1/me/inbox/unread-count").json() == {"unread": 0}
