"""The sidebar's to-do counts are cached per association (``site.todos``) and follow every
write of the services at once: a registration approved, an application filed, a bill paid,
an event cancelled, minutes written — in the association written to, and only there. And a
back-office page keeps to a statement budget with the counts cached."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from shanghui.core.cache_versions import bump
from shanghui.core.tenancy import tenant_context
from shanghui.dues.services import payments as payment_services
from shanghui.dues.tests.helpers import days_ago, make_bill
from shanghui.events.models import Event
from shanghui.events.services import after as after_services
from shanghui.events.services import events as event_services
from shanghui.events.services import registration as registration_services
from shanghui.events.tests.factories import make_event, make_member_user, register
from shanghui.events.todos import EVENTS_VERSION
from shanghui.members.models import MembershipApplication
from shanghui.members.services import applications
from shanghui.members.tests.test_applications import application, licence
from shanghui.members.todos import APPLICATIONS_VERSION
from shanghui.testing.fixtures import Side, client_for


def badges(client: Client, side: Side) -> dict[str, int]:
    """The sidebar's entries that carry a badge, on the member list: label → count."""
    response = client.get(f"/a/{side.association.slug}/office/members/")
    assert response.status_code == 200
    html = response.content.decode()
    nav = html.split('class="office__nav"', 1)[1].split("</nav>", 1)[0]
    return {
        label.strip(): int(count)
        for label, count in re.findall(r'>([^<>]+) <span class="nav-badge"[^>]*>(\d+)<', nav)
    }


def file_application_directly(side: Side, n: int) -> None:
    """Applications written past the services: no version is bumped."""
    a = side.association
    with tenant_context(a):
        for i in range(n):
            MembershipApplication.objects.create(
                association=a,
                kind="enterprise",
                name=f"直接写入企业{i}有限公司",
                applicant_name="申请人",
                applicant_phone=f"1391111{i:04d}",
                status=MembershipApplication.Status.SUBMITTED,
            )


@pytest.mark.django_db
def test_a_badge_follows_each_write_at_once(side_a: Side, admin_a: Client) -> None:
    a, admin = side_a.association, side_a.admin
    event = make_event(a, admin, requires_approval=True)
    first = register(a, event, make_member_user(a, "黄会员"))
    register(a, event, make_member_user(a, "蓝会员"))
    bill = make_bill(a, side_a.member, due_on=days_ago(10))
    assert badges(admin_a, side_a) == {"活动/会务": 2, "会费": 1}
    assert badges(admin_a, side_a) == {"活动/会务": 2, "会费": 1}  # now from the cache

    with tenant_context(a):
        registration_services.registration_approve(association=a, actor=admin, registration=first)
    assert badges(admin_a, side_a) == {"活动/会务": 1, "会费": 1}

    register(a, event, make_member_user(a, "紫会员"))  # a new pending registration
    assert badges(admin_a, side_a) == {"活动/会务": 2, "会费": 1}

    with tenant_context(a):
        applications.application_submit(association=a, data=application(), licence=licence())
    assert badges(admin_a, side_a) == {"入会申请": 1, "活动/会务": 2, "会费": 1}

    with tenant_context(a):
        payment_services.payment_record(
            association=a,
            actor=admin,
            bill=bill,
            amount="5000",
            method="bank_transfer",
            paid_on=timezone.localdate(),
        )
    assert badges(admin_a, side_a) == {"入会申请": 1, "活动/会务": 2}

    with tenant_context(a):
        event_services.event_cancel(association=a, actor=admin, event=event, reason="场地变更")
    assert badges(admin_a, side_a) == {"入会申请": 1}


@pytest.mark.django_db
def test_written_minutes_and_a_published_draft_leave_the_list(
    side_a: Side, admin_a: Client
) -> None:
    a, admin = side_a.association, side_a.admin
    now = timezone.now()
    draft = make_event(
        a,
        admin,
        publish=False,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=3),
    )
    council = make_event(a, admin, title="理事会", kind=Event.Kind.COUNCIL)
    with tenant_context(a):
        # Held last week: moved past the services, so bumped by hand as they would.
        Event.objects.filter(pk=council.pk).update(
            starts_at=now - timedelta(days=7, hours=3), ends_at=now - timedelta(days=7)
        )
        bump(a.pk, EVENTS_VERSION)
    assert badges(admin_a, side_a) == {"活动/会务": 2}

    with tenant_context(a):
        after_services.minutes_save(association=a, actor=admin, event=council, body="<p>决议</p>")
    assert badges(admin_a, side_a) == {"活动/会务": 1}

    with tenant_context(a):
        event_services.event_publish(association=a, actor=admin, event=draft)
    assert badges(admin_a, side_a) == {}


@pytest.mark.django_db
def test_another_associations_bump_leaves_the_cached_counts_alone(
    side_a: Side, side_b: Side, admin_a: Client
) -> None:
    file_application_directly(side_a, 1)
    assert badges(admin_a, side_a) == {"入会申请": 1}
    file_application_directly(side_a, 2)  # unseen: nothing was bumped, the count is cached
    assert badges(admin_a, side_a) == {"入会申请": 1}

    b = side_b.association
    with tenant_context(b):
        applications.application_submit(association=b, data=application(), licence=licence())
    assert badges(admin_a, side_a) == {"入会申请": 1}
    assert badges(client_for(side_b.admin), side_b) == {"入会申请": 1}

    with tenant_context(side_a.association):
        bump(side_a.association.pk, APPLICATIONS_VERSION)
    assert badges(admin_a, side_a) == {"入会申请": 3}


@pytest.mark.django_db
def test_a_back_office_page_keeps_to_its_statement_budget(
    side_a: Side, admin_a: Client, django_assert_max_num_queries: Any
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, requires_approval=True)
    register(a, event, make_member_user(a, "黄会员"))
    make_bill(a, side_a.member, due_on=days_ago(10))
    file_application_directly(side_a, 1)
    assert badges(admin_a, side_a) == {"入会申请": 1, "活动/会务": 1, "会费": 1}
    # Session, user, association, role, the page's count and rows, its audit entry, the
    # representatives, and the versions read once for both the filter choices and the to-do
    # counts — none of the three to-do queries — and the top bar's unread badge of the
    # person's inbox (one count; on PostgreSQL with the person setting set before it and
    # emptied after it, 2 more). PostgreSQL's tenant scope adds its savepoint and settings (4).
    budget = 10 + (6 if connection.vendor == "postgresql" else 0)
    with django_assert_max_num_queries(budget):
        assert badges(admin_a, side_a) == {"入会申请": 1, "活动/会务": 1, "会费": 1}
