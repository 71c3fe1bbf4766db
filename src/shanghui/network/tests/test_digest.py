"""The weekly digest (part S): one notification per person for new listings in their
enterprise's industry, their own listings left out, and nothing twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from shanghui.core.models import InboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.network.digest import weekly_digest_send
from shanghui.network.messages import DIGEST
from shanghui.network.models import ListingKind
from shanghui.network.tests.s_helpers import join, post
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db


def _industry(side: Side, code: str) -> None:
    with tenant_context(side.association):
        side.member.industry_code = code
        side.member.save(update_fields=["industry_code"])


def test_one_message_per_person_for_their_industry_and_never_twice(
    side_a: Side, side_b: Side
) -> None:
    join(side_a.association)
    join(side_b.association)
    _industry(side_a, "31")
    post(side_b, "供应螺纹钢", industry="31")
    post(side_b, "采购钢坯", kind=ListingKind.NEED, industry="31")
    post(side_b, "出租仓库", industry="59")
    post(side_a, "甲市自己的钢材", industry="31")  # A's member's own: not told of it
    post(side_b, "上月的钢材", industry="31", published_ago=timedelta(days=20))
    with tenant_context(side_a.association):
        result = weekly_digest_send(association=side_a.association)
    assert (result.listings, result.people) == (4, 1)  # last month's is older than a week
    with tenant_context(side_a.association):
        rows = list(InboxMessage.objects.filter(user=side_a.member_user, kind=DIGEST))
    assert len(rows) == 1
    assert "2 条" in rows[0].text
    assert "供应螺纹钢" in rows[0].text and "仓库" not in rows[0].text
    assert "自己的" not in rows[0].text
    assert rows[0].link.endswith("/network/")
    with tenant_context(side_a.association):
        again = weekly_digest_send(association=side_a.association, now=timezone.now())
    assert again.people == 0


def test_the_command_runs_for_every_association(side_a: Side, side_b: Side) -> None:
    call_command("network_weekly_digest")
