"""The members API: members, their status and history, levels, the membership policy and
representatives (logos and photos are in ``pictures``)."""

from typing import cast

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import (
    Perm,
    has_perm,
    personal_data_unmasked,
    reads_people_audited,
    require_member,
    require_perm,
)
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.api import JobOut
from shanghui.core.apikit.pagination import EachPage, Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.jobs import job_start_once
from shanghui.core.privacy import personal_data_page, personal_data_reveal
from shanghui.members.api.access import member_out, secretariat
from shanghui.members.api.pictures import pictures_router
from shanghui.members.api.schemas import (
    LevelChangeIn,
    LevelIn,
    LevelOut,
    MemberIn,
    MemberQuery,
    MemberStatusIn,
    PolicyIO,
    RepresentativeAddIn,
    RepresentativeChangeIn,
    StatusChangeOut,
)
from shanghui.members.models import Level, Member, MemberStatusChange
from shanghui.members.presenters import MemberView, member_view, member_views
from shanghui.members.selectors import (
    MemberFilters,
    access_level,
    access_member,
    access_member_card,
    directory_search_count,
    member_page_source,
    member_search,
    page_representatives,
)
from shanghui.members.services import members as member_services
from shanghui.members.services import policy, representatives
from shanghui.members.tasks import export_members

# Operation ids are given: they keep the ids the API has published since this module was
# members/api.py (ninja derives a default id from the module's path).
members_router = Router(tags=["会员"])


@members_router.get(
    "/members",
    response={200: list[MemberView], **ERRORS},
    operation_id="shanghui_members_api_member_list",
)
@paginate(Pages)
def member_list(request: HttpRequest, slug: Path[str], filters: Query[MemberQuery]) -> object:
    """The member directory. ``q`` matches names in characters (简/繁, one character and up),
    full pinyin or initials (``gzj`` finds 龚志军), a credit code, or a representative's phone
    number: its last four or more digits for the secretariat; for members only the whole
    number of a person who shows it, and a member's searches count against a limit per
    minute and per day (429 past it). Members see members in good standing; the secretariat
    sees everyone and may filter by status. Phones are masked (``138****5678``, with
    ``phone_masked``) except for callers who may export, and for a phone its owner chose to
    show; ``POST /members/{id}/reveal`` unmasks one member for the secretariat. Each page the
    secretariat reads is audited and counts against its hourly limit (429 past it)."""
    role = require_member(current_role(request))
    full_view = has_perm(role, Perm.MANAGE_MEMBERS)
    if not full_view:
        directory_search_count(
            user_id=signed_in_user(request).pk, filters=MemberFilters(**filters.dict())
        )
    member_filters = MemberFilters(**filters.dict())
    qs = member_search(
        association=current_association(request), filters=member_filters, directory=not full_view
    )
    unmasked = personal_data_unmasked(role)

    def present(members: list[Member]) -> list[MemberView]:
        if reads_people_audited(role):
            personal_data_page(
                actor=signed_in_user(request),
                association=current_association(request),
                listing="members",
                rows=len(members),
                page=request.GET.get("page"),
                filters=member_filters.__dict__,
                unmasked=unmasked,
            )
        return member_views(
            members,
            viewer_role=role,
            unmasked=unmasked,
            representatives=page_representatives(
                association=current_association(request), member_ids=[m.pk for m in members]
            ),
        )

    source = member_page_source(
        qs, association=current_association(request), filters=member_filters
    )
    # A search's page and count come from one statement (``CountedSearch``): it pages like
    # the queryset EachPage expects.
    return EachPage(cast("QuerySet[Member]", source), present)


# Declared before /members/{member_id} so that "exports" is not read as a member id.
@members_router.post(
    "/members/exports",
    response={202: JobOut, **ERRORS},
    operation_id="shanghui_members_api_member_export",
)
def member_export(request: HttpRequest, slug: Path[str], filters: MemberQuery) -> Status[object]:
    """Start an xlsx export of the filtered member list as a background job; poll the job for
    progress and download the file when it is done (administrators only). One at a time per
    person: while one of yours is queued or running, that job is answered and no other is
    started."""
    require_perm(current_role(request), Perm.EXPORT_MEMBERS)
    user = signed_in_user(request)
    job, _started = job_start_once(
        association=current_association(request),
        actor=user,
        kind="members.export",
        label="会员名单导出",
        task=export_members,
        params=filters.dict(),
        restartable=True,
    )
    return Status(202, job)


@members_router.get(
    "/members/{member_id}",
    response={200: MemberView, **ERRORS},
    operation_id="shanghui_members_api_member_detail",
)
def member_detail(request: HttpRequest, slug: Path[str], member_id: int) -> object:
    """One member, with phones masked as in the list (unmasked for callers who may export:
    that read is audited)."""
    role = require_member(current_role(request))
    association = current_association(request)
    member = access_member_card(association=association, role=role, member_id=member_id)
    unmasked = personal_data_unmasked(role)
    if unmasked:
        personal_data_reveal(
            actor=signed_in_user(request),
            association=association,
            action="member.reveal_personal_data",
            target=member,
            summary=member.name,
        )
    return member_view(member, viewer_role=role, unmasked=unmasked)


@members_router.post(
    "/members/{member_id}/reveal",
    response={200: MemberView, **ERRORS},
    operation_id="shanghui_members_api_member_reveal",
)
def member_reveal(request: HttpRequest, slug: Path[str], member_id: int) -> object:
    """The member with its representatives' phones unmasked, for the secretariat — the
    back office's 显示完整号码. Audited; counts against the caller's hourly limit of reveals
    (429 past it)."""
    role = require_perm(current_role(request), Perm.VIEW_PERSONAL_DATA)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    personal_data_reveal(
        actor=signed_in_user(request),
        association=association,
        action="member.reveal_personal_data",
        target=member,
        summary=member.name,
    )
    return member_view(
        member, viewer_role=role, unmasked=personal_data_unmasked(role, revealed=True)
    )


@members_router.post(
    "/members",
    response={201: MemberView, **ERRORS},
    operation_id="shanghui_members_api_member_create",
)
def member_create(request: HttpRequest, slug: Path[str], payload: MemberIn) -> Status[object]:
    """Admit a member (secretariat). The member number follows the association's pattern
    unless given; representatives are matched to known people by phone."""
    role, user = secretariat(request)
    association = current_association(request)
    member = member_services.member_create(
        association=association, actor=user, data=payload.to_input()
    )
    member = access_member(association=association, member_id=member.pk, directory=False)
    return Status(201, member_view(member, viewer_role=role, unmasked=personal_data_unmasked(role)))


@members_router.put(
    "/members/{member_id}",
    response={200: MemberView, **ERRORS},
    operation_id="shanghui_members_api_member_update",
)
def member_update(
    request: HttpRequest, slug: Path[str], member_id: int, payload: MemberIn
) -> object:
    """Replace a member's details (representatives are managed separately; status through
    the status endpoint)."""
    role, user = secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    member_services.member_update(
        association=association, actor=user, member=member, data=payload.to_input()
    )
    return member_view(
        access_member(association=association, member_id=member_id, directory=False),
        viewer_role=role,
        unmasked=personal_data_unmasked(role),
    )


@members_router.post(
    "/members/{member_id}/status",
    response={200: MemberView, **ERRORS},
    operation_id="shanghui_members_api_member_status",
)
def member_status(
    request: HttpRequest, slug: Path[str], member_id: int, payload: MemberStatusIn
) -> object:
    """Move a member along its lifecycle (正常 → 欠费/过期 → 退会/除名 …) with a reason."""
    role, user = secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    member_services.member_set_status(
        association=association,
        actor=user,
        member=member,
        status=payload.status,
        reason=payload.reason,
        effective_on=payload.effective_on,
    )
    return member_view(
        access_member(association=association, member_id=member_id, directory=False),
        viewer_role=role,
        unmasked=personal_data_unmasked(role),
    )


class ShowcaseIO(Schema):
    showcase: StrictBool


@members_router.put(
    "/members/{member_id}/showcase",
    response={200: ShowcaseIO, **ERRORS},
    operation_id="shanghui_members_api_member_showcase",
)
def member_showcase(
    request: HttpRequest, slug: Path[str], member_id: int, payload: ShowcaseIO
) -> object:
    """Show (or stop showing) an enterprise member on the association's public site (会员风采),
    with its consent: name, logo, industry and products only."""
    _role, user = secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    member_services.member_set_showcase(
        association=association, actor=user, member=member, showcase=payload.showcase
    )
    return {"showcase": member.showcase}


@members_router.get(
    "/members/{member_id}/history",
    response={200: list[StatusChangeOut], **ERRORS},
    operation_id="shanghui_members_api_member_history",
)
def member_history(request: HttpRequest, slug: Path[str], member_id: int) -> object:
    """A member's dated status history (secretariat)."""
    secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    return MemberStatusChange.objects.filter(association=association, member=member).select_related(
        "actor"
    )


@members_router.get(
    "/levels",
    response={200: list[LevelOut], **ERRORS},
    operation_id="shanghui_members_api_level_list",
)
def level_list(request: HttpRequest, slug: Path[str]) -> object:
    """Membership levels with their annual dues (members may read)."""
    require_member(current_role(request))
    return Level.objects.filter(association=current_association(request))


@members_router.post(
    "/levels", response={201: LevelOut, **ERRORS}, operation_id="shanghui_members_api_level_create"
)
def level_create(request: HttpRequest, slug: Path[str], payload: LevelIn) -> Status[object]:
    require_perm(current_role(request), Perm.EDIT_SETTINGS)
    level = policy.level_save(
        association=current_association(request),
        actor=signed_in_user(request),
        **payload.dict(),
    )
    return Status(201, level)


@members_router.put(
    "/levels/{level_id}",
    response={200: LevelOut, **ERRORS},
    operation_id="shanghui_members_api_level_update",
)
def level_update(
    request: HttpRequest, slug: Path[str], level_id: int, payload: LevelChangeIn
) -> object:
    """Rename, re-rank or re-price a level; ``is_active: false`` stops offering it (refused
    while members still hold it)."""
    require_perm(current_role(request), Perm.EDIT_SETTINGS)
    association = current_association(request)
    level = access_level(association=association, level_id=level_id)
    with transaction.atomic():
        level = policy.level_save(
            association=association,
            actor=signed_in_user(request),
            level=level,
            **payload.dict(exclude={"is_active"}),
        )
        if payload.is_active is None:
            return level
        return policy.level_active_set(
            association=association,
            actor=signed_in_user(request),
            level=level,
            active=payload.is_active,
        )


@members_router.get(
    "/membership-policy",
    response={200: PolicyIO, **ERRORS},
    operation_id="shanghui_members_api_policy_detail",
)
def policy_detail(request: HttpRequest, slug: Path[str]) -> object:
    """How members are numbered and how many referrers an applicant needs."""
    require_member(current_role(request))
    return policy.membership_policy(current_association(request))


@members_router.put(
    "/membership-policy",
    response={200: PolicyIO, **ERRORS},
    operation_id="shanghui_members_api_policy_update",
)
def policy_update(request: HttpRequest, slug: Path[str], payload: PolicyIO) -> object:
    require_perm(current_role(request), Perm.EDIT_SETTINGS)
    association = current_association(request)
    level = None
    if payload.referrer_min_level_id is not None:
        level = Level.objects.filter(
            association=association, pk=payload.referrer_min_level_id
        ).first()
        if level is None:
            raise Http404
    return policy.membership_policy_update(
        association=association,
        actor=signed_in_user(request),
        member_no_pattern=payload.member_no_pattern,
        required_referrers=payload.required_referrers,
        referrer_min_level=level,
    )


@members_router.post(
    "/members/{member_id}/representatives",
    response={201: MemberView, **ERRORS},
    operation_id="shanghui_members_api_representative_add",
)
def representative_add(
    request: HttpRequest, slug: Path[str], member_id: int, payload: RepresentativeAddIn
) -> Status[object]:
    """Add a representative (会员代表) or contact (联络人) to a member; a known phone links
    the person already on record."""
    _role, user = secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    data = member_services.RepresentativeInput(
        name=payload.name, phone=payload.phone, title=payload.title, email=payload.email
    )
    representatives.representative_add(
        association=association, actor=user, member=member, data=data, kind=payload.kind
    )
    return Status(201, member_out(request, member_id))


@members_router.patch(
    "/members/{member_id}/representatives/{representative_id}",
    response={200: MemberView, **ERRORS},
    operation_id="shanghui_members_api_representative_update",
)
def representative_update(
    request: HttpRequest,
    slug: Path[str],
    member_id: int,
    representative_id: int,
    payload: RepresentativeChangeIn,
) -> object:
    """Change a representative's title (职务) or whether they are a representative or a
    contact."""
    _role, user = secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    representative = representatives.access_representative(
        association=association, member=member, representative_id=representative_id
    )
    representatives.representative_update(
        association=association,
        actor=user,
        representative=representative,
        title=payload.title,
        kind=payload.kind,
    )
    return member_out(request, member_id)


@members_router.delete(
    "/members/{member_id}/representatives/{representative_id}",
    response={204: None, **ERRORS},
    operation_id="shanghui_members_api_representative_remove",
)
def representative_remove(
    request: HttpRequest, slug: Path[str], member_id: int, representative_id: int
) -> Status[None]:
    """Unlink a person from a member (their record stays)."""
    _role, user = secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    representative = representatives.access_representative(
        association=association, member=member, representative_id=representative_id
    )
    representatives.representative_remove(
        association=association, actor=user, representative=representative
    )
    return Status(204, None)


@members_router.post(
    "/members/{member_id}/representatives/{representative_id}/restore",
    response={200: MemberView, **ERRORS},
    operation_id="shanghui_members_api_representative_restore",
)
def representative_restore(
    request: HttpRequest, slug: Path[str], member_id: int, representative_id: int
) -> object:
    """Link a removed representative or contact to the member again (from the recycle bin,
    ``GET …/org/trash``); refused while the person acts for the member once more."""
    _role, user = secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    representative = representatives.access_removed_representative(
        association=association, member=member, representative_id=representative_id
    )
    representatives.representative_restore(
        association=association, actor=user, representative=representative
    )
    return member_out(request, member_id)


# What ``shanghui.api.api`` mounts: this module's endpoints and the logos' and photos'
# (``api.pictures``). It has no tag of its own, so each part's operations are tagged as the
# parent's and their own (商协会, 会员), as when they were one router.
members_api = Router()
members_api.add_router("", members_router)
members_api.add_router("", pictures_router)
