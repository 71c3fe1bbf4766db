"""Back-office pages of the association's units: committees and their members, branches, group
members, and the child's consent to share its figures with a parent association."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import act, submit
from shanghui.org import selectors
from shanghui.org.forms import (
    BranchForm,
    CommitteeForm,
    GroupMemberForm,
    MembershipForm,
    MembershipRoleForm,
    SharingConsentForm,
)
from shanghui.org.models import Branch, GroupMember
from shanghui.org.services import units as unit_services
from shanghui.org.views.base import can, edit_page, go, group_rows, url_for

# --- Committees -------------------------------------------------------------------------------


def _committee_input(data: dict[str, Any]) -> unit_services.CommitteeInput:
    return unit_services.CommitteeInput(
        name=data["name"], description=data["description"], sort_order=data["sort_order"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def committees(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    form = CommitteeForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.role, Perm.MANAGE_MEMBERS)
        if submit(
            request,
            form,
            lambda: unit_services.committee_create(
                association=association,
                actor=signed_in_user(request),
                data=_committee_input(form.cleaned_data),
            ),
            _("已添加委员会"),
        ):
            return go("office_committees", request)
    context = {
        "committees": selectors.committees(association=association, with_members=True),
        "form": form,
        **can(request),
    }
    return render(request, "org/office/committees.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def committee(request: TenantRequest, association_slug: str, committee_id: int) -> HttpResponseBase:
    """A committee: its members (chair, vice-chairs, members) and a form to add one."""
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    item = selectors.access_committee(association=association, committee_id=committee_id)
    form = MembershipForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.role, Perm.MANAGE_MEMBERS)
        if submit(
            request,
            form,
            lambda: unit_services.committee_member_add(
                association=association,
                actor=signed_in_user(request),
                committee=item,
                person=selectors.find_person(
                    association=association, text=form.cleaned_data["person"]
                ),
                role=form.cleaned_data["role"],
            ),
            _("已添加"),
        ):
            return go("office_committee", request, committee_id=item.pk)
    context = {
        "committee": item,
        "memberships": selectors.committee_memberships(association=association, committee=item),
        "form": form,
        "roles": MembershipRoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
        **can(request),
    }
    return render(request, "org/office/committee.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def committee_edit(
    request: TenantRequest, association_slug: str, committee_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    item = selectors.access_committee(association=request.association, committee_id=committee_id)
    initial = {f: getattr(item, f) for f in ("name", "description", "sort_order")}
    form = CommitteeForm(request.POST or None, initial=initial)
    return edit_page(
        request,
        form,
        lambda: unit_services.committee_update(
            association=request.association,
            actor=signed_in_user(request),
            committee=item,
            data=_committee_input(form.cleaned_data),
        ),
        title=_("编辑 %(name)s") % {"name": item.name},
        back=url_for("office_committee", request, committee_id=item.pk),
        delete_url=url_for("office_committee_delete", request, committee_id=item.pk),
        confirm=_("确定删除 %(name)s 及其成员名单吗？") % {"name": item.name},
    )


@login_required
@require_POST
def committee_delete(
    request: TenantRequest, association_slug: str, committee_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    item = selectors.access_committee(association=request.association, committee_id=committee_id)
    act(
        request,
        lambda: unit_services.committee_delete(
            association=request.association, actor=signed_in_user(request), committee=item
        ),
        _("已删除 %(name)s，可在回收站恢复") % {"name": item.name},
    )
    return go("office_committees", request)


@login_required
@require_POST
def membership(
    request: TenantRequest, association_slug: str, committee_id: int, membership_id: int
) -> HttpResponseBase:
    """Changes a committee member's role, or (``remove``) takes them off the committee."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    association = request.association
    item = selectors.access_committee(association=association, committee_id=committee_id)
    target = selectors.access_membership(
        association=association, committee=item, membership_id=membership_id
    )
    if request.POST.get("remove"):
        act(
            request,
            lambda: unit_services.committee_member_remove(
                association=association, actor=signed_in_user(request), membership=target
            ),
            _("已将 %(name)s 移出委员会") % {"name": target.person.name},
        )
        return go("office_committee", request, committee_id=item.pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择主任、副主任或委员"))
    else:
        act(
            request,
            lambda: unit_services.committee_member_update(
                association=association,
                actor=signed_in_user(request),
                membership=target,
                role=form.cleaned_data["role"],
            ),
            _("已保存"),
        )
    return go("office_committee", request, committee_id=item.pk)


# --- Branches ---------------------------------------------------------------------------------


def _branch_input(request: TenantRequest, data: dict[str, Any]) -> unit_services.BranchInput:
    leader = None
    if data["leader"].strip():
        leader = selectors.find_person(
            association=request.association, text=data["leader"], field="leader"
        )
    return unit_services.BranchInput(
        name=data["name"], region_code=data["region_code"], leader=leader
    )


@login_required
@require_http_methods(["GET", "POST"])
def branches(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    form = BranchForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.role, Perm.MANAGE_MEMBERS)
        if submit(
            request,
            form,
            lambda: unit_services.branch_create(
                association=association,
                actor=signed_in_user(request),
                data=_branch_input(request, form.cleaned_data),
            ),
            _("已添加分会"),
        ):
            return go("office_branches", request)
    context = {
        "branches": selectors.branches(association=association),
        "form": form,
        **can(request),
    }
    return render(request, "org/office/branches.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def branch(request: TenantRequest, association_slug: str, branch_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    item: Branch = selectors.access_branch(association=request.association, branch_id=branch_id)
    initial = {
        "name": item.name,
        "region_code": item.region_code,
        "leader": (item.leader.phone or item.leader.name) if item.leader else "",
    }
    form = BranchForm(request.POST or None, initial=initial)
    return edit_page(
        request,
        form,
        lambda: unit_services.branch_update(
            association=request.association,
            actor=signed_in_user(request),
            branch=item,
            data=_branch_input(request, form.cleaned_data),
        ),
        title=_("编辑 %(name)s") % {"name": item.name},
        back=url_for("office_branches", request),
        delete_url=url_for("office_branch_delete", request, branch_id=item.pk),
        confirm=_("确定删除 %(name)s 吗？") % {"name": item.name},
    )


@login_required
@require_POST
def branch_delete(
    request: TenantRequest, association_slug: str, branch_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    item = selectors.access_branch(association=request.association, branch_id=branch_id)
    act(
        request,
        lambda: unit_services.branch_delete(
            association=request.association, actor=signed_in_user(request), branch=item
        ),
        _("已删除 %(name)s，可在回收站恢复") % {"name": item.name},
    )
    return go("office_branches", request)


# --- Group members and the consent to share figures -------------------------------------------


def _group_input(data: dict[str, Any]) -> unit_services.GroupMemberInput:
    return unit_services.GroupMemberInput(
        name=data["name"],
        linked_association=selectors.find_association(
            text=data["linked_association"], field="linked_association"
        ),
        uscc=data["uscc"],
        region_code=data["region_code"],
        joined_on=data["joined_on"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_members(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    form = GroupMemberForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.role, Perm.MANAGE_MEMBERS)
        if submit(
            request,
            form,
            lambda: unit_services.group_member_create(
                association=association,
                actor=signed_in_user(request),
                data=_group_input(form.cleaned_data),
            ),
            _("已添加团体会员"),
        ):
            return go("office_group_members", request)
    groups = list(selectors.group_members(association=association))
    context = {
        "group_rows": group_rows(request, groups),
        "form": form,
        **can(request),
    }
    return render(request, "org/office/group_members.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_member(
    request: TenantRequest, association_slug: str, group_member_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    item: GroupMember = selectors.access_group_member(
        association=request.association, group_member_id=group_member_id
    )
    initial = {
        "name": item.name,
        "linked_association": item.linked_association.slug if item.linked_association else "",
        "uscc": item.uscc,
        "region_code": item.region_code,
        "joined_on": item.joined_on,
    }
    form = GroupMemberForm(request.POST or None, initial=initial)
    return edit_page(
        request,
        form,
        lambda: unit_services.group_member_update(
            association=request.association,
            actor=signed_in_user(request),
            group=item,
            data=_group_input(form.cleaned_data),
        ),
        title=_("编辑 %(name)s") % {"name": item.name},
        back=url_for("office_group_members", request),
        delete_url=url_for("office_group_member_delete", request, group_member_id=item.pk),
        confirm=_("确定删除团体会员 %(name)s 吗？") % {"name": item.name},
    )


@login_required
@require_POST
def group_member_delete(
    request: TenantRequest, association_slug: str, group_member_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    item = selectors.access_group_member(
        association=request.association, group_member_id=group_member_id
    )
    act(
        request,
        lambda: unit_services.group_member_delete(
            association=request.association, actor=signed_in_user(request), group=item
        ),
        _("已删除 %(name)s") % {"name": item.name},
    )
    return go("office_group_members", request)


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """The child side: which parent associations may see this association's member count and,
    a scope of its own, its charity totals."""
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    form = SharingConsentForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.role, Perm.EDIT_SETTINGS)

        def save() -> object:
            data = form.cleaned_data
            parent = selectors.find_association(text=data["parent"], field="parent", required=True)
            assert parent is not None  # required=True: None is never returned
            return unit_services.sharing_consent_set(
                association=association,
                actor=signed_in_user(request),
                parent=parent,
                shares=data["shares"],
                shares_charity=data["shares_charity"],
            )

        if submit(request, form, save, _("已保存")):
            return go("office_sharing", request)
    context = {
        "consents": selectors.sharing_consents(association=association),
        "form": form,
        **can(request),
    }
    return render(request, "org/office/sharing.html", context)
