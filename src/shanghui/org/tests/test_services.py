from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.org.models import Appointment, CommitteeMembership, Post, Term
from shanghui.org.services import posts as post_services
from shanghui.org.services import terms as term_services
from shanghui.org.services import units as unit_services
from shanghui.org.tests.conftest import Org
from shanghui.testing.factories import PersonFactory
from shanghui.testing.fixtures import Side


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


@pytest.mark.django_db
def test_the_first_term_brings_the_default_posts(org_a: Org) -> None:
    with tenant_context(org_a.side.association):
        names = list(Post.objects.order_by("sort_order").values_list("name", flat=True))
    assert names[:3] == ["名誉会长", "会长", "执行会长"]
    assert "秘书长" in names and names[-1] == "顾问" and len(names) == 12
    assert org_a.posts["理事"].is_council and not org_a.posts["顾问"].is_council
    assert org_a.posts["秘书长"].is_secretariat and not org_a.posts["会长"].is_secretariat


@pytest.mark.django_db
def test_a_second_current_term_is_refused(org_a: Org) -> None:
    a = org_a.side.association
    with tenant_context(a):
        with pytest.raises(ValidationError) as exc:
            term_services.term_create(
                association=a,
                actor=org_a.side.admin,
                data=term_services.TermInput(
                    name="第二届理事会", number=2, starts_on=date(2029, 1, 1), is_current=True
                ),
            )
        assert "第一届理事会”是当届" in messages(exc)
        assert Term.objects.count() == 1
        # A past term for the record is fine.
        term_services.term_create(
            association=a,
            actor=org_a.side.admin,
            data=term_services.TermInput(name="筹备期", number=None, starts_on=date(2023, 1, 1)),
        )
        assert Term.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db
def test_the_database_also_refuses_two_current_terms(org_a: Org) -> None:
    a = org_a.side.association
    with tenant_context(a), pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(
            association=a, name="越权写入", number=7, starts_on=date(2030, 1, 1), is_current=True
        )


@pytest.mark.django_db
def test_change_of_term_ends_appointments_and_carries_over_selected_posts(org_a: Org) -> None:
    a = org_a.side.association
    with tenant_context(a):
        # Someone who already left office in the first term stays as they were.
        left = post_services.appointment_create(
            association=a,
            actor=org_a.side.admin,
            term=org_a.term,
            data=post_services.AppointmentInput(
                post=org_a.posts["副会长"],
                person=PersonFactory(association=a, name="已卸任"),
                ends_on=date(2025, 3, 1),
            ),
        )
        change = term_services.term_change(
            association=a,
            actor=org_a.side.admin,
            data=term_services.TermInput(
                name="第二届理事会", number=None, starts_on=date(2029, 1, 1)
            ),
            carry_over_post_ids=[org_a.posts["秘书长"].pk, org_a.posts["理事"].pk],
        )
        old = Term.objects.get(pk=org_a.term.pk)
        new = change.term
        assert (old.is_current, old.ends_on) == (False, date(2028, 12, 31))
        assert (new.is_current, new.number, new.starts_on) == (True, 2, date(2029, 1, 1))
        assert change.ended == 4 and change.carried_over == 3
        first_term = Appointment.objects.filter(term=old)
        assert set(first_term.values_list("ends_on", flat=True)) == {
            date(2028, 12, 31),
            date(2025, 3, 1),
        }
        assert Appointment.objects.get(pk=left.pk).ends_on == date(2025, 3, 1)
        carried = Appointment.objects.filter(term=new)
        assert sorted(carried.values_list("person__name", flat=True)) == sorted(
            ["邱秘书长", "赖理事", "温理事"]
        )
        assert all(x.starts_on == date(2029, 1, 1) and x.ends_on is None for x in carried)
        entry = AuditEntry.objects.get(action="org.term.change")
        assert entry.data["carried_over"] == 3 and entry.data["ended_appointments"] == 4
        assert "第一届理事会 → 第二届理事会" in entry.summary


@pytest.mark.django_db
def test_change_of_term_without_carry_over_ends_everything(org_a: Org) -> None:
    a = org_a.side.association
    with tenant_context(a):
        change = term_services.term_change(
            association=a,
            actor=org_a.side.admin,
            data=term_services.TermInput(
                name="第二届理事会", number=None, starts_on=date(2029, 1, 1)
            ),
        )
        assert change.carried_over == 0
        assert not Appointment.objects.filter(term=change.term).exists()
        assert not Appointment.objects.filter(ends_on__isnull=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "carry", "expected"),
    [
        ({"starts_on": date(2023, 6, 1)}, [], "须晚于本届的开始日期"),
        ({"name": ""}, [], "请填写名称"),
        ({"number": 1}, [], "第 1 届已存在"),
        ({"starts_on": date(1, 1, 2)}, [], "1900 年至 2100 年"),
        ({}, "foreign", "所选职务不存在"),
    ],
)
def test_a_refused_change_of_term_changes_nothing(
    org_a: Org, side_b: Side, data: dict[str, object], carry: object, expected: str
) -> None:
    a = org_a.side.association
    if carry == "foreign":
        with tenant_context(side_b.association):
            carry = [Post.objects.create(association=side_b.association, name="乙市职务").pk]
    fields = {"name": "第二届理事会", "number": None, "starts_on": date(2029, 1, 1), **data}
    with tenant_context(a):
        with pytest.raises(ValidationError) as exc:
            term_services.term_change(
                association=a,
                actor=org_a.side.admin,
                data=term_services.TermInput(**fields),  # type: ignore[arg-type]
                carry_over_post_ids=carry,  # type: ignore[arg-type]
            )
        assert expected in messages(exc)
        assert list(Term.objects.values_list("name", "is_current", "ends_on")) == [
            ("第一届理事会", True, None)
        ]
        assert not Appointment.objects.exclude(ends_on=None).exists()
        assert not AuditEntry.objects.filter(action="org.term.change").exists()


@pytest.mark.django_db
def test_change_of_term_needs_a_current_term(side_a: Side) -> None:
    with tenant_context(side_a.association), pytest.raises(ValidationError) as exc:
        term_services.term_change(
            association=side_a.association,
            actor=side_a.admin,
            data=term_services.TermInput(name="第二届", number=None, starts_on=date(2029, 1, 1)),
        )
    assert "没有当届" in messages(exc)


@pytest.mark.django_db
def test_appointment_rules(org_a: Org) -> None:
    a = org_a.side.association
    with tenant_context(a):

        def appoint(**kw: object) -> Appointment:
            fields: dict[str, object] = {"post": org_a.posts["会长"], "person": org_a.president}
            return post_services.appointment_create(
                association=a,
                actor=org_a.side.admin,
                term=org_a.term,
                data=post_services.AppointmentInput(**{**fields, **kw}),  # type: ignore[arg-type]
            )

        with pytest.raises(ValidationError, match="钟会长在第一届理事会已任会长"):
            appoint()
        with pytest.raises(ValidationError, match="不能早于第一届理事会的开始日期"):
            appoint(post=org_a.posts["顾问"], starts_on=date(2023, 12, 31))
        with pytest.raises(ValidationError, match="卸任日期不能早于任职日期"):
            appoint(post=org_a.posts["顾问"], ends_on=date(2023, 12, 31))
        assert Appointment.objects.count() == 4
        # The same person may hold a second post (会长 and 理事) in a term.
        assert appoint(post=org_a.posts["理事"]).starts_on == date(2024, 1, 1)


@pytest.mark.django_db
def test_a_committee_has_one_chair(org_a: Org) -> None:
    a = org_a.side.association
    with tenant_context(a):
        with pytest.raises(ValidationError, match="已有主任钟会长"):
            unit_services.committee_member_add(
                association=a,
                actor=org_a.side.admin,
                committee=org_a.committee,
                person=org_a.secretary,
                role="chair",
            )
        with pytest.raises(ValidationError, match="钟会长已在该委员会"):
            unit_services.committee_member_add(
                association=a,
                actor=org_a.side.admin,
                committee=org_a.committee,
                person=org_a.president,
                role="member",
            )
        chair = CommitteeMembership.objects.get(person=org_a.president)
        unit_services.committee_member_update(
            association=a, actor=org_a.side.admin, membership=chair, role="vice_chair"
        )
        unit_services.committee_member_add(
            association=a,
            actor=org_a.side.admin,
            committee=org_a.committee,
            person=org_a.secretary,
            role="chair",
        )
        roles = dict(CommitteeMembership.objects.values_list("person__name", "role"))
    assert roles == {"钟会长": "vice_chair", "邱秘书长": "chair"}


@pytest.mark.django_db
def test_terms_and_posts_with_appointments_are_kept(org_a: Org) -> None:
    a = org_a.side.association
    with tenant_context(a):
        with pytest.raises(ValidationError, match="还有 4 条任职记录"):
            term_services.term_delete(association=a, actor=org_a.side.admin, term=org_a.term)
        with pytest.raises(ValidationError, match="有 2 条任职记录"):
            post_services.post_delete(
                association=a, actor=org_a.side.admin, post=org_a.posts["理事"]
            )
        post_services.post_delete(association=a, actor=org_a.side.admin, post=org_a.posts["顾问"])
        assert Term.objects.exists() and not Post.objects.filter(name="顾问").exists()
        # Adding the defaults again restores only what is missing.
        added = post_services.posts_add_defaults(association=a, actor=org_a.side.admin)
        assert [p.name for p in added] == ["顾问"]
        assert Post.objects.count() == 12


@pytest.mark.django_db
def test_group_member_linking(side_a: Side, side_b: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        with pytest.raises(ValidationError, match="不能把本会加为自己的团体会员"):
            unit_services.group_member_create(
                association=a,
                actor=side_a.admin,
                data=unit_services.GroupMemberInput(name="", linked_association=a),
            )
        linked = unit_services.group_member_create(
            association=a,
            actor=side_a.admin,
            data=unit_services.GroupMemberInput(name="", linked_association=side_b.association),
        )
        assert (linked.name, linked.uscc) == (side_b.association.name, side_b.association.uscc)
        with pytest.raises(ValidationError, match="已是团体会员"):
            unit_services.group_member_create(
                association=a,
                actor=side_a.admin,
                data=unit_services.GroupMemberInput(
                    name="另一名称", linked_association=side_b.association
                ),
            )
        with pytest.raises(ValidationError, match="请填写 18 位统一社会信用代码"):
            unit_services.group_member_create(
                association=a,
                actor=side_a.admin,
                data=unit_services.GroupMemberInput(name="平台外商会", uscc="123"),
            )
        with pytest.raises(ValidationError, match="请选择有效的地区"):
            unit_services.branch_create(
                association=a,
                actor=side_a.admin,
                data=unit_services.BranchInput(name="深圳分会", region_code="999999"),
            )
