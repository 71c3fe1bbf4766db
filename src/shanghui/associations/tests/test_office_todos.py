"""The secretariat's to-do list (13.27): pending applications, overdue bills and events that
need someone, on the dashboard with counts and links and as badges on the sidebar — each
app contributing its own items (``core.contributions.TODOS``), only what the viewer's role
may act on, a few queries per page whatever the numbers."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shanghui.accounts.models import Role
from shanghui.accounts.permissions import ROLE_PERMISSIONS, Perm
from shanghui.associations.models import Association
from shanghui.core.cache_versions import bump
from shanghui.core.contributions import todo_list
from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill
from shanghui.events.models import Event
from shanghui.events.services import after as after_services
from shanghui.events.tests.factories import make_event, make_member_user, register
from shanghui.events.todos import EVENTS_VERSION
from shanghui.members.models import MembershipApplication
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import MemberFactory, RoleFactory, UserFactory
from shanghui.testing.fixtures import Side, client_for

Status = MembershipApplication.Status


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/{path}"


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def todo_rows(response: Any) -> dict[str, tuple[int, str]]:
    """The dashboard's to-do list: label → (count, link)."""
    found = {}
    for href, label, count in re.findall(
        r'<a class="todo__item[^"]*" href="([^"]+)">.*?class="todo__label">([^<]+)</span>'
        r'.*?class="todo__count">(\d+)</span>',
        response.content.decode(),
        flags=re.S,
    ):
        found[label] = (int(count), href.replace("&amp;", "&"))
    return found


def sidebar_badges(response: Any) -> dict[str, int]:
    """The sidebar's entries that carry a badge: label → count."""
    nav = response.content.decode().split('class="office__nav"', 1)[1].split("</nav>", 1)[0]
    return {
        label.strip(): int(count)
        for label, count in re.findall(r'>([^<>]+) <span class="nav-badge"[^>]*>(\d+)<', nav)
    }


def applications(association: Association, status: str, n: int) -> None:
    with tenant_context(association):
        for i in range(n):
            MembershipApplication.objects.create(
                association=association,
                kind="enterprise",
                name=f"申请企业{status}{i}有限公司",
                applicant_name="申请人",
                applicant_phone=f"1390000{i:04d}",
                status=status,
            )


@pytest.mark.django_db
def test_pending_applications_show_on_the_dashboard_and_the_sidebar(
    side_a: Side, side_b: Side, admin_a: Client
) -> None:
    applications(side_a.association, Status.SUBMITTED, 6)
    applications(side_a.association, Status.NEEDS_INFO, 1)
    applications(side_a.association, Status.REJECTED, 3)
    applications(side_b.association, Status.SUBMITTED, 2)  # another association's

    dashboard = admin_a.get(office(side_a))
    rows = todo_rows(dashboard)
    base = office(side_a, "applications/")
    assert rows["待审核"] == (6, f"{base}?status=submitted")
    assert rows["待申请人补充资料"] == (1, f"{base}?status=needs_info")
    assert "会员状态 申请中 7 正常" in text(dashboard), "申请中 counts them"
    # Waiting on the applicant is listed, but the badge counts what waits on the secretariat.
    assert sidebar_badges(admin_a.get(office(side_a, "members/"))) == {"入会申请": 6}
    assert "（6 项待办）" in admin_a.get(office(side_a, "members/")).content.decode()


@pytest.mark.django_db
def test_overdue_bills_and_events_that_need_someone(side_a: Side, admin_a: Client) -> None:
    a, admin = side_a.association, side_a.admin
    today = timezone.localdate()
    with tenant_context(a):
        for due, status in (
            (today - timedelta(days=40), DuesBill.Status.OPEN),
            (today - timedelta(days=1), DuesBill.Status.OPEN),
            (today - timedelta(days=40), DuesBill.Status.PAID),  # paid: nothing to do
            (today + timedelta(days=5), DuesBill.Status.OPEN),  # not yet due
        ):
            DuesBill.objects.create(
                association=a,
                member=MemberFactory(association=a),
                year=2026,
                amount=5000,
                paid_amount=5000 if status == DuesBill.Status.PAID else 0,
                due_on=due,
                status=status,
            )
    now = timezone.now()
    approval = make_event(a, admin, title="赣商论坛", requires_approval=True)
    register(a, approval, make_member_user(a, "黄会员"))
    register(a, approval, make_member_user(a, "蓝会员"))
    draft = make_event(a, admin, publish=False, title="新春茶话会", kind=Event.Kind.SOCIAL)
    make_event(
        a,
        admin,
        publish=False,
        title="下月考察",
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=31),
    )
    ended_days_ago = {"理事会（未写纪要）": 10, "理事会（已写纪要）": 12, "去年的理事会": 200}
    meetings = {
        title: make_event(a, admin, title=title, kind=Event.Kind.COUNCIL)
        for title in ended_days_ago
    }
    with tenant_context(a):
        Event.objects.filter(pk=draft.pk).update(starts_at=now + timedelta(days=3))
        for title, days in ended_days_ago.items():
            Event.objects.filter(pk=meetings[title].pk).update(
                starts_at=now - timedelta(days=days, hours=3), ends_at=now - timedelta(days=days)
            )
        after_services.minutes_save(
            association=a, actor=admin, event=meetings["理事会（已写纪要）"], body="<p>决议如下</p>"
        )

    rows = todo_rows(admin_a.get(office(side_a)))
    slug = a.slug
    assert rows["逾期未缴的账单"] == (2, f"/a/{slug}/office/dues/arrears/")
    assert rows["报名待审核"] == (2, f"/a/{slug}/office/events/{approval.pk}/?status=pending")
    assert rows["7 天内开始、尚未发布"] == (1, f"/a/{slug}/office/events/{draft.pk}/")
    unwritten = meetings["理事会（未写纪要）"]
    assert rows["会议已结束、纪要未写"] == (1, f"/a/{slug}/office/events/{unwritten.pk}/minutes/")
    assert sidebar_badges(admin_a.get(office(side_a, "members/"))) == {"会费": 2, "活动/会务": 4}

    # Two events needing the same thing: the link lists them.
    with tenant_context(a):
        Event.objects.filter(pk=meetings["去年的理事会"].pk).update(
            starts_at=now - timedelta(days=20, hours=3), ends_at=now - timedelta(days=20)
        )
        bump(a.pk, EVENTS_VERSION)  # a write past the services: bump as they do
    rows = todo_rows(admin_a.get(office(side_a)))
    assert rows["会议已结束、纪要未写"] == (2, f"/a/{slug}/office/events/?needs=minutes")
    listed = text(admin_a.get(office(side_a, "events/?needs=minutes")))
    assert "理事会（未写纪要）" in listed and "去年的理事会" in listed
    assert "理事会（已写纪要）" not in listed and "赣商论坛" not in listed


@pytest.mark.django_db
def test_only_what_the_role_may_act_on(
    side_a: Side, admin_a: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = side_a.association
    applications(a, Status.SUBMITTED, 1)
    event = make_event(a, side_a.admin, requires_approval=True)
    register(a, event, make_member_user(a, "黄会员"))
    assert set(todo_rows(admin_a.get(office(side_a)))) == {"待审核", "报名待审核"}

    # A back-office role that may not manage events sees no event items nor their badge.
    staff_perms = ROLE_PERMISSIONS[Role.Kind.STAFF] - {Perm.MANAGE_EVENTS}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.Kind.STAFF, staff_perms)
    clerk = UserFactory(name="会费专员")
    RoleFactory(association=a, user=clerk, kind=Role.Kind.STAFF)
    clerk_client = client_for(clerk)
    assert set(todo_rows(clerk_client.get(office(side_a)))) == {"待审核"}
    assert sidebar_badges(clerk_client.get(office(side_a, "members/"))) == {"入会申请": 1}

    with tenant_context(a):
        member_role = Role.objects.get(user=side_a.member_user)
        assert todo_list(association=a, role=member_role) == []
        assert todo_list(association=a, role=None) == []


@pytest.mark.django_db
def test_the_sidebar_costs_one_query_per_app_whatever_the_numbers_and_none_when_cached(
    side_a: Side, admin_a: Client
) -> None:
    a = side_a.association
    with tenant_context(a):
        role = Role.objects.get(user=side_a.admin)
    applications(a, Status.SUBMITTED, 1)
    with tenant_context(a), CaptureQueriesContext(connection) as counted:
        todo_list(association=a, role=role)
    assert len(counted) == 5  # one per app: members, dues, events, publishing, network

    def queries(path: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert admin_a.get(path).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    queries(office(side_a, "levels/"))  # the session's first request does more
    # The counts are cached (site.todos): a page reads them with none of the five queries.
    cached = queries(office(side_a, "levels/"))
    assert not [sql for sql in cached if "membershipapplication" in sql]
    applications(a, Status.SUBMITTED, 20)
    for i in range(5):
        event = make_event(a, side_a.admin, title=f"活动{i}", requires_approval=True)
        register(a, event, make_member_user(a, f"会员{i}"))  # bumps the registrations
    # Computed again after the writes: five queries more, whatever the numbers; then cached.
    assert len(queries(office(side_a, "levels/"))) == len(cached) + 5
    assert len(queries(office(side_a, "levels/"))) == len(cached)
    # Pages without the sidebar (the member pages) count nothing.
    home = queries(f"/a/{a.slug}/")
    assert not [sql for sql in home if "membershipapplication" in sql]


@pytest.mark.django_db
def test_the_list_is_read_as_the_application_role(side_a: Side, admin_a: Client) -> None:
    applications(side_a.association, Status.SUBMITTED, 2)
    with as_app_role():
        response = admin_a.get(office(side_a))
        assert todo_rows(response)["待审核"][0] == 2
        assert sidebar_badges(response) == {"入会申请": 2}
