"""API of the association's units: committees and their members, branches, group members
(with the figures their linked associations agreed to share), and the child's consent."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Status
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm
from shanghui.associations.models import Association
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS, OkOut
from shanghui.org import selectors
from shanghui.org.api.base import editor, org_router, reader
from shanghui.org.api.schemas import (
    OrgBranchIn,
    OrgBranchOut,
    OrgBranchPatch,
    OrgCommitteeIn,
    OrgCommitteeOut,
    OrgCommitteePatch,
    OrgGroupMemberIn,
    OrgGroupMemberOut,
    OrgGroupMemberPatch,
    OrgMembershipIn,
    OrgMembershipOut,
    OrgMembershipPatch,
    OrgSharingConsentIn,
    OrgSharingConsentOut,
)
from shanghui.org.models import GroupMember
from shanghui.org.services import units as unit_services

# --- Committees and their members -------------------------------------------------------------


@org_router.get("/committees", response={200: list[OrgCommitteeOut], **ERRORS})
@paginate(Pages)
def committee_list(request: HttpRequest, slug: Path[str]) -> object:
    return selectors.committees(association=reader(request))


@org_router.post("/committees", response={201: OrgCommitteeOut, **ERRORS})
def committee_create(
    request: HttpRequest, slug: Path[str], payload: OrgCommitteeIn
) -> Status[object]:
    association = editor(request, Perm.MANAGE_MEMBERS)
    committee = unit_services.committee_create(
        association=association,
        actor=signed_in_user(request),
        data=unit_services.CommitteeInput(**payload.dict()),
    )
    return Status(201, committee)


@org_router.get("/committees/{committee_id}", response={200: OrgCommitteeOut, **ERRORS})
def committee_detail(request: HttpRequest, slug: Path[str], committee_id: int) -> object:
    return selectors.access_committee(association=reader(request), committee_id=committee_id)


@org_router.patch("/committees/{committee_id}", response={200: OrgCommitteeOut, **ERRORS})
def committee_update(
    request: HttpRequest, slug: Path[str], committee_id: int, payload: OrgCommitteePatch
) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    committee = selectors.access_committee(association=association, committee_id=committee_id)
    current = {f: getattr(committee, f) for f in ("name", "description", "sort_order")}
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return unit_services.committee_update(
        association=association,
        actor=signed_in_user(request),
        committee=committee,
        data=unit_services.CommitteeInput(**{**current, **changes}),
    )


@org_router.delete("/committees/{committee_id}", response={200: OkOut, **ERRORS})
def committee_delete(request: HttpRequest, slug: Path[str], committee_id: int) -> object:
    """Deletes a committee with its list of members."""
    association = editor(request, Perm.MANAGE_MEMBERS)
    committee = selectors.access_committee(association=association, committee_id=committee_id)
    unit_services.committee_delete(
        association=association, actor=signed_in_user(request), committee=committee
    )
    return {"ok": True}


@org_router.get(
    "/committees/{committee_id}/memberships", response={200: list[OrgMembershipOut], **ERRORS}
)
@paginate(Pages)
def membership_list(request: HttpRequest, slug: Path[str], committee_id: int) -> object:
    """The committee's chair, vice-chairs and members, in that order."""
    association = reader(request)
    committee = selectors.access_committee(association=association, committee_id=committee_id)
    return selectors.committee_memberships(association=association, committee=committee)


@org_router.post(
    "/committees/{committee_id}/memberships", response={201: OrgMembershipOut, **ERRORS}
)
def membership_create(
    request: HttpRequest, slug: Path[str], committee_id: int, payload: OrgMembershipIn
) -> Status[object]:
    association = editor(request, Perm.MANAGE_MEMBERS)
    committee = selectors.access_committee(association=association, committee_id=committee_id)
    membership = unit_services.committee_member_add(
        association=association,
        actor=signed_in_user(request),
        committee=committee,
        person=selectors.person_ref(association=association, person_id=payload.person_id),
        role=payload.role,
    )
    return Status(201, membership)


@org_router.patch(
    "/committees/{committee_id}/memberships/{membership_id}",
    response={200: OrgMembershipOut, **ERRORS},
)
def membership_update(
    request: HttpRequest,
    slug: Path[str],
    committee_id: int,
    membership_id: int,
    payload: OrgMembershipPatch,
) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    committee = selectors.access_committee(association=association, committee_id=committee_id)
    membership = selectors.access_membership(
        association=association, committee=committee, membership_id=membership_id
    )
    return unit_services.committee_member_update(
        association=association,
        actor=signed_in_user(request),
        membership=membership,
        role=payload.role,
    )


@org_router.delete(
    "/committees/{committee_id}/memberships/{membership_id}", response={200: OkOut, **ERRORS}
)
def membership_delete(
    request: HttpRequest, slug: Path[str], committee_id: int, membership_id: int
) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    committee = selectors.access_committee(association=association, committee_id=committee_id)
    membership = selectors.access_membership(
        association=association, committee=committee, membership_id=membership_id
    )
    unit_services.committee_member_remove(
        association=association, actor=signed_in_user(request), membership=membership
    )
    return {"ok": True}


# --- Branches ---------------------------------------------------------------------------------


def _branch_input(association: Association, data: dict[str, Any]) -> unit_services.BranchInput:
    leader_id = data.get("leader_id")
    return unit_services.BranchInput(
        name=data["name"],
        region_code=data.get("region_code") or "",
        leader=selectors.person_ref(association=association, person_id=leader_id, field="leader_id")
        if leader_id
        else None,
    )


@org_router.get("/branches", response={200: list[OrgBranchOut], **ERRORS})
@paginate(Pages)
def branch_list(request: HttpRequest, slug: Path[str]) -> object:
    return selectors.branches(association=reader(request))


@org_router.post("/branches", response={201: OrgBranchOut, **ERRORS})
def branch_create(request: HttpRequest, slug: Path[str], payload: OrgBranchIn) -> Status[object]:
    association = editor(request, Perm.MANAGE_MEMBERS)
    branch = unit_services.branch_create(
        association=association,
        actor=signed_in_user(request),
        data=_branch_input(association, payload.dict()),
    )
    return Status(201, branch)


@org_router.get("/branches/{branch_id}", response={200: OrgBranchOut, **ERRORS})
def branch_detail(request: HttpRequest, slug: Path[str], branch_id: int) -> object:
    return selectors.access_branch(association=reader(request), branch_id=branch_id)


@org_router.patch("/branches/{branch_id}", response={200: OrgBranchOut, **ERRORS})
def branch_update(
    request: HttpRequest, slug: Path[str], branch_id: int, payload: OrgBranchPatch
) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    branch = selectors.access_branch(association=association, branch_id=branch_id)
    current = {
        "name": branch.name,
        "region_code": branch.region_code,
        "leader_id": branch.leader_id,
    }
    merged = {**current, **payload.dict(exclude_unset=True)}
    if merged["name"] is None:
        merged["name"] = branch.name
    return unit_services.branch_update(
        association=association,
        actor=signed_in_user(request),
        branch=branch,
        data=_branch_input(association, merged),
    )


@org_router.delete("/branches/{branch_id}", response={200: OkOut, **ERRORS})
def branch_delete(request: HttpRequest, slug: Path[str], branch_id: int) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    branch = selectors.access_branch(association=association, branch_id=branch_id)
    unit_services.branch_delete(
        association=association, actor=signed_in_user(request), branch=branch
    )
    return {"ok": True}


# --- Group members ----------------------------------------------------------------------------


class _WithFigures:
    """Group members sliced by the paginator, each page given the figures their linked
    associations consented to share (so only one page's children are visited)."""

    def __init__(self, association: Association, qs: Any) -> None:
        self.association = association
        self.qs = qs

    def __getitem__(self, item: slice) -> list[GroupMember]:
        return _with_figures(self.association, list(self.qs[item]))

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()


def _with_figures(association: Association, groups: list[GroupMember]) -> list[GroupMember]:
    figures = selectors.group_member_figures(association=association, groups=groups)
    for group in groups:
        shared = figures.get(group.pk)
        setattr(group, "member_count", shared.member_count if shared else None)  # noqa: B010
    return groups


def _group_input(data: dict[str, Any]) -> unit_services.GroupMemberInput:
    slug = (data.get("linked_association_slug") or "").strip()
    return unit_services.GroupMemberInput(
        name=data.get("name") or "",
        linked_association=selectors.find_association(text=slug, field="linked_association_slug")
        if slug
        else None,
        uscc=data.get("uscc") or "",
        region_code=data.get("region_code") or "",
        joined_on=data.get("joined_on"),
    )


@org_router.get("/group-members", response={200: list[OrgGroupMemberOut], **ERRORS})
@paginate(Pages)
def group_member_list(request: HttpRequest, slug: Path[str]) -> object:
    """Group-member units. ``member_count`` is a linked association's number of members in
    good standing, shown only where that association consented to share it with this one."""
    association = reader(request)
    return _WithFigures(association, selectors.group_members(association=association))


@org_router.post("/group-members", response={201: OrgGroupMemberOut, **ERRORS})
def group_member_create(
    request: HttpRequest, slug: Path[str], payload: OrgGroupMemberIn
) -> Status[object]:
    association = editor(request, Perm.MANAGE_MEMBERS)
    group = unit_services.group_member_create(
        association=association, actor=signed_in_user(request), data=_group_input(payload.dict())
    )
    return Status(201, _with_figures(association, [group])[0])


@org_router.get("/group-members/{group_member_id}", response={200: OrgGroupMemberOut, **ERRORS})
def group_member_detail(request: HttpRequest, slug: Path[str], group_member_id: int) -> object:
    association = reader(request)
    group = selectors.access_group_member(association=association, group_member_id=group_member_id)
    return _with_figures(association, [group])[0]


@org_router.patch("/group-members/{group_member_id}", response={200: OrgGroupMemberOut, **ERRORS})
def group_member_update(
    request: HttpRequest, slug: Path[str], group_member_id: int, payload: OrgGroupMemberPatch
) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    group = selectors.access_group_member(association=association, group_member_id=group_member_id)
    current = {
        "name": group.name,
        "linked_association_slug": group.linked_association.slug
        if group.linked_association
        else "",
        "uscc": group.uscc,
        "region_code": group.region_code,
        "joined_on": group.joined_on,
    }
    changes = payload.dict(exclude_unset=True)
    merged = {k: (changes[k] if changes.get(k) is not None else v) for k, v in current.items()}
    if "joined_on" in changes:
        merged["joined_on"] = changes["joined_on"]
    group = unit_services.group_member_update(
        association=association,
        actor=signed_in_user(request),
        group=group,
        data=_group_input(merged),
    )
    return _with_figures(association, [group])[0]


@org_router.delete("/group-members/{group_member_id}", response={200: OkOut, **ERRORS})
def group_member_delete(request: HttpRequest, slug: Path[str], group_member_id: int) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    group = selectors.access_group_member(association=association, group_member_id=group_member_id)
    unit_services.group_member_delete(
        association=association, actor=signed_in_user(request), group=group
    )
    return {"ok": True}


# --- The child's consent; the chart -----------------------------------------------------------


def _consent_out(consent: Any) -> dict[str, Any]:
    return {
        "parent_slug": consent.parent.slug,
        "parent_name": consent.parent.name,
        "shares_figures_with_parent": consent.shares_figures_with_parent,
        "shares_charity_with_parent": consent.shares_charity_with_parent,
        "updated_at": consent.updated_at,
    }


@org_router.get("/sharing-consents", response={200: list[OrgSharingConsentOut], **ERRORS})
def sharing_consent_list(request: HttpRequest, slug: Path[str]) -> object:
    """The associations this one (as their group member) agreed — or declined — to show its
    member count and its charity totals to."""
    association = editor(request, Perm.EDIT_SETTINGS)
    return [_consent_out(c) for c in selectors.sharing_consents(association=association)]


@org_router.put("/sharing-consents", response={200: OrgSharingConsentOut, **ERRORS})
def sharing_consent_set(
    request: HttpRequest, slug: Path[str], payload: OrgSharingConsentIn
) -> object:
    """Grants or withdraws this association's consent that ``parent_slug`` sees its member
    count and (``shares_charity_with_parent``, left as it was when omitted) its charity
    totals (administrators of this, the child, association only)."""
    association = editor(request, Perm.EDIT_SETTINGS)
    parent = selectors.find_association(
        text=payload.parent_slug, field="parent_slug", required=True
    )
    assert parent is not None  # required=True: None is never returned
    consent = unit_services.sharing_consent_set(
        association=association,
        actor=signed_in_user(request),
        parent=parent,
        shares=payload.shares_figures_with_parent,
        shares_charity=payload.shares_charity_with_parent,
    )
    return _consent_out(consent)
