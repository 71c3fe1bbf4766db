"""Honors for the secretariat (``charity.manage``): received and given honors, recording,
correcting and revoking one, its certificate (PDF); and, for anyone, the verification of a
certificate by the token its QR code carries (``public_router``)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StrictBool

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.charity.certificates import honor_certificate_pdf, verify_url
from shanghui.charity.models import Campaign, Honor
from shanghui.charity.selectors import honors as selectors
from shanghui.charity.services import honors as services
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import attachment_response, id_or_404
from shanghui.core.storage.files import held_file
from shanghui.core.types import Tenant
from shanghui.core.uploads import picture_response
from shanghui.members.models import Member
from shanghui.members.selectors import access_member_card

router = Router(tags=["慈善公益"])
public_router = Router(tags=["慈善公益"])

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class HonorOut(Schema):
    id: int
    direction: str
    direction_label: str
    title: str
    awarded_by: str
    awarded_on: date
    description: str
    campaign_id: int | None
    member_id: int | None
    recipient_name: str
    shown_on_card: bool
    is_public: bool
    certificate_no: str
    verify_url: str
    has_image: bool
    revoked_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_direction_label(obj: Honor) -> str:
        return str(obj.get_direction_display())

    @staticmethod
    def resolve_has_image(obj: Honor) -> bool:
        return obj.image_id is not None

    @staticmethod
    def resolve_verify_url(obj: Honor) -> str:
        if not obj.verify_token or obj.revoked_at is not None:
            return ""
        slug = obj.association.slug
        return verify_url(association_slug=slug, verify_token=obj.verify_token)


class HonorIn(Schema):
    direction: str
    title: str
    awarded_by: str
    awarded_on: str
    description: str = ""
    campaign_id: int | None = None
    member_id: int | None = None
    recipient_name: str = ""
    shown_on_card: StrictBool = False
    is_public: StrictBool = False


class HonorQuery(Schema):
    direction: str = ""


class RevokeIn(Schema):
    reason: str


class VerifiedHonorOut(Schema):
    certificate_no: str
    recipient_name: str
    title: str
    awarded_by: str
    awarded_on: date
    campaign_title: str
    association_name: str


def _manager(request: HttpRequest) -> None:
    require_perm(current_role(request), Perm.MANAGE_CHARITY)


def _honor(request: HttpRequest, honor_id: int) -> Honor:
    _manager(request)
    return selectors.access_honor(association=current_association(request), honor_id=honor_id)


def _input(association: Tenant, payload: HonorIn, direction: str) -> services.HonorInput:
    """The service's input; a member or campaign id that is not the association's is refused
    on its field as if it did not exist."""
    member = campaign = None
    if payload.member_id is not None:
        member = Member.objects.filter(
            association_id=association.pk, pk=id_or_404(payload.member_id)
        ).first()
        if member is None:
            raise ValidationError({"member_id": _("未找到该会员")})
    if payload.campaign_id is not None:
        campaign = Campaign.objects.filter(
            association_id=association.pk, pk=id_or_404(payload.campaign_id)
        ).first()
        if campaign is None:
            raise ValidationError({"campaign_id": _("未找到该公益项目")})
    return services.HonorInput(
        direction=direction,
        title=payload.title,
        awarded_by=payload.awarded_by,
        awarded_on=payload.awarded_on,
        description=payload.description,
        campaign=campaign,
        member=member,
        recipient_name=payload.recipient_name,
        shown_on_card=payload.shown_on_card,
        is_public=payload.is_public,
    )


@router.get(
    "/honors",
    operation_id="shanghui_charity_api_honor_list",
    response={200: list[HonorOut], **ERRORS},
)
@paginate(Pages)
def honor_list(request: HttpRequest, slug: Path[str], filters: Query[HonorQuery]) -> object:
    """Honors, newest first; ``direction`` "received" or "given" filters."""
    _manager(request)
    return selectors.honors_list(
        current_association(request), direction=filters.direction
    ).select_related("association")


@router.post(
    "/honors",
    operation_id="shanghui_charity_api_honor_create",
    response={201: HonorOut, **ERRORS},
)
def honor_create(request: HttpRequest, slug: Path[str], payload: HonorIn) -> Status[object]:
    """Record an honor the association received, or give one (it gets its certificate
    number and verification link now)."""
    _manager(request)
    association = current_association(request)
    honor = services.honor_create(
        association=association,
        actor=signed_in_user(request),
        data=_input(association, payload, payload.direction),
    )
    return Status(201, honor)


@router.get(
    "/honors/{honor_id}",
    operation_id="shanghui_charity_api_honor",
    response={200: HonorOut, **ERRORS},
)
def honor_detail(request: HttpRequest, slug: Path[str], honor_id: int) -> object:
    return _honor(request, honor_id)


@router.put(
    "/honors/{honor_id}",
    operation_id="shanghui_charity_api_honor_update",
    response={200: HonorOut, **ERRORS},
)
def honor_update(request: HttpRequest, slug: Path[str], honor_id: int, payload: HonorIn) -> object:
    """Correct an honor (its kind, number and link stay; a revoked one is not edited)."""
    honor = _honor(request, honor_id)
    association = current_association(request)
    return services.honor_update(
        association=association,
        actor=signed_in_user(request),
        honor=honor,
        data=_input(association, payload, payload.direction),
    )


@router.post(
    "/honors/{honor_id}/revocation",
    operation_id="shanghui_charity_api_honor_revoke",
    response={200: HonorOut, **ERRORS},
)
def honor_revoke(request: HttpRequest, slug: Path[str], honor_id: int, payload: RevokeIn) -> object:
    """Revoke an honor: its verification answers 404 from now on and the member's card no
    longer shows it."""
    honor = _honor(request, honor_id)
    return services.honor_revoke(
        association=current_association(request),
        actor=signed_in_user(request),
        honor=honor,
        reason=payload.reason,
    )


@router.get(
    "/honors/{honor_id}/certificate",
    operation_id="shanghui_charity_api_honor_certificate",
    response={200: None, **ERRORS},
    openapi_extra=PDF_RESPONSE,
)
def honor_certificate(request: HttpRequest, slug: Path[str], honor_id: int) -> HttpResponse:
    """The certificate (荣誉证书) of a given, unrevoked honor as PDF, with the QR code of its
    verification page."""
    honor = _honor(request, honor_id)
    association = current_association(request)
    honor = services.honor_certificate_ready(
        association=association, actor=signed_in_user(request), honor=honor
    )
    pdf = honor_certificate_pdf(association=association, honor=honor)
    return attachment_response(pdf.content, pdf.filename)


@router.get(
    "/honors/{honor_id}/image",
    operation_id="shanghui_charity_api_honor_image",
    response={200: None, **ERRORS},
)
def honor_image(request: HttpRequest, slug: Path[str], honor_id: int) -> HttpResponse:
    """The photo of the certificate or medal (JPEG or PNG); ``size=thumb`` for a thumbnail."""
    honor = _honor(request, honor_id)
    association = current_association(request)
    return picture_response(
        association, held_file(association, honor.image_id), size=request.GET.get("size", "")
    )


@router.post(
    "/honors/{honor_id}/image",
    operation_id="shanghui_charity_api_honor_image_upload",
    response={200: HonorOut, **ERRORS},
)
def honor_image_upload(
    request: HttpRequest, slug: Path[str], honor_id: int, file: File[UploadedFile | None] = None
) -> object:
    """Upload the photo of the certificate or medal (multipart ``file``, JPEG or PNG)."""
    honor = _honor(request, honor_id)
    upload: DjangoUploadedFile | None = file
    return services.honor_image_set(
        association=current_association(request),
        actor=signed_in_user(request),
        honor=honor,
        upload=upload,
    )


class CardHonorOut(Schema):
    id: int
    title: str
    awarded_by: str
    awarded_on: date


@router.get(
    "/members/{member_id}/honors",
    operation_id="shanghui_charity_api_member_card_honors",
    response={200: list[CardHonorOut], **ERRORS},
)
def member_card_honors(request: HttpRequest, slug: Path[str], member_id: int) -> object:
    """The honors a member's card (名片) shows — given by the association, not revoked, and
    agreed by the member to show — for anyone who may open that card."""
    role = require_member(current_role(request))
    association = current_association(request)
    member = access_member_card(association=association, role=role, member_id=member_id)
    return selectors.member_card_honors(association, member)


@public_router.get(
    "/verify/{verify_token}",
    operation_id="shanghui_charity_api_honor_verify",
    auth=None,
    response={200: VerifiedHonorOut, **ERRORS},
)
def honor_verify(request: HttpRequest, slug: Path[str], verify_token: str) -> object:
    """For anyone: the honor a certificate's QR code names, if this association gave it and
    has not revoked it; 404 otherwise."""
    association = current_association(request)
    honor = selectors.verified_honor(association=association, verify_token=verify_token)
    return {
        "certificate_no": honor.certificate_no,
        "recipient_name": honor.recipient_name or (honor.member.name if honor.member else ""),
        "title": honor.title,
        "awarded_by": honor.awarded_by,
        "awarded_on": honor.awarded_on,
        "campaign_title": honor.campaign.title if honor.campaign else "",
        "association_name": association.name,
    }
