"""What the org app keeps about a person, for their personal-data export (collected by
``accounts.personal_data``, which describes the contract): the posts they hold or held, their
committee seats and the branches they lead — through their member records — and what of it
is in the recycle bin."""

from typing import Any

from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.softdelete import deleted_rows
from shanghui.members.models import Person
from shanghui.org.models import Appointment, Branch, CommitteeMembership


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    people = list(Person.objects.filter(association=association, user=user))
    appointments = (
        Appointment.objects.filter(association=association, person__in=people)
        .select_related("term", "post", "member")
        .order_by("starts_on", "id")
    )
    seats = (
        CommitteeMembership.objects.filter(association=association, person__in=people)
        .select_related("committee")
        .order_by("created_at", "id")
    )
    branches = Branch.objects.filter(association=association, leader__in=people).order_by("name")
    return {
        _("任职"): [
            {
                _("届次"): a.term.name,
                _("职务"): a.post.name,
                _("企业"): a.member.name if a.member else "",
                _("任职日期"): a.starts_on,
                _("卸任日期"): a.ends_on,
            }
            for a in appointments
        ],
        _("专业委员会"): [
            {
                _("委员会"): s.committee.name,
                _("职务"): s.get_role_display(),
                _("加入时间"): s.created_at,
            }
            for s in seats
        ],
        _("分会负责人"): [{_("分会"): b.name} for b in branches],
        _("回收站中的记录"): [
            {
                _("类别"): _("任职"),
                _("名称"): f"{a.term.name} {a.post.name}",
                _("删除时间"): a.deleted_at,
            }
            for a in deleted_rows(Appointment, association=association)
            .filter(person__in=people)
            .select_related("term", "post")
        ]
        + [
            {_("类别"): _("专业委员会"), _("名称"): s.committee.name, _("删除时间"): s.deleted_at}
            for s in deleted_rows(CommitteeMembership, association=association)
            .filter(person__in=people)
            .select_related("committee")
        ],
    }


def erase(*, association: Association, user: User) -> None:
    """Inside ``association``'s tenant context, as the account is deleted and before its
    member records are unlinked: the appointments and committee seats kept of the person
    only in the recycle bin are deleted for good, and a deleted branch no longer names them
    as its leader. The association's live structure stays."""
    people = Person.objects.filter(association=association, user=user)
    deleted_rows(Appointment, association=association).filter(person__in=people).delete()
    deleted_rows(CommitteeMembership, association=association).filter(person__in=people).delete()
    deleted_rows(Branch, association=association).filter(leader__in=people).update(leader=None)
