"""API for online applications to join (入会申请): file one (public), review them
(secretariat)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, personal_data_unmasked, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.pagination import EachPage, Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.phone import mask_mobile
from shanghui.core.privacy import personal_data_page, personal_data_reveal
from shanghui.members.models import MembershipApplication
from shanghui.members.services import applications

# Operation ids are given: they keep the ids the API has published since this module was
# members/application_api.py (ninja derives a default id from the module's path).
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
    """An application. The applicant's phone follows the one rule for personal data: masked
    (``138****5678``) except for callers who may export, or once revealed through
    ``…/reveal`` (audited); the applicant filing it gets their own back."""

    id: int
    kind: str
    name: str
    uscc: str
    applicant_name: str
    applicant_phone: str
    applicant_phone_masked: bool
    applicant_title: str
    status: str
    info_request: str
    decision_reason: str
    member_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_applicant_phone(obj: MembershipApplication, context: dict[str, Any]) -> str:
        if _unmasked(obj, context):
            return obj.applicant_phone
        return mask_mobile(obj.applicant_phone)

    @staticmethod
    def resolve_applicant_phone_masked(obj: MembershipApplication, context: dict[str, Any]) -> bool:
        return bool(obj.applicant_phone) and not _unmasked(obj, context)


def _unmasked(obj: MembershipApplication, context: dict[str, Any]) -> bool:
    if getattr(obj, "filed_by_caller", False):
        return True
    role = getattr(context["request"], "role", None)
    return personal_data_unmasked(role, revealed=getattr(obj, "revealed", False))


@applications_router.post(
    "/member-applications",
    auth=None,
    response={201: MemberApplicationOut, **ERRORS},
    operation_id="shanghui_members_application_api_application_create",
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
    application.filed_by_caller = True  # type: ignore[attr-defined]  # their own phone back
    return Status(201, application)


@applications_router.get(
    "/member-applications",
    response={200: list[MemberApplicationOut], **ERRORS},
    operation_id="shanghui_members_application_api_application_list",
)
@paginate(Pages)
def application_list(request: HttpRequest, slug: Path[str], status: str = "") -> object:
    """Applications to review (secretariat). Each page is audited and counts against the
    caller's hourly limit (429 past it)."""
    role = require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    qs = applications.pending_applications(current_association(request))
    if status:
        qs = qs.filter(status=status)

    def record(rows: list[MembershipApplication]) -> list[MembershipApplication]:
        personal_data_page(
            actor=signed_in_user(request),
            association=current_association(request),
            listing="applications",
            rows=len(rows),
            page=request.GET.get("page"),
            filters={"status": status},
            unmasked=personal_data_unmasked(role),
        )
        return rows

    return EachPage(qs, record)


@applications_router.get(
    "/member-applications/{member_application_id}",
    response={200: MemberApplicationOut, **ERRORS},
    operation_id="shanghui_members_application_api_application_detail",
)
def application_detail(request: HttpRequest, slug: Path[str], member_application_id: int) -> object:
    """One application (the phone unmasked for callers who may export: that read is
    audited)."""
    role = require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    application = applications.access_member_application(
        association=current_association(request), application_id=member_application_id
    )
    if personal_data_unmasked(role):
        _reveal(request, application)
    return application


@applications_router.post(
    "/member-applications/{member_application_id}/reveal",
    response={200: MemberApplicationOut, **ERRORS},
    operation_id="shanghui_members_application_api_application_reveal",
)
def application_reveal(request: HttpRequest, slug: Path[str], member_application_id: int) -> object:
    """The application with the applicant's phone unmasked, for the secretariat — the review
    page's 显示完整号码. Audited; counts against the caller's hourly limit of reveals."""
    require_perm(current_role(request), Perm.VIEW_PERSONAL_DATA)
    application = applications.access_member_application(
        association=current_association(request), application_id=member_application_id
    )
    _reveal(request, application)
    application.revealed = True  # type: ignore[attr-defined]  # read by MemberApplicationOut
    return application


def _reveal(request: HttpRequest, application: MembershipApplication) -> None:
    personal_data_reveal(
        actor=signed_in_user(request),
        association=current_association(request),
        action="application.reveal_personal_data",
        target=application,
        summary=application.applicant_name,
    )


class MemberApplicationDecisionIn(Schema):
    decision: str  # approve | reject | request_info
    text: str = ""


@applications_router.post(
    "/member-applications/{member_application_id}/decision",
    response={200: MemberApplicationOut, **ERRORS},
    operation_id="shanghui_members_application_api_application_decide",
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
    actor = signed_in_user(request)
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
