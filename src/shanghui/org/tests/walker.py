"""Teaches the isolation walker this module's objects of association B: one of each kind, named
so that only B's pages could show them, and a deleted committee in B's recycle bin. The
restore routes name the same parameters (``committee_id`` …), filled with B's objects."""

from datetime import date

from shanghui.core.tenancy import tenant_context
from shanghui.org.models import (
    Appointment,
    Branch,
    Committee,
    CommitteeMembership,
    GroupMember,
    Post,
    Term,
)
from shanghui.org.services import units as unit_services
from shanghui.testing.factories import PersonFactory
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    b = side_b.association
    holder = PersonFactory(association=b, name="乙市任职人", phone="13977770001")
    with tenant_context(b):
        term = Term.objects.create(
            association=b, name="乙市第九届理事会", number=9, starts_on=date(2024, 1, 1),
            is_current=True,
        )  # fmt: skip
        post = Post.objects.create(association=b, name="乙市特设职务", sort_order=1)
        appointment = Appointment.objects.create(
            association=b, term=term, post=post, person=holder, member=side_b.member,
            starts_on=date(2024, 1, 1),
        )  # fmt: skip
        committee = Committee.objects.create(association=b, name="乙市外联委员会")
        membership = CommitteeMembership.objects.create(
            association=b, committee=committee, person=holder, role="chair"
        )
        branch = Branch.objects.create(association=b, name="乙市南山分会", leader=holder)
        group = GroupMember.objects.create(association=b, name="乙市团体会员单位")
        # In B's recycle bin: no page or answer of A's may show it, nor restore it.
        gone = Committee.objects.create(association=b, name="乙市已删除委员会")
        unit_services.committee_delete(association=b, actor=side_b.admin, committee=gone)
    values = {
        "term_id": str(term.pk),
        "post_id": str(post.pk),
        "appointment_id": str(appointment.pk),
        "committee_id": str(committee.pk),
        "membership_id": str(membership.pk),
        "branch_id": str(branch.pk),
        "group_member_id": str(group.pk),
    }
    markers = [
        "乙市第九届理事会",
        "乙市特设职务",
        "乙市任职人",
        "13977770001",
        "乙市外联委员会",
        "乙市南山分会",
        "乙市团体会员单位",
        "乙市已删除委员会",
    ]
    return values, markers
