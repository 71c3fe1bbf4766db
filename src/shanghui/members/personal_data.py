"""What the members app keeps about a person, for their personal-data export (collected by
``accounts.personal_data``, which describes the contract): their member records, the
enterprises they act for (and those removed, while in the recycle bin), and the applications
to join filed under their phone number; and, as their account is deleted, their member
records unlinked from it."""

from typing import Any

from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.softdelete import deleted_rows
from shanghui.members.models import MembershipApplication, Person, Representative
from shanghui.members.services.pictures import own_photos_remove


def association_ids(user: User) -> set[int]:
    """Inside the person's ``person_context``: where they have a member record."""
    return set(Person.objects.filter(user=user).values_list("association_id", flat=True).distinct())


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    people = list(Person.objects.filter(association=association, user=user))
    representations = Representative.objects.filter(
        association=association, person__in=people
    ).select_related("member")
    applications = (
        MembershipApplication.objects.filter(association=association, applicant_phone=user.phone)
        if user.phone
        else MembershipApplication.objects.none()
    )
    return {
        _("会员资料"): [
            {
                _("姓名"): p.name,
                _("手机号"): p.phone,
                _("邮箱"): p.email,
                _("籍贯"): p.hometown_code,
                _("公开手机号"): p.show_phone,
            }
            for p in people
        ],
        _("代表的企业"): [{_("企业"): r.member.name, _("职务"): r.title} for r in representations],
        _("入会申请"): [
            {
                _("名称"): a.name,
                _("申请人姓名"): a.applicant_name,
                _("申请人手机号"): a.applicant_phone,
                _("申请人职务"): a.applicant_title,
                _("状态"): a.get_status_display(),
                _("审核意见"): a.decision_reason,
                _("提交时间"): a.created_at,
            }
            for a in applications.order_by("created_at", "id")
        ],
        _("回收站中的记录"): [
            {
                _("类别"): r.get_kind_display(),
                _("名称"): f"{r.member.name} {r.title}".strip(),
                _("删除时间"): r.deleted_at,
            }
            for r in deleted_rows(Representative, association=association)
            .filter(person__in=people)
            .select_related("member")
        ],
    }


def erase(*, association: Association, user: User) -> None:
    """Inside ``association``'s tenant context, as the account is deleted and before its
    member records are unlinked: the representations the secretariat removed — kept only in
    the recycle bin — are deleted for good. The association's live register stays."""
    people = Person.objects.filter(association=association, user=user)
    deleted_rows(Representative, association=association).filter(person__in=people).delete()


def unlink(*, association: Association, user: User) -> None:
    """Inside ``association``'s tenant context, as the account is deleted (after ``erase``):
    the photos the person set themself on their member records are removed — those the
    secretariat set stay — and the records are unlinked from the account. The association
    keeps the records: its register of members is its own, not the person's account."""
    own_photos_remove(association=association, user=user)
    Person.objects.filter(association=association, user=user).update(user=None)
