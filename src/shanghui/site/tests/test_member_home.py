"""The member home (/a/<slug>/) shows what matters today, from each app's panel
(``core.contributions.MEMBER_HOME``): the next events the member can join, dues due, the
latest news — and a visitor without a role there gets the public site instead of the sign-in
page. Its statement budget is pinned: every panel is paid for on every visit."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from shanghui.core.contributions import MEMBER_HOME, HomePanel, member_home_panels
from shanghui.dues.tests.helpers import make_bill
from shanghui.events.tests.factories import make_event
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side, client_for

pytestmark = pytest.mark.django_db

# PostgreSQL adds the tenant scope's savepoint, its setting, its reset and release (4), and
# the person setting the inbox badge is counted in and its reset (2: ``SET LOCAL`` takes a
# statement of its own, where ``set_config`` once shared the count's).
TENANT_SCOPE = {"postgresql": 6, "sqlite": 0}


def home(client: Client, side: Side) -> str:
    response = client.get(f"/a/{side.association.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_shows_the_next_events_and_the_dues_due(side_a: Side, member_a: Client) -> None:
    page = home(member_a, side_a)
    assert "近期活动" not in page and "待缴会费" not in page  # nothing today: no empty panels
    make_event(side_a.association, side_a.admin, title="秋季商务考察")
    make_event(side_a.association, side_a.admin, title="草稿里的活动", publish=False)
    make_bill(side_a.association, side_a.member, amount="3000", due_on=date.today() + timedelta(30))
    page = home(member_a, side_a)
    assert "近期活动" in page and "秋季商务考察" in page
    assert "草稿里的活动" not in page
    assert "待缴会费" in page and "3000" in page and side_a.member.name in page


def test_an_event_closed_for_registration_is_not_offered(side_a: Side, member_a: Client) -> None:
    make_event(
        side_a.association,
        side_a.admin,
        title="报名已截止的活动",
        registration_closes_at=timezone.now() - timedelta(hours=1),
    )
    assert "报名已截止的活动" not in home(member_a, side_a)


def test_another_members_bill_is_not_mine(side_a: Side, side_b: Side, member_a: Client) -> None:
    from shanghui.testing.factories import MemberFactory

    other = MemberFactory(association=side_a.association, name="别家有限公司")
    make_bill(side_a.association, other, amount="8888")
    page = home(member_a, side_a)
    assert "8888" not in page and "别家有限公司" not in page


def test_a_visitor_gets_the_public_site_not_the_sign_in_page(side_a: Side, side_b: Side) -> None:
    anonymous = Client().get(f"/a/{side_a.association.slug}/")
    assert anonymous.status_code == 200
    assert "申请入会" in anonymous.content.decode()
    assert "我代表的会员" not in anonymous.content.decode()
    # Signed in, but a member of another association only: the same public site.
    stranger = client_for(side_b.member_user).get(f"/a/{side_a.association.slug}/")
    assert stranger.status_code == 200 and "我代表的会员" not in stranger.content.decode()


def test_a_panel_returning_none_is_left_out(rf: object, side_a: Side) -> None:
    panel = HomePanel(
        key="test-none", title="从不显示", template="x.html", context=lambda request: None
    )
    MEMBER_HOME.register(panel)
    try:

        class Request:
            role = None
            association = side_a.association

        assert all(shown.panel.key != "test-none" for shown in member_home_panels(Request()))
    finally:
        MEMBER_HOME._entries.remove(panel)


def test_the_home_lists_the_notices_waiting_for_the_member_reply_first(
    side_a: Side, member_a: Client
) -> None:
    from shanghui.publishing.tests.announcement_factories import sent

    page = home(member_a, side_a)
    assert "待读通知" not in page  # nothing waits: no panel
    sent(side_a.association, side_a.admin, title="春节放假通知", reply=False)
    sent(side_a.association, side_a.admin, title="年会参会回执")
    page = home(member_a, side_a)
    assert "待读通知" in page and "需回执" in page
    assert page.index("年会参会回执") < page.index("春节放假通知")
    # Read, the notice without a 回执 leaves the home; the one still owing a reply stays.
    notices = [a for a in page.split('href="') if "/notices/" in a]
    assert notices, page
    for href in notices:
        member_a.get(href.split('"', 1)[0])
    page = home(member_a, side_a)
    assert "春节放假通知" not in page and "年会参会回执" in page


def test_the_home_costs_a_fixed_number_of_statements(
    side_a: Side, member_a: Client, django_assert_max_num_queries: object
) -> None:
    for n in range(8):
        make_event(side_a.association, side_a.admin, title=f"活动{n}")
        make_bill(side_a.association, side_a.member, year=2020 + n)
    home(member_a, side_a)  # warms the per-process caches
    # 17 on 2026-12-06: session, user, association, role, the people and their members, the
    # notices panel (1), the events panel (4), the dues panel (1), the news panel (4), the
    # inbox badge (1). PostgreSQL adds the statements of TENANT_SCOPE: 22 there.
    with django_assert_max_num_queries(17 + TENANT_SCOPE[connection.vendor]):  # type: ignore[operator]
        page = home(member_a, side_a)
    assert page.count("活动") >= 3


def test_a_user_with_no_person_here_sees_an_empty_home(side_a: Side) -> None:
    from shanghui.accounts.models import Role
    from shanghui.testing.factories import RoleFactory

    user = UserFactory(name="新会员")
    RoleFactory(association=side_a.association, user=user, kind=Role.Kind.MEMBER)
    make_bill(side_a.association, side_a.member, amount="4321")
    page = home(client_for(user), side_a)
    assert "4321" not in page and "还没有关联会员资料" in page
