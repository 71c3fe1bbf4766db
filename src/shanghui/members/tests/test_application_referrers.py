"""The application form's referrer check (issue 12, item 5): anonymous callers once got member
names and levels for sequential member numbers. A referrer is now a member number and a full
name given together, answered only valid or invalid, and the checks are rate-limited per
client address."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, MembershipApplication
from shanghui.members.services.applications import ReferrerInput, referrers_parse
from shanghui.members.services.policy import level_save, membership_policy_update
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

TOP = "副会长单位"


@pytest.fixture
def policy(side_a: Side) -> Side:
    """One referrer needed, of the top level; side A's member has no level, another member
    is of that level, a third has left."""
    a = side_a.association
    with tenant_context(a):
        top = level_save(association=a, actor=side_a.admin, name=TOP, rank=1, annual_fee=10000)
        membership_policy_update(
            association=a,
            actor=side_a.admin,
            member_no_pattern="{number:06d}",
            required_referrers=1,
            referrer_min_level=top,
        )
    MemberFactory(association=a, name="赣州稀土集团有限公司", member_no="M900001", level=top)
    MemberFactory(association=a, name="已退会贸易有限公司", member_no="M900002", status="withdrawn")
    return side_a


def _form(referrers: str) -> dict[str, str]:
    return {
        "kind": "individual",
        "name": "单国强",
        "applicant_name": "单国强",
        "applicant_phone": "13622224444",
        "referrers": referrers,
        "accept_privacy": "true",
    }


def _api(side: Side, referrers: str, address: str = "198.51.100.1") -> tuple[int, str]:
    response = Client(REMOTE_ADDR=address).post(
        f"/api/v1/associations/{side.association.slug}/member-applications", _form(referrers)
    )
    return response.status_code, response.content.decode()


def _referrer_error(body: str) -> str:
    return " ".join(json.loads(body)["error"]["fields"]["referrers"])


def test_the_form_and_the_api_read_number_and_name_together() -> None:
    assert referrers_parse("M900001 赣州稀土集团有限公司，GDJX-00031  广州 华通 公司\nA1") == [
        ReferrerInput("M900001", "赣州稀土集团有限公司"),
        ReferrerInput("GDJX-00031", "广州 华通 公司"),
        ReferrerInput("A1", ""),
    ]


def test_member_numbers_alone_tell_a_stranger_nothing(policy: Side) -> None:
    """The attack: sequential member numbers, alone or with any name. No answer names a
    member or a level, and every invalid referrer gets the same message."""
    with tenant_context(policy.association):
        members = list(Member.objects.filter(association=policy.association))
        numbers = [m.member_no for m in members]
    secrets = [m.name for m in members] + [TOP]
    messages = set()
    for number in [*numbers, "M999999"]:
        for referrers in (number, f"{number} 某某有限公司"):
            status, body = _api(policy, referrers)
            assert status == 400, (referrers, body)
            assert not any(secret in body for secret in secrets), (referrers, body)
        messages.add(_referrer_error(body).replace(number, "N"))
    assert messages == {"介绍人“N 某某有限公司”无效，请核对会员编号和企业全称"}


def test_a_referrer_is_valid_or_invalid_and_nothing_more(policy: Side) -> None:
    member = policy.member  # in good standing but below the level the policy asks for
    invalid = {
        "below the level": f"{member.member_no} {member.name}",
        "left": "M900002 已退会贸易有限公司",
        "another's name": "M900001 已退会贸易有限公司",
        "unknown": "M999999 赣州稀土集团有限公司",
    }
    answers = {}
    for case, referrers in invalid.items():
        status, body = _api(policy, referrers)
        answers[case] = (status, _referrer_error(body).replace(referrers, "R"))
    assert set(answers.values()) == {(400, "介绍人“R”无效，请核对会员编号和企业全称")}, answers
    # Traditional characters and spacing do not matter; the number may be in lower case.
    status, body = _api(policy, "m900001 贛州稀土集團 有限公司")
    assert status == 201, body


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "referrer_check": "3/60"})
def test_referrer_checks_are_limited_per_address_at_the_page_and_the_api(policy: Side) -> None:
    tries = [_api(policy, f"M90000{n} 某某有限公司", "203.0.113.7")[0] for n in range(3)]
    assert tries == [400, 400, 400]
    status, body = _api(policy, "M900001 赣州稀土集团有限公司", "203.0.113.7")
    assert status == 429 and json.loads(body)["error"]["code"] == "rate_limited"
    assert _api(policy, "M900009 某某有限公司", "203.0.113.8")[0] == 400  # another address
    page = reverse("members:member_apply", kwargs={"association_slug": policy.association.slug})
    form = {**_form("M900001 某某有限公司"), "accept_privacy": "on"}
    answers = [Client(REMOTE_ADDR="203.0.113.9").post(page, form) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    shown = answers[0].content.decode()
    assert "无效，请核对会员编号和企业全称" in shown and "赣州稀土" not in shown
    assert "操作太频繁" in answers[-1].content.decode()


def test_a_referrer_without_a_name_is_asked_for_both(policy: Side) -> None:
    status, body = _api(policy, policy.member.member_no)
    assert status == 400
    assert re.search("请同时填写会员编号和企业全称", _referrer_error(body))
    assert policy.member.name not in body


def test_the_referrer_is_recorded_with_the_application(policy: Side) -> None:
    status, body = _api(policy, "M900001 赣州稀土集团有限公司")
    assert status == 201, body
    with tenant_context(policy.association):
        member = Member.objects.get(association=policy.association, member_no="M900001")
        application = MembershipApplication.objects.get(association=policy.association)
        assert [r.member_id for r in application.referrers.all()] == [member.pk]
