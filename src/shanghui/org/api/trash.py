"""API of the recycle bin (回收站): what was deleted, and restoring it — the same services as
the page. A restore that would collide with a row created since (a committee of that name)
answers 400 with the reason and changes nothing."""

from django.http import HttpRequest
from ninja import Path
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.accounts.tenant_door import current_role
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.org import recycle_bin
from shanghui.org.api.base import editor, org_router
from shanghui.org.api.schemas import (
    OrgAppointmentOut,
    OrgBranchOut,
    OrgCommitteeOut,
    OrgPostOut,
    OrgTermOut,
    OrgTrashItemOut,
)
from shanghui.org.services import posts as post_services
from shanghui.org.services import terms as term_services
from shanghui.org.services import units as unit_services


@org_router.get("/trash", response={200: list[OrgTrashItemOut], **ERRORS})
@paginate(Pages)
def trash_list(request: HttpRequest, slug: Path[str]) -> object:
    """Deleted terms and posts (for whoever edits the settings), appointments, committees
    (with how many members went with them), branches and members' representatives, latest
    first."""
    association = editor(request, Perm.MANAGE_MEMBERS)
    return recycle_bin.trash(
        association=association,
        structure=has_perm(current_role(request), Perm.EDIT_SETTINGS),
        people=True,
    )


@org_router.post("/terms/{term_id}/restore", response={200: OrgTermOut, **ERRORS})
def term_restore(request: HttpRequest, slug: Path[str], term_id: int) -> object:
    association = editor(request, Perm.EDIT_SETTINGS)
    term = recycle_bin.access_deleted_term(association=association, term_id=term_id)
    return term_services.term_restore(
        association=association, actor=signed_in_user(request), term=term
    )


@org_router.post("/posts/{post_id}/restore", response={200: OrgPostOut, **ERRORS})
def post_restore(request: HttpRequest, slug: Path[str], post_id: int) -> object:
    association = editor(request, Perm.EDIT_SETTINGS)
    post = recycle_bin.access_deleted_post(association=association, post_id=post_id)
    return post_services.post_restore(
        association=association, actor=signed_in_user(request), post=post
    )


@org_router.post(
    "/appointments/{appointment_id}/restore", response={200: OrgAppointmentOut, **ERRORS}
)
def appointment_restore(request: HttpRequest, slug: Path[str], appointment_id: int) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    item = recycle_bin.access_deleted_appointment(
        association=association, appointment_id=appointment_id
    )
    return post_services.appointment_restore(
        association=association, actor=signed_in_user(request), appointment=item
    )


@org_router.post("/committees/{committee_id}/restore", response={200: OrgCommitteeOut, **ERRORS})
def committee_restore(request: HttpRequest, slug: Path[str], committee_id: int) -> object:
    """Restores the committee with the members it had when it was deleted."""
    association = editor(request, Perm.MANAGE_MEMBERS)
    item = recycle_bin.access_deleted_committee(association=association, committee_id=committee_id)
    return unit_services.committee_restore(
        association=association, actor=signed_in_user(request), committee=item
    )


@org_router.post("/branches/{branch_id}/restore", response={200: OrgBranchOut, **ERRORS})
def branch_restore(request: HttpRequest, slug: Path[str], branch_id: int) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    item = recycle_bin.access_deleted_branch(association=association, branch_id=branch_id)
    return unit_services.branch_restore(
        association=association, actor=signed_in_user(request), branch=item
    )
