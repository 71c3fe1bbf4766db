"""The recycle bin (回收站) of the organisation structure: deleted terms, posts, appointments,
committees (with their members), branches and members' representatives, each with 恢复.
Thin: access the deleted row, call the same restore services as the API."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import act
from shanghui.members.services import representatives
from shanghui.org import recycle_bin
from shanghui.org.services import posts as post_services
from shanghui.org.services import terms as term_services
from shanghui.org.services import units as unit_services
from shanghui.org.views.base import can, go


@login_required
@require_GET
def trash(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Everything deleted that the caller may restore, latest first."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    items = recycle_bin.trash(
        association=request.association,
        structure=has_perm(request.role, Perm.EDIT_SETTINGS),
        people=True,
    )
    return render(request, "org/office/trash.html", {"items": items, **can(request)})


def _restore(request: TenantRequest, name: str, action: Callable[[], object]) -> HttpResponseBase:
    act(request, action, _("已恢复 %(name)s") % {"name": name})
    return go("office_trash", request)


@login_required
@require_POST
def term_restore(request: TenantRequest, association_slug: str, term_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    a = request.association
    term = recycle_bin.access_deleted_term(association=a, term_id=term_id)
    return _restore(
        request,
        term.name,
        lambda: term_services.term_restore(association=a, actor=signed_in_user(request), term=term),
    )


@login_required
@require_POST
def post_restore(request: TenantRequest, association_slug: str, post_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    a = request.association
    post = recycle_bin.access_deleted_post(association=a, post_id=post_id)
    return _restore(
        request,
        post.name,
        lambda: post_services.post_restore(association=a, actor=signed_in_user(request), post=post),
    )


@login_required
@require_POST
def appointment_restore(
    request: TenantRequest, association_slug: str, appointment_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    a = request.association
    item = recycle_bin.access_deleted_appointment(association=a, appointment_id=appointment_id)
    return _restore(
        request,
        f"{item.post.name} {item.person.name}",
        lambda: post_services.appointment_restore(
            association=a, actor=signed_in_user(request), appointment=item
        ),
    )


@login_required
@require_POST
def committee_restore(
    request: TenantRequest, association_slug: str, committee_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    a = request.association
    item = recycle_bin.access_deleted_committee(association=a, committee_id=committee_id)
    return _restore(
        request,
        item.name,
        lambda: unit_services.committee_restore(
            association=a, actor=signed_in_user(request), committee=item
        ),
    )


@login_required
@require_POST
def branch_restore(
    request: TenantRequest, association_slug: str, branch_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    a = request.association
    item = recycle_bin.access_deleted_branch(association=a, branch_id=branch_id)
    return _restore(
        request,
        item.name,
        lambda: unit_services.branch_restore(
            association=a, actor=signed_in_user(request), branch=item
        ),
    )


@login_required
@require_POST
def representative_restore(
    request: TenantRequest, association_slug: str, representative_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    a = request.association
    item = representatives.access_removed_representative(
        association=a, representative_id=representative_id
    )
    return _restore(
        request,
        f"{item.member.name} {item.person.name}",
        lambda: representatives.representative_restore(
            association=a, actor=signed_in_user(request), representative=item
        ),
    )
