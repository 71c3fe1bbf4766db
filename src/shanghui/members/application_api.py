"""API for online applications to join (入会申请): file one (public), review them
(secretariat)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shanghui.accounts.permissions import Perm, require_perm
from shanghui.api.auth import caller
from shanghui.api.pagination import Pages
from shanghui.api.schemas import ERRORS
from shanghui.api.tenant import current_association, current_role
from shanghui.members import applications
from shanghui.members.models import MembershipApplication

applications_router = Router(tags=["入会申请"])


class MemberApplicationIn(Schema):
    kind: str
    name: str
    applicant_name: str
    applicant_phone: str
    uscc: str = ""
    legal_representative: str = ""
    industry_code: str = ""
    region_code: str = ""
    address: str = ""
    hometown_code: str = ""
    introduction: str = ""
    applicant_title: str = ""
    level_id: int | None = None
    # Each referrer's member number and full name, a space between; several comma separated:
    # "GDJX-00012 广州华通科技有限公司, GDJX-00031 赣州稀土集团有限公司".
    referrers: str = ""
    accept_privacy: bool = False


class MemberApplicationOut(Schema):
    id: int
    kind: str
    name: str
    uscc: str
    applicant_name: str
    applicant_phone: str
    applicant_title: str
    status: str
    info_request: str
    decision_reason: str
    member_id: int | None
    created_at: datetime


@applications_router.post(
    "/member-applications", auth=None, response={201: MemberApplicationOut, **ERRORS}
)
def application_create(
    request: HttpRequest,
    slug: Path[str],
    payload: Form[MemberApplicationIn],
    licence: File[UploadedFile] | None = None,
) -> Status[object]:
    """Apply to join the association (public; multipart with the business licence). Each
    referrer is given as member number and full name together and is only valid or invalid
    (400 on ``referrers`` with the same message whatever is wrong); referrers checked count
    against a limit per client address (429 past it)."""
    data = payload.dict()
    data["referrers"] = applications.referrers_parse(data["referrers"])
    application = applications.application_submit(
        association=current_association(request),
        data=applications.ApplicationInput(**data),
        licence=licence,
    )
    return Status(201, application)


@applications_router.get(
    "/member-applications", response={200: list[MemberApplicationOut], **ERRORS}
)
@paginate(Pages)
def application_list(request: HttpRequest, slug: Path[str], status: str = "") -> object:
    """Applications to review (secretariat)."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    qs = applications.pending_applications(current_association(request))
    return qs.filter(status=status) if status else qs


@applications_router.get(
    "/member-applications/{member_application_id}", response={200: MemberApplicationOut, **ERRORS}
)
def application_detail(request: HttpRequest, slug: Path[str], member_application_id: int) -> object:
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    return applications.access_member_application(
        association=current_association(request), application_id=member_application_id
    )


class MemberApplicationDecisionIn(Schema):
    decision: str  # approve | reject | request_info
    text: str = ""


@applications_router.post(
    "/member-applications/{member_application_id}/decision",
    response={200: MemberApplicationOut, **ERRORS},
)
def application_decide(
    request: HttpRequest,
    slug: Path[str],
    member_application_id: int,
    payload: MemberApplicationDecisionIn,
) -> object:
    """Approve (admits the member and invites the applicant), reject with a reason, or ask
    for more information (``text`` is the reason or the request)."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    association = current_association(request)
    application = applications.access_member_application(
        association=association, application_id=member_application_id
    )
    actor = caller(request)
    if payload.decision == "approve":
        applications.application_approve(
            association=association, actor=actor, application=application
        )
    elif payload.decision == "reject":
        applications.application_reject(
            association=association, actor=actor, application=application, reason=payload.text
        )
    elif payload.decision == "request_info":
        applications.application_request_info(
            association=association, actor=actor, application=application, request=payload.text
        )
    else:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"decision": _("请选择通过、驳回或要求补充资料")})
    return MembershipApplication.objects.get(association=association, pk=application.pk)
