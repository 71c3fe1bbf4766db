from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, MemberStatusChange, Person
from shanghui.members.services.members import (
    MemberInput,
    RepresentativeInput,
    member_create,
    member_set_status,
)
from shanghui.members.services.policy import (
    level_save,
    member_no_next,
    member_nos_next,
    membership_policy_update,
)
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side


def enterprise(**changes: object) -> MemberInput:
    fields: dict[str, object] = {
        "kind": "enterprise",
        "name": "赣州市于都县富民纺织有限公司",
        "uscc": make_uscc("91", "360731"),
        "industry_code": "17",
        "region_code": "440106",
        "hometown_code": "360731",
        "joined_on": date(2025, 3, 1),
        "representatives": [
            RepresentativeInput(name="曾德明", phone="13688880001", title="董事长")
        ],
        **changes,
    }
    return MemberInput(**fields)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_members_are_numbered_by_the_association_pattern(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        membership_policy_update(
            association=a,
            actor=side_a.admin,
            member_no_pattern="JX{year}-{number:04d}",
            required_referrers=0,
            referrer_min_level=None,
        )
        first = member_create(association=a, actor=side_a.admin, data=enterprise())
        second = member_create(
            association=a,
            actor=side_a.admin,
            data=enterprise(name="南昌市洪都机械有限公司", uscc=make_uscc(), representatives=[]),
        )
    assert (first.member_no, second.member_no) == ("JX2025-0001", "JX2025-0002")


@pytest.mark.django_db
def test_numbering_skips_numbers_already_taken(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        membership_policy_update(
            association=a,
            actor=side_a.admin,
            member_no_pattern="M{number:06d}",
            required_referrers=0,
            referrer_min_level=None,
        )
        # The factory member of side A already holds M000001-style numbers.
        taken = set(Member.objects.values_list("member_no", flat=True))
        member = member_create(association=a, actor=side_a.admin, data=enterprise())
    assert member.member_no not in taken


@pytest.mark.django_db
def test_create_links_representatives_and_records_history(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        member = member_create(association=a, actor=side_a.admin, data=enterprise())
        person = Person.objects.get(phone="13688880001")
        assert member.representatives.get().person == person
        step = MemberStatusChange.objects.get(member=member)
    assert (step.from_status, step.to_status, step.effective_on) == ("", "active", date(2025, 3, 1))
    assert "zdm" in person.search_text  # 曾德明 read as zeng


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("uscc", {"uscc": "914403001922038217"}),
        ("uscc", {"uscc": ""}),
        ("industry_code", {"industry_code": "ZZ"}),
        ("hometown_code", {"hometown_code": "369999"}),
        (
            "representatives.0.phone",
            {"representatives": [RepresentativeInput(name="李", phone="123")]},
        ),
        ("website", {"website": "javascript:alert(1)"}),
        ("joined_on", {"joined_on": date(2999, 1, 1)}),
    ],
)
@pytest.mark.django_db
def test_bad_member_input_changes_nothing(
    side_a: Side, field: str, changes: dict[str, object]
) -> None:
    a = side_a.association
    with tenant_context(a):
        before = Member.objects.count()
        with pytest.raises(ValidationError) as info:
            member_create(association=a, actor=side_a.admin, data=enterprise(**changes))
        assert field in info.value.error_dict
        assert Member.objects.count() == before


@pytest.mark.django_db
def test_the_same_credit_code_cannot_join_twice(side_a: Side, side_b: Side) -> None:
    uscc = side_a.member.uscc
    with tenant_context(side_a.association), pytest.raises(ValidationError, match="已是本会会员"):
        member_create(
            association=side_a.association, actor=side_a.admin, data=enterprise(uscc=uscc)
        )
    # …but it may join another association.
    with tenant_context(side_b.association):
        member_create(
            association=side_b.association, actor=side_b.admin, data=enterprise(uscc=uscc)
        )


@pytest.mark.django_db
def test_status_lifecycle_with_reasons_and_history(side_a: Side) -> None:
    a, member = side_a.association, side_a.member
    with tenant_context(a):
        member_set_status(
            association=a,
            actor=side_a.admin,
            member=member,
            status="arrears",
            reason="2026 年会费未缴",
        )
        with pytest.raises(ValidationError, match="原因"):
            member_set_status(association=a, actor=side_a.admin, member=member, status="withdrawn")
        member_set_status(
            association=a,
            actor=side_a.admin,
            member=member,
            status="expelled",
            reason="严重违反章程",
        )
        with pytest.raises(ValidationError, match="不能改为"):
            member_set_status(association=a, actor=side_a.admin, member=member, status="active")
        steps = list(
            MemberStatusChange.objects.filter(member=member).values_list("to_status", "reason")
        )
    assert steps == [("arrears", "2026 年会费未缴"), ("expelled", "严重违反章程")]


@pytest.mark.django_db
def test_levels_and_policy_validation(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        level = level_save(
            association=a, actor=side_a.admin, name="理事单位", rank=4, annual_fee="5000.5"
        )
        assert str(level.annual_fee) == "5000.50"
        with pytest.raises(ValidationError, match="两位小数"):
            level_save(
                association=a, actor=side_a.admin, name="常务理事", rank=3, annual_fee="5000.005"
            )
        with pytest.raises(ValidationError, match="同名"):
            level_save(association=a, actor=side_a.admin, name="理事单位", rank=3, annual_fee=1)
        with pytest.raises(ValidationError):
            level_save(association=a, actor=side_a.admin, name="x", rank=1, annual_fee="-1")
        for pattern in ("GDJX-", "{number}{name}", "{number:zz}"):
            with pytest.raises(ValidationError):
                membership_policy_update(
                    association=a,
                    actor=side_a.admin,
                    member_no_pattern=pattern,
                    required_referrers=0,
                    referrer_min_level=None,
                )


@pytest.mark.django_db
def test_a_block_of_member_numbers_keeps_order_skips_numbers_in_use_and_uses_join_years(
    side_a: Side,
) -> None:
    from shanghui.members.models import MembershipPolicy
    from shanghui.testing.factories import MemberFactory

    a = side_a.association
    with tenant_context(a):
        MembershipPolicy.objects.create(association=a, member_no_pattern="{year}-{number:03d}")
        MemberFactory(association=a, member_no="2020-002")  # typed in by hand earlier
        numbers = member_nos_next(
            association=a, joined_on=[date(2020, 1, 1), date(2020, 6, 1), date(2021, 1, 1)]
        )
        assert numbers == ["2020-001", "2020-003", "2021-004"]
        assert member_no_next(association=a, joined_on=date(2022, 1, 1)) == "2022-005"
        assert member_nos_next(association=a, joined_on=[]) == []


@pytest.mark.django_db
def test_exports_list_the_representative_before_an_earlier_contact(side_a: Side) -> None:
    from shanghui.members.models import Representative
    from shanghui.members.selectors import first_contacts
    from shanghui.testing.factories import MemberFactory, PersonFactory

    a = side_a.association
    member = MemberFactory(association=a)
    contact = PersonFactory(association=a, name="联络人甲")
    representative = PersonFactory(association=a, name="代表乙")
    with tenant_context(a):
        Representative.objects.create(
            association=a, member=member, person=contact, kind=Representative.Kind.CONTACT
        )
        Representative.objects.create(association=a, member=member, person=representative)
        found = first_contacts(association=a, member_ids=[member.pk, side_a.member.pk])
    assert found[member.pk] == ("代表乙", representative.phone)
    assert found[side_a.member.pk][0] == side_a.person.name


@pytest.mark.django_db
def test_a_former_members_credit_code_says_to_restore_it(side_a: Side, admin_a: Client) -> None:
    """Re-adding a company that left tells the clerk to restore it, not that it is a member."""
    a = side_a.association
    with tenant_context(a):
        Member.objects.filter(pk=side_a.member.pk).update(status=Member.Status.WITHDRAWN)
    response = admin_a.post(
        f"/a/{a.slug}/office/members/new/",
        {"kind": "enterprise", "name": "重新入会有限公司", "uscc": side_a.member.uscc.lower()},
    )
    page = response.content.decode()
    assert f"该统一社会信用代码属于已退会的“{side_a.member.name}”" in page
    assert "已是本会会员" not in page
    with tenant_context(a):
        assert not Member.objects.filter(name="重新入会有限公司").exists()
