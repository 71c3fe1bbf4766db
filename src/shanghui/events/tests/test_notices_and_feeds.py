"""A member's in-app notices have a read state (an unread badge on the 活动 tab; opening the
list marks them read; the API lists and marks them), and their calendar subscription is a
signed URL that calendar apps fetch without a session — forged, reset or foreign keys are a
404, and so is the old session feed."""

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from shanghui.accounts.models import Role
from shanghui.core.models import AuditEntry, InboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.events import feeds
from shanghui.events.services import events as event_services
from shanghui.events.services import notices
from shanghui.events.services.setup import checkin_staff_add
from shanghui.members.models import Level, Member, Person
from shanghui.testing.fixtures import Side
from shanghui.testing.messages import note
from shanghui.testing.worker import run_worker

from .factories import make_event, make_member_user, register
from .test_api import api

pytestmark = pytest.mark.django_db


def url(name: str, side: Side, **kwargs: Any) -> str:
    return reverse(f"events:{name}", kwargs={"association_slug": side.association.slug, **kwargs})


def badge(page: str) -> str | None:
    found = re.search(r'class="weui-badge m-tab-badge"[^>]*>([^<]+)<', page)
    return found.group(1) if found else None


def test_unread_badge_and_opening_the_list_marks_read(side_a: Side, member_a: Client) -> None:
    a = side_a.association
    register(a, make_event(a, side_a.admin, title="招商推介会"), side_a.member_user)
    register(a, make_event(a, side_a.admin, title="读书会"), side_a.member_user)
    run_worker()  # the confirmations reach the inbox through the worker
    home = member_a.get(reverse("members:home", kwargs={"association_slug": a.slug}))
    assert badge(home.content.decode()) == "2"
    listing = member_a.get(url("list", side_a)).content.decode()
    assert re.search(r'id="unread-count"[^>]*>2<', listing)
    opened = member_a.get(url("notices", side_a)).content.decode()
    assert "招商推介会" in opened and "读书会" in opened
    assert opened.count("is-unread") == 2  # highlighted this once
    again = member_a.get(url("notices", side_a)).content.decode()
    assert "is-unread" not in again
    assert badge(member_a.get(url("list", side_a)).content.decode()) is None
    with tenant_context(a):
        assert not InboxMessage.objects.filter(read_at__isnull=True).exists()


def test_notices_over_the_api(side_a: Side, side_b: Side) -> None:
    a = side_a.association
    register(a, make_event(a, side_a.admin, title="甲"), side_a.member_user)
    register(a, make_event(a, side_a.admin, title="乙"), side_a.member_user)
    other = make_member_user(a, "别人")
    register(a, make_event(a, side_a.admin, title="丙"), other)
    run_worker()
    member = api(side_a.member_user)
    base = f"/api/v1/associations/{a.slug}/events/notices"
    listed = member.get(f"{base}?unread=true").json()
    assert listed["count"] == 2 and all(not n["read"] for n in listed["items"])
    assert member.get(f"{base}/unread-count").json()["unread"] == 2
    with tenant_context(a):
        theirs = InboxMessage.objects.get(user=other).pk
    first = listed["items"][0]["id"]
    marked = member.post(
        f"{base}/read", json.dumps({"ids": [first, theirs]}), content_type="application/json"
    ).json()
    assert marked == {"marked": 1, "unread": 1}  # someone else's id changes nothing
    rest = member.post(f"{base}/read", "{}", content_type="application/json").json()
    assert rest == {"marked": 1, "unread": 0}
    assert member.get(base).json()["count"] == 2
    assert api(other).get(f"{base}/unread-count").json()["unread"] == 1
    outsider = api(side_b.member_user)
    assert outsider.get(base).status_code == 404


def test_the_signed_feed_serves_calendar_apps_without_a_session(
    side_a: Side, member_a: Client
) -> None:
    a = side_a.association
    soon = make_event(a, side_a.admin, title="新春联谊会")
    make_event(a, side_a.admin, title="未发布的草稿", publish=False)
    start = timezone.now() - timedelta(days=400)
    make_event(a, side_a.admin, title="去年的年会", starts_at=start,
               ends_at=start + timedelta(hours=3))  # fmt: skip
    listing = member_a.get(url("list", side_a)).content.decode()
    with tenant_context(a):
        feed_url, webcal_url = feeds.feed_urls(association=a, user=side_a.member_user)
    assert f'href="{webcal_url}"' in listing and "订阅到手机日历" in listing
    assert webcal_url.startswith("webcal://") and feed_url in listing
    path = feed_url.split("://", 1)[1].split("/", 1)[1]
    answer = Client().get(f"/{path}")  # a calendar app: no cookies
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    titles = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert titles == {soon.title}
    assert str(calendar["REFRESH-INTERVAL"].to_ical().decode()) == "PT1H"

    key = path.rsplit("/", 1)[1].removesuffix(".ics")
    user_id, signature = key.split("-")
    for forged in (
        user_id,  # unsigned
        f"{user_id}-{'0' * 32}",
        f"{int(user_id) + 1}-{signature}",  # someone else's id with this signature
        f"{user_id}-{signature[:-1]}",
    ):
        assert Client().get(url("member_feed", side_a, feed_key=forged)).status_code == 404
    assert Client().get(f"/a/{a.slug}/events/calendar.ics").status_code == 404  # the old feed


def test_reset_invalidates_and_leaving_the_association_stops_the_feed(
    side_a: Side, side_b: Side, member_a: Client
) -> None:
    a = side_a.association
    make_event(a, side_a.admin)
    with tenant_context(a):
        old = feeds.feed_key(association=a, user=side_a.member_user)
    done = member_a.post(url("feed_reset", side_a), follow=True).content.decode()
    assert "原链接已失效" in done
    with tenant_context(a):
        new = feeds.feed_key(association=a, user=side_a.member_user)
    assert new != old
    assert Client().get(url("member_feed", side_a, feed_key=old)).status_code == 404
    assert Client().get(url("member_feed", side_a, feed_key=new)).status_code == 200
    with tenant_context(a):
        assert AuditEntry.objects.filter(action="events.calendar_feed.reset").exists()
    # The same key under another association's address is nobody's.
    assert Client().get(url("member_feed", side_b, feed_key=new)).status_code == 404
    with tenant_context(a):
        Role.objects.filter(association=a, user=side_a.member_user).update(is_active=False)
    assert Client().get(url("member_feed", side_a, feed_key=new)).status_code == 404


def test_feed_url_over_the_api(side_a: Side) -> None:
    a = side_a.association
    member = api(side_a.member_user)
    base = f"/api/v1/associations/{a.slug}/events/calendar-feed"
    first = member.get(base).json()
    assert first["webcal_url"].startswith("webcal://")
    reset = member.post(f"{base}/reset").json()
    assert reset["url"] != first["url"]
    with tenant_context(a):
        assert notices.notices_mark_read(association=a, actor=side_a.member_user) == 0


def test_the_feeds_ask_as_many_queries_for_many_events_as_for_one(side_a: Side) -> None:
    """Calendar apps fetch the feeds every hour for every subscriber: no query per event."""
    a = side_a.association
    with tenant_context(a):
        feed_url, _webcal = feeds.feed_urls(association=a, user=side_a.member_user)
        event_services.calendar_settings_update(
            association=a, actor=side_a.admin, publish_calendar=True
        )
    member_feed = "/" + feed_url.split("://", 1)[1].split("/", 1)[1]
    public_feed = url("public_feed", side_a)

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            answer = Client().get(path)
        assert answer.status_code == 200
        return len(captured)

    with tenant_context(a):
        level = Level.objects.create(association=a, name="常务副会长单位", rank=2, annual_fee=0)
        Member.objects.filter(pk=side_a.member.pk).update(level=level)
        someone_else = make_member_user(a, "别人")
        others = list(Person.objects.filter(association=a, user=someone_else).values_list("pk"))

    def chosen(title: str, audience: event_services.AudienceInput) -> None:
        event = make_event(a, side_a.admin, title=title, audience="chosen")
        with tenant_context(a):
            event_services.audience_set(
                association=a, actor=side_a.admin, event=event, data=audience
            )

    make_event(a, side_a.admin, title="第一场", audience="public")
    chosen("点名邀请", event_services.AudienceInput(person_ids=[side_a.person.pk]))
    one = (queries(member_feed), queries(public_feed))
    for n in range(4):
        make_event(a, side_a.admin, title=f"第{n + 2}场", audience="public")
        chosen(f"按级别邀请{n}", event_services.AudienceInput(level_ids=[level.pk]))
        chosen(f"邀请别人{n}", event_services.AudienceInput(person_ids=[others[0][0]]))
    assert (queries(member_feed), queries(public_feed)) == one
    assert len(Calendar.from_ical(Client().get(public_feed).content).walk("VEVENT")) == 5
    mine = Calendar.from_ical(Client().get(member_feed).content).walk("VEVENT")
    titles = {str(e["SUMMARY"]) for e in mine}
    assert "点名邀请" in titles and "按级别邀请3" in titles and "邀请别人0" not in titles
    assert len(titles) == 10  # 5 public, the one naming me, the 4 of my level


def test_the_notices_list_only_the_events_messages(side_a: Side, member_a: Client) -> None:
    """An announcement (another module's kind) is in the person's inbox at /me/inbox/, never
    on the events' notices page, its API or the 活动 tab's badge."""
    a = side_a.association
    user = side_a.member_user
    event = make_event(a, side_a.admin, title="招商推介会")
    register(a, event, user)
    with tenant_context(a):
        note(association=a, user_id=user.pk, subject="理事会换届公告", text="换届")
        # An in-app-only events message: made a door volunteer.
        checkin_staff_add(association=a, actor=side_a.admin, event=event, phone=user.phone)
    run_worker()
    listing = member_a.get(url("list", side_a)).content.decode()
    assert re.search(r'id="unread-count"[^>]*>2<', listing)
    member = api(user)
    base = f"/api/v1/associations/{a.slug}/events/notices"
    assert member.get(f"{base}/unread-count").json()["unread"] == 2
    subjects = [n["subject"] for n in member.get(base).json()["items"]]
    assert len(subjects) == 2 and "签到员" in subjects and "理事会换届公告" not in subjects
    # Marking every notice read leaves the announcement unread in the inbox.
    assert member.post(f"{base}/read", "{}", content_type="application/json").json() == {
        "marked": 2,
        "unread": 0,
    }
    opened = member_a.get(url("notices", side_a)).content.decode()
    assert "招商推介会" in opened and "理事会换届公告" not in opened
    inbox = member_a.get("/me/inbox/").content.decode()
    assert "理事会换届公告" in inbox and "招商推介会" in inbox
    assert inbox.count("is-unread") == 1  # the announcement, still unread until now
