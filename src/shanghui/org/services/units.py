"""The association's units: specialised committees (专业委员会) and their members, branches
(分会), group members (团体会员), and — on the child's side — the consent to share its figures
with a parent association."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.regions import is_valid_region
from shanghui.core.softdelete import restore, snapshot, soft_delete
from shanghui.core.uscc import validate_uscc
from shanghui.members.models import Person
from shanghui.members.selectors import COMMITTEES_VERSION
from shanghui.org.models import (
    Branch,
    Committee,
    CommitteeMembership,
    FigureSharingConsent,
    GroupMember,
)
from shanghui.org.services.validation import (
    Errors,
    pk_of,
    unique_save,
)

# --- Committees (专业委员会) -----------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeInput:
    name: str
    description: str = ""
    sort_order: int = 0


def _clean_committee(
    association: Association, data: CommitteeInput, committee: Committee | None
) -> CommitteeInput:
    errors = Errors()
    name = errors.text("name", data.name, label=_("名称"), max_length=60, required=True)
    description = errors.text(
        "description", data.description, label=_("简介"), max_length=2000, required=False
    )
    errors.small("sort_order", data.sort_order, label=_("排序"))
    others = Committee.objects.filter(association=association).exclude(pk=pk_of(committee))
    if name and others.filter(name=name).exists():
        errors.add("name", _("已有名为“%(name)s”的委员会") % {"name": name})
    errors.raise_if_any()
    return CommitteeInput(name, description, data.sort_order)


@transaction.atomic
def committee_create(
    *, association: Association, actor: User | None, data: CommitteeInput
) -> Committee:
    clean = _clean_committee(association, data, None)
    committee = unique_save(
        lambda: Committee.objects.create(association=association, **clean.__dict__),
        "name",
        _("已有同名的委员会"),
    )
    bump(association.pk, COMMITTEES_VERSION)
    audit(
        actor=actor,
        action="org.committee.create",
        association=association,
        target=committee,
        summary=committee.name,
    )
    return committee


@transaction.atomic
def committee_update(
    *, association: Association, actor: User | None, committee: Committee, data: CommitteeInput
) -> Committee:
    clean = _clean_committee(association, data, committee)
    for field, value in clean.__dict__.items():
        setattr(committee, field, value)
    unique_save(
        lambda: committee.save(update_fields=list(clean.__dict__)), "name", _("已有同名的委员会")
    )
    bump(association.pk, COMMITTEES_VERSION)
    audit(
        actor=actor,
        action="org.committee.update",
        association=association,
        target=committee,
        summary=committee.name,
    )
    return committee


@transaction.atomic
def committee_delete(*, association: Association, actor: User | None, committee: Committee) -> None:
    """Moves a committee with its list of members to the recycle bin (``committee_restore``
    brings both back); the audit record keeps the committee and every member."""
    bump(association.pk, COMMITTEES_VERSION)
    memberships = list(
        CommitteeMembership.objects.filter(association=association, committee=committee)
        .select_related("person")
        .order_by("id")
    )
    soft_delete(
        association=association,
        actor=actor,
        obj=committee,
        action="org.committee.delete",
        summary=committee.name,
        data={
            "memberships": [
                snapshot(m, person_name=m.person.name, role_label=m.get_role_display())
                for m in memberships
            ]
        },
        with_rows=memberships,
    )


@transaction.atomic
def committee_restore(
    *, association: Association, actor: User | None, committee: Committee
) -> Committee:
    """Brings a deleted committee back with the members it had when it was deleted. Refused
    while another committee has its name."""
    bump(association.pk, COMMITTEES_VERSION)
    return restore(
        association=association,
        actor=actor,
        obj=committee,
        action="org.committee.restore",
        summary=committee.name,
        conflict=_("已有名为“%(name)s”的委员会，不能恢复；请先将其改名") % {"name": committee.name},
        with_models=[CommitteeMembership],
        with_filter={"committee": committee},
    )


def _clean_role(role: str, committee: Committee, membership: CommitteeMembership | None) -> None:
    if role not in CommitteeMembership.Role.values:
        raise ValidationError({"role": _("请选择主任、副主任或委员")})
    if role == CommitteeMembership.Role.CHAIR:
        chair = (
            CommitteeMembership.objects.filter(
                association_id=committee.association_id, committee=committee, role=role
            )
            .exclude(pk=pk_of(membership))
            .select_related("person")
            .first()
        )
        if chair is not None:
            raise ValidationError(
                {
                    "role": _("%(committee)s已有主任%(name)s，请先将其改为副主任或委员")
                    % {"committee": committee.name, "name": chair.person.name}
                }
            )


@transaction.atomic
def committee_member_add(
    *,
    association: Association,
    actor: User | None,
    committee: Committee,
    person: Person,
    role: str,
) -> CommitteeMembership:
    """Puts a person on a committee as its chair (one per committee), a vice-chair or a
    member (once per person and committee)."""
    _clean_role(role, committee, None)
    if CommitteeMembership.objects.filter(
        association=association, committee=committee, person=person
    ).exists():
        raise ValidationError({"person": _("%(name)s已在该委员会") % {"name": person.name}})
    membership = unique_save(
        lambda: CommitteeMembership.objects.create(
            association=association, committee=committee, person=person, role=role
        ),
        "person",
        _("此人已在该委员会，或该委员会已有主任"),
    )
    audit(
        actor=actor,
        action="org.committee_member.add",
        association=association,
        target=membership,
        summary=f"{committee.name} {person.name}",
    )
    return membership


@transaction.atomic
def committee_member_update(
    *,
    association: Association,
    actor: User | None,
    membership: CommitteeMembership,
    role: str,
) -> CommitteeMembership:
    _clean_role(role, membership.committee, membership)
    membership.role = role
    unique_save(lambda: membership.save(update_fields=["role"]), "role", _("该委员会已有主任"))
    audit(
        actor=actor,
        action="org.committee_member.update",
        association=association,
        target=membership,
        summary=f"{membership.committee.name} {membership.person.name}",
    )
    return membership


@transaction.atomic
def committee_member_remove(
    *, association: Association, actor: User | None, membership: CommitteeMembership
) -> None:
    audit(
        actor=actor,
        action="org.committee_member.remove",
        association=association,
        target=membership,
        summary=f"{membership.committee.name} {membership.person.name}",
        data={
            "snapshot": snapshot(
                membership,
                committee_name=membership.committee.name,
                person_name=membership.person.name,
                role_label=membership.get_role_display(),
            )
        },
    )
    membership.delete()


# --- Branches (分会) -------------------------------------------------------------------------


@dataclass(frozen=True)
class BranchInput:
    name: str
    region_code: str = ""
    leader: Person | None = None


def _clean_branch(association: Association, data: BranchInput, branch: Branch | None) -> str:
    errors = Errors()
    name = errors.text("name", data.name, label=_("名称"), max_length=60, required=True)
    if data.region_code and not is_valid_region(data.region_code):
        errors.add("region_code", _("请选择有效的地区"))
    others = Branch.objects.filter(association=association).exclude(pk=pk_of(branch))
    if name and others.filter(name=name).exists():
        errors.add("name", _("已有名为“%(name)s”的分会") % {"name": name})
    errors.raise_if_any()
    return name


@transaction.atomic
def branch_create(*, association: Association, actor: User | None, data: BranchInput) -> Branch:
    name = _clean_branch(association, data, None)
    branch = unique_save(
        lambda: Branch.objects.create(
            association=association, name=name, region_code=data.region_code, leader=data.leader
        ),
        "name",
        _("已有同名的分会"),
    )
    audit(
        actor=actor,
        action="org.branch.create",
        association=association,
        target=branch,
        summary=branch.name,
    )
    return branch


@transaction.atomic
def branch_update(
    *, association: Association, actor: User | None, branch: Branch, data: BranchInput
) -> Branch:
    branch.name = _clean_branch(association, data, branch)
    branch.region_code, branch.leader = data.region_code, data.leader
    unique_save(
        lambda: branch.save(update_fields=["name", "region_code", "leader"]),
        "name",
        _("已有同名的分会"),
    )
    audit(
        actor=actor,
        action="org.branch.update",
        association=association,
        target=branch,
        summary=branch.name,
    )
    return branch


@transaction.atomic
def branch_delete(*, association: Association, actor: User | None, branch: Branch) -> None:
    """Moves a branch to the recycle bin (``branch_restore``)."""
    soft_delete(
        association=association,
        actor=actor,
        obj=branch,
        action="org.branch.delete",
        summary=branch.name,
        data={"leader_name": branch.leader.name if branch.leader else ""},
    )


@transaction.atomic
def branch_restore(*, association: Association, actor: User | None, branch: Branch) -> Branch:
    """Brings a deleted branch back. Refused while another branch has its name."""
    return restore(
        association=association,
        actor=actor,
        obj=branch,
        action="org.branch.restore",
        summary=branch.name,
        conflict=_("已有名为“%(name)s”的分会，不能恢复；请先将其改名") % {"name": branch.name},
    )


# --- Group members (团体会员) ----------------------------------------------------------------


@dataclass(frozen=True)
class GroupMemberInput:
    name: str
    linked_association: Association | None = None
    uscc: str = ""
    region_code: str = ""
    joined_on: date | None = None


def _clean_group_member(
    association: Association, data: GroupMemberInput, group: GroupMember | None
) -> GroupMemberInput:
    errors = Errors()
    linked = data.linked_association
    name = (data.name or "").strip() or (linked.name if linked else "")
    name = errors.text("name", name, label=_("名称"), max_length=100, required=True)
    uscc = ""
    if data.uscc.strip():
        try:
            uscc = validate_uscc(data.uscc)
        except ValidationError as exc:
            errors.fields.setdefault("uscc", []).extend(exc.messages)
    elif linked is not None:
        uscc = linked.uscc
    if data.region_code and not is_valid_region(data.region_code):
        errors.add("region_code", _("请选择有效的地区"))
    errors.day("joined_on", data.joined_on, label=_("加入日期"))
    others = GroupMember.objects.filter(association=association).exclude(pk=pk_of(group))
    if linked is not None:
        if linked.pk == association.pk:
            errors.add("linked_association", _("不能把本会加为自己的团体会员"))
        elif linked.status not in {Association.Status.ACTIVE, Association.Status.SUSPENDED}:
            errors.add("linked_association", _("未找到该商协会"))
        elif others.filter(linked_association=linked).exists():
            errors.add("linked_association", _("%(name)s已是团体会员") % {"name": linked.name})
    if name and others.filter(name=name).exists():
        errors.add("name", _("已有名为“%(name)s”的团体会员") % {"name": name})
    errors.raise_if_any()
    region = data.region_code or (linked.region_code if linked else "")
    return GroupMemberInput(name, linked, uscc, region, data.joined_on)


@transaction.atomic
def group_member_create(
    *, association: Association, actor: User | None, data: GroupMemberInput
) -> GroupMember:
    """Adds a group-member unit: an association on the platform (linked; its name, credit
    code and region are taken from it unless given) or an outside organisation. Linking shows
    none of the other association's figures until it consents (``sharing_consent_set``)."""
    clean = _clean_group_member(association, data, None)
    group = unique_save(
        lambda: GroupMember.objects.create(association=association, **clean.__dict__),
        "name",
        _("该团体会员已存在"),
    )
    audit(
        actor=actor,
        action="org.group_member.create",
        association=association,
        target=group,
        summary=group.name,
    )
    return group


@transaction.atomic
def group_member_update(
    *, association: Association, actor: User | None, group: GroupMember, data: GroupMemberInput
) -> GroupMember:
    clean = _clean_group_member(association, data, group)
    for field, value in clean.__dict__.items():
        setattr(group, field, value)
    unique_save(
        lambda: group.save(update_fields=list(clean.__dict__)), "name", _("该团体会员已存在")
    )
    audit(
        actor=actor,
        action="org.group_member.update",
        association=association,
        target=group,
        summary=group.name,
    )
    return group


@transaction.atomic
def group_member_delete(
    *, association: Association, actor: User | None, group: GroupMember
) -> None:
    audit(
        actor=actor,
        action="org.group_member.delete",
        association=association,
        target=group,
        summary=group.name,
    )
    group.delete()


# --- The child's consent to share its figures ----------------------------------------------


@transaction.atomic
def sharing_consent_set(
    *,
    association: Association,
    actor: User | None,
    parent: Association,
    shares: bool,
    shares_charity: bool | None = None,
) -> FigureSharingConsent:
    """The child side: ``association`` agrees (or withdraws its agreement) that ``parent`` —
    which lists it as a linked group member — sees its headline figures (``shares``) and,
    a scope of its own, its charity totals (``shares_charity``; ``None`` leaves that scope
    as it was). Only the child's own administrators call this; the consent row lives in the
    child's tenant. Each scope that changes is audit-logged."""
    if parent.pk == association.pk or parent.status != Association.Status.ACTIVE:
        raise ValidationError({"parent": _("请选择平台上的其他商协会")})
    consent, _created = FigureSharingConsent.objects.get_or_create(
        association=association, parent=parent
    )
    charity_before = consent.shares_charity_with_parent
    consent.shares_figures_with_parent = shares
    if shares_charity is not None:
        consent.shares_charity_with_parent = shares_charity
    consent.updated_by = actor
    consent.save(
        update_fields=[
            "shares_figures_with_parent",
            "shares_charity_with_parent",
            "updated_by",
            "updated_at",
        ]
    )
    audit(
        actor=actor,
        action="org.sharing_consent.grant" if shares else "org.sharing_consent.withdraw",
        association=association,
        target=consent,
        summary=parent.name,
    )
    if consent.shares_charity_with_parent != charity_before:
        audit(
            actor=actor,
            action="org.sharing_consent.charity_grant"
            if consent.shares_charity_with_parent
            else "org.sharing_consent.charity_withdraw",
            association=association,
            target=consent,
            summary=parent.name,
        )
    return consent
