from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from shanghui.accounts.models import User
from shanghui.accounts.permissions import Perm, has_perm, require_member, require_perm
from shanghui.api.pagination import Pages
from shanghui.api.schemas import ERRORS
from shanghui.api.tenant import current_association, current_role
from shanghui.core.api import JobOut
from shanghui.core.jobs import job_start
from shanghui.members.presenters import MemberView, member_view
from shanghui.members.selectors import (
    MemberFilters,
    access_member,
    member_search,
    with_representatives,
)
from shanghui.members.tasks import export_members

members_router = Router(tags=["会员"])


class MemberQuery(Schema):
    q: str = ""
    status: str = ""
    kind: str = ""
    industry: str = ""
    hometown: str = ""
    region: str = ""


@members_router.get("/members", response={200: list[MemberView], **ERRORS})
@paginate(Pages)
def member_list(request: HttpRequest, slug: Path[str], filters: Query[MemberQuery]) -> object:
    """The member directory. ``q`` matches names in characters (简/繁, one character and up),
    full pinyin or initials (``gzj`` finds 龚志军), a credit code, or the last digits of a
    representative's phone number. Members see members in good standing with personal fields
    masked; the secretariat sees everyone, unmasked, and may filter by status."""
    role = require_member(current_role(request))
    full_view = has_perm(role, Perm.MANAGE_MEMBERS)
    qs = member_search(
        association=current_association(request),
        filters=MemberFilters(**filters.dict()),
        directory=not full_view,
    )
    return _Presented(with_representatives(qs), role)


class _Presented:
    """A lazily sliced queryset that presents each member for the viewer (pagination slices
    first, so only one page is loaded)."""

    def __init__(self, qs: object, role: object) -> None:
        self.qs = qs
        self.role = role

    def __getitem__(self, item: slice) -> list[object]:
        return [member_view(m, viewer_role=self.role) for m in self.qs[item]]  # type: ignore[index, arg-type]

    def count(self) -> int:
        return self.qs.count()  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return self.count()


# Declared before /members/{member_id} so that "exports" is not read as a member id.
@members_router.post("/members/exports", response={202: JobOut, **ERRORS})
def member_export(request: HttpRequest, slug: Path[str], filters: MemberQuery) -> Status[object]:
    """Start an xlsx export of the filtered member list as a background job; poll the job for
    progress and download the file when it is done (administrators only)."""
    require_perm(current_role(request), Perm.EXPORT_MEMBERS)
    user: User = request.auth  # type: ignore[attr-defined]
    job = job_start(
        association=current_association(request),
        actor=user,
        kind="members.export",
        label="会员名单导出",
        task=export_members,
        filters=filters.dict(),
    )
    return Status(202, job)


@members_router.get("/members/{member_id}", response={200: MemberView, **ERRORS})
def member_detail(request: HttpRequest, slug: Path[str], member_id: int) -> object:
    role = require_member(current_role(request))
    member = access_member(
        association=current_association(request),
        member_id=member_id,
        directory=not has_perm(role, Perm.MANAGE_MEMBERS),
    )
    return member_view(member, viewer_role=role)
