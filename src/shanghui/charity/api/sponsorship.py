"""Student sponsorship's API (the secretariat's, ``charity.manage``): beneficiaries, their
audited reveal and consent withdrawal, sponsorships with their term schedule and payments,
visits with photos and academic records. A list never carries an ID number; a student's
answer carries it masked; ``POST …/reveal`` is the one operation that answers it whole, and
it is audited and rate-limited."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.charity.api.sponsorship_schemas import (
    AcademicIn,
    AcademicOut,
    BeneficiaryDetailOut,
    BeneficiaryIn,
    BeneficiaryOut,
    BeneficiaryQuery,
    BeneficiaryRevealOut,
    ConsentWithdrawIn,
    DisbursementOut,
    DisbursementOverdueOut,
    DisbursementPayIn,
    SponsorshipCloseIn,
    SponsorshipDetailOut,
    SponsorshipIn,
    SponsorshipOut,
    SponsorshipScheduleIn,
    VisitIn,
    VisitOut,
)
from shanghui.charity.models import (
    AcademicRecord,
    Beneficiary,
    Campaign,
    Partner,
    Sponsorship,
)
from shanghui.charity.selectors import sponsorship as selectors
from shanghui.charity.services import beneficiaries as beneficiary_services
from shanghui.charity.services import sponsorship as services
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.money import parse_cny
from shanghui.core.privacy import personal_data_page
from shanghui.core.storage.files import held_file
from shanghui.core.types import Tenant
from shanghui.core.uploads import picture_response
from shanghui.members.models import Member

sponsorship_router = Router(tags=["慈善公益 · 助学结对"])

IMAGE_RESPONSE = {
    "responses": {
        200: {
            "description": "JPEG or PNG",
            "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _manager(request: HttpRequest) -> Tenant:
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    return current_association(request)


def _beneficiary(request: HttpRequest, beneficiary_id: int) -> Beneficiary:
    return selectors.access_beneficiary(
        association=_manager(request), beneficiary_id=beneficiary_id
    )


# --- Lookups of ids given in a body (the association's own only) ----------------------------


def _school(association: Tenant, school_id: int | None) -> Partner | None:
    if school_id is None:
        return None
    found = selectors.schools(association).filter(pk=school_id).first()
    if found is None:
        raise ValidationError({"school_id": _("请选择本会的学校")})
    return found


def _member(association: Tenant, member_id: int | None) -> Member | None:
    if member_id is None:
        return None
    found = Member.objects.filter(association_id=association.pk, pk=member_id).first()
    if found is None:
        raise ValidationError({"sponsor_member_id": _("请选择本会的会员")})
    return found


def _campaign(association: Tenant, campaign_id: int | None) -> Campaign | None:
    if campaign_id is None:
        return None
    found = selectors.campaigns(association).filter(pk=campaign_id).first()
    if found is None:
        raise ValidationError({"campaign_id": _("请选择本会的公益项目")})
    return found


def _input(association: Tenant, payload: BeneficiaryIn) -> beneficiary_services.BeneficiaryInput:
    data = payload.dict()
    data["school"] = _school(association, data.pop("school_id"))
    return beneficiary_services.BeneficiaryInput(**data)


# --- Beneficiaries --------------------------------------------------------------------------


@sponsorship_router.get(
    "/beneficiaries",
    operation_id="shanghui_charity_api_beneficiary_list",
    response={200: list[BeneficiaryOut], **ERRORS},
)
@paginate(Pages)
def beneficiary_list(
    request: HttpRequest, slug: Path[str], filters: Query[BeneficiaryQuery]
) -> object:
    """Sponsored students by name, with school, stage and active sponsors — never an ID
    number. Each call is audited as a read of a list of people (429 past the hourly
    limit)."""
    association = _manager(request)
    personal_data_page(
        actor=signed_in_user(request),
        association=association,
        listing="charity.beneficiaries",
        rows=0,  # the page's size is decided by the paginator after this call
        page=None,
        filters=filters.dict(),
        unmasked=False,
    )
    return selectors.beneficiaries_search(
        association=association,
        filters=selectors.BeneficiaryFilters(**filters.dict()),
    )


@sponsorship_router.post(
    "/beneficiaries",
    operation_id="shanghui_charity_api_beneficiary_create",
    response={201: BeneficiaryDetailOut, **ERRORS},
)
def beneficiary_create(
    request: HttpRequest, slug: Path[str], payload: BeneficiaryIn
) -> Status[object]:
    """Register a student. A minor needs ``guardian_consent_on``; an ID number or family
    situation needs ``sensitive_consent_on``; an ID number already registered is refused."""
    association = _manager(request)
    made = beneficiary_services.beneficiary_create(
        association=association, actor=signed_in_user(request), data=_input(association, payload)
    )
    return Status(201, made)


@sponsorship_router.get(
    "/beneficiaries/{beneficiary_id}",
    operation_id="shanghui_charity_api_beneficiary_detail",
    response={200: BeneficiaryDetailOut, **ERRORS},
)
def beneficiary_detail(request: HttpRequest, slug: Path[str], beneficiary_id: int) -> object:
    """A student's file with the ID number masked."""
    return _beneficiary(request, beneficiary_id)


@sponsorship_router.put(
    "/beneficiaries/{beneficiary_id}",
    operation_id="shanghui_charity_api_beneficiary_update",
    response={200: BeneficiaryDetailOut, **ERRORS},
)
def beneficiary_update(
    request: HttpRequest, slug: Path[str], beneficiary_id: int, payload: BeneficiaryIn
) -> object:
    """Replace a student's record (graduation and outcome included) under the same rules."""
    beneficiary = _beneficiary(request, beneficiary_id)
    association = current_association(request)
    return beneficiary_services.beneficiary_update(
        association=association,
        actor=signed_in_user(request),
        beneficiary=beneficiary,
        data=_input(association, payload),
    )


@sponsorship_router.post(
    "/beneficiaries/{beneficiary_id}/reveal",
    operation_id="shanghui_charity_api_beneficiary_reveal",
    response={200: BeneficiaryRevealOut, **ERRORS},
)
def beneficiary_reveal(request: HttpRequest, slug: Path[str], beneficiary_id: int) -> object:
    """The ID number and family situation in full, for whoever may see personal data
    (``members.personal_data``). Audited; counts against the caller's hourly limit of
    reveals (429 past it)."""
    require_perm(current_role(request), Perm.VIEW_PERSONAL_DATA)
    beneficiary = _beneficiary(request, beneficiary_id)
    shown = beneficiary_services.beneficiary_reveal(
        association=current_association(request),
        actor=signed_in_user(request),
        beneficiary=beneficiary,
    )
    return {
        "id": beneficiary.pk,
        "name": beneficiary.name,
        "id_number": shown.id_number,
        "family_situation": shown.family_situation,
    }


@sponsorship_router.post(
    "/beneficiaries/{beneficiary_id}/consent-withdrawal",
    operation_id="shanghui_charity_api_beneficiary_consent_withdraw",
    response={200: BeneficiaryDetailOut, **ERRORS},
)
def beneficiary_consent_withdraw(
    request: HttpRequest, slug: Path[str], beneficiary_id: int, payload: ConsentWithdrawIn
) -> object:
    """Consent withdrawn: the student's personal data is erased now (the row and its
    payments stay for the totals)."""
    beneficiary = _beneficiary(request, beneficiary_id)
    return beneficiary_services.beneficiary_consent_withdraw(
        association=current_association(request),
        actor=signed_in_user(request),
        beneficiary=beneficiary,
        note=payload.note,
    )


@sponsorship_router.get(
    "/beneficiaries/{beneficiary_id}/photo",
    operation_id="shanghui_charity_api_beneficiary_photo",
    response={200: None, **ERRORS},
    openapi_extra=IMAGE_RESPONSE,
)
def beneficiary_photo(request: HttpRequest, slug: Path[str], beneficiary_id: int) -> HttpResponse:
    beneficiary = _beneficiary(request, beneficiary_id)
    association = current_association(request)
    return picture_response(association, held_file(association, beneficiary.photo_id))


@sponsorship_router.post(
    "/beneficiaries/{beneficiary_id}/photo",
    operation_id="shanghui_charity_api_beneficiary_photo_set",
    response={200: BeneficiaryDetailOut, **ERRORS},
)
def beneficiary_photo_set(
    request: HttpRequest,
    slug: Path[str],
    beneficiary_id: int,
    photo: File[UploadedFile | None] = None,
) -> object:
    """Set the student's photo (multipart field ``photo``, JPG or PNG); back office only."""
    beneficiary = _beneficiary(request, beneficiary_id)
    if photo is None:
        raise ValidationError({"photo": [_("请上传照片")]})
    return beneficiary_services.beneficiary_photo_set(
        association=current_association(request),
        actor=signed_in_user(request),
        beneficiary=beneficiary,
        photo=photo,
    )


# --- Sponsorships and payments --------------------------------------------------------------


@sponsorship_router.get(
    "/beneficiaries/{beneficiary_id}/sponsorships",
    operation_id="shanghui_charity_api_sponsorship_list",
    response={200: list[SponsorshipOut], **ERRORS},
)
def sponsorship_list(request: HttpRequest, slug: Path[str], beneficiary_id: int) -> object:
    return selectors.beneficiary_sponsorships(_beneficiary(request, beneficiary_id))


@sponsorship_router.post(
    "/beneficiaries/{beneficiary_id}/sponsorships",
    operation_id="shanghui_charity_api_sponsorship_create",
    response={201: SponsorshipOut, **ERRORS},
)
def sponsorship_create(
    request: HttpRequest, slug: Path[str], beneficiary_id: int, payload: SponsorshipIn
) -> Status[object]:
    beneficiary = _beneficiary(request, beneficiary_id)
    association = current_association(request)
    made = services.sponsorship_create(
        association=association,
        actor=signed_in_user(request),
        beneficiary=beneficiary,
        data=services.SponsorshipInput(
            starts_on=payload.starts_on,
            expected_end_on=payload.expected_end_on,
            amount_per_term=parse_cny(payload.amount_per_term, field="amount_per_term"),
            sponsor_member=_member(association, payload.sponsor_member_id),
            sponsor_name=payload.sponsor_name,
            campaign=_campaign(association, payload.campaign_id),
            note=payload.note,
        ),
    )
    return Status(201, made)


def _sponsorship(request: HttpRequest, sponsorship_id: int) -> Sponsorship:
    return selectors.access_sponsorship(
        association=_manager(request), sponsorship_id=sponsorship_id
    )


@sponsorship_router.get(
    "/sponsorships/{sponsorship_id}",
    operation_id="shanghui_charity_api_sponsorship_detail",
    response={200: SponsorshipDetailOut, **ERRORS},
)
def sponsorship_detail(request: HttpRequest, slug: Path[str], sponsorship_id: int) -> object:
    """A sponsorship with its term schedule and payments."""
    return _sponsorship(request, sponsorship_id)


@sponsorship_router.post(
    "/sponsorships/{sponsorship_id}/schedule",
    operation_id="shanghui_charity_api_sponsorship_schedule",
    response={200: SponsorshipDetailOut, **ERRORS},
)
def sponsorship_schedule(
    request: HttpRequest, slug: Path[str], sponsorship_id: int, payload: SponsorshipScheduleIn
) -> object:
    """Lay out one disbursement per term until ``until`` (default: the expected end); terms
    already scheduled are kept."""
    sponsorship = _sponsorship(request, sponsorship_id)
    services.disbursements_generate(
        association=current_association(request),
        actor=signed_in_user(request),
        sponsorship=sponsorship,
        until=payload.until,
    )
    return sponsorship


@sponsorship_router.post(
    "/sponsorships/{sponsorship_id}/close",
    operation_id="shanghui_charity_api_sponsorship_close",
    response={200: SponsorshipOut, **ERRORS},
)
def sponsorship_close(
    request: HttpRequest, slug: Path[str], sponsorship_id: int, payload: SponsorshipCloseIn
) -> object:
    """Mark it ``completed`` (graduated) or ``ended`` early."""
    sponsorship = _sponsorship(request, sponsorship_id)
    return services.sponsorship_close(
        association=current_association(request),
        actor=signed_in_user(request),
        sponsorship=sponsorship,
        status=payload.status,
        note=payload.note,
    )


@sponsorship_router.get(
    "/disbursements/overdue",
    operation_id="shanghui_charity_api_disbursement_overdue",
    response={200: list[DisbursementOverdueOut], **ERRORS},
)
@paginate(Pages)
def disbursement_overdue(request: HttpRequest, slug: Path[str]) -> object:
    """Unpaid terms of active sponsorships past their due date, oldest first."""
    return selectors.overdue_disbursements(association=_manager(request))


@sponsorship_router.post(
    "/disbursements/{disbursement_id}/payment",
    operation_id="shanghui_charity_api_disbursement_pay",
    response={200: DisbursementOut, **ERRORS},
)
def disbursement_pay(
    request: HttpRequest, slug: Path[str], disbursement_id: int, payload: DisbursementPayIn
) -> object:
    """Record a term's payment: a cash gift is booked in the donations ledger (``donation_id``)
    — donor the sponsor, recipient the school. A term is paid once (400 the second time)."""
    association = _manager(request)
    disbursement = selectors.access_disbursement(
        association=association, disbursement_id=disbursement_id
    )
    return services.disbursement_pay(
        association=association,
        actor=signed_in_user(request),
        disbursement=disbursement,
        paid_on=payload.paid_on,
        reference=payload.reference,
    )


# --- Visits and academic records --------------------------------------------------------------


@sponsorship_router.get(
    "/beneficiaries/{beneficiary_id}/visits",
    operation_id="shanghui_charity_api_visit_list",
    response={200: list[VisitOut], **ERRORS},
)
def visit_list(request: HttpRequest, slug: Path[str], beneficiary_id: int) -> object:
    return selectors.beneficiary_visits(_beneficiary(request, beneficiary_id))


@sponsorship_router.post(
    "/beneficiaries/{beneficiary_id}/visits",
    operation_id="shanghui_charity_api_visit_create",
    response={201: VisitOut, **ERRORS},
)
def visit_create(
    request: HttpRequest, slug: Path[str], beneficiary_id: int, payload: VisitIn
) -> Status[object]:
    """A visit's notes; add its photos with ``POST /visits/{visit_id}/photos``."""
    beneficiary = _beneficiary(request, beneficiary_id)
    visit = services.visit_create(
        association=current_association(request),
        actor=signed_in_user(request),
        beneficiary=beneficiary,
        data=services.VisitInput(**payload.dict()),
    )
    return Status(201, visit)


@sponsorship_router.post(
    "/visits/{visit_id}/photos",
    operation_id="shanghui_charity_api_visit_photo_add",
    response={201: VisitOut, **ERRORS},
)
def visit_photo_add(
    request: HttpRequest, slug: Path[str], visit_id: int, photo: File[UploadedFile | None] = None
) -> Status[object]:
    """Add a photo (multipart field ``photo``, JPG or PNG) to a visit; back office only."""
    association = _manager(request)
    visit = selectors.access_visit(association=association, visit_id=visit_id)
    if photo is None:
        raise ValidationError({"photo": [_("请上传照片")]})
    services.visit_photo_add(
        association=association, actor=signed_in_user(request), visit=visit, upload=photo
    )
    return Status(201, selectors.access_visit(association=association, visit_id=visit.pk))


@sponsorship_router.get(
    "/visit-photos/{visit_photo_id}",
    operation_id="shanghui_charity_api_visit_photo",
    response={200: None, **ERRORS},
    openapi_extra=IMAGE_RESPONSE,
)
def visit_photo(request: HttpRequest, slug: Path[str], visit_photo_id: int) -> HttpResponse:
    association = _manager(request)
    photo = selectors.access_visit_photo(association=association, visit_photo_id=visit_photo_id)
    return picture_response(association, held_file(association, photo.file_id))


@sponsorship_router.get(
    "/beneficiaries/{beneficiary_id}/academic-records",
    operation_id="shanghui_charity_api_academic_record_list",
    response={200: list[AcademicOut], **ERRORS},
)
def academic_record_list(request: HttpRequest, slug: Path[str], beneficiary_id: int) -> object:
    return selectors.beneficiary_academic_records(_beneficiary(request, beneficiary_id))


@sponsorship_router.post(
    "/beneficiaries/{beneficiary_id}/academic-records",
    operation_id="shanghui_charity_api_academic_record_create",
    response={201: AcademicOut, **ERRORS},
)
def academic_record_create(
    request: HttpRequest, slug: Path[str], beneficiary_id: int, payload: AcademicIn
) -> Status[object]:
    beneficiary = _beneficiary(request, beneficiary_id)
    record = services.academic_record_create(
        association=current_association(request),
        actor=signed_in_user(request),
        beneficiary=beneficiary,
        data=services.AcademicInput(**payload.dict()),
    )
    return Status(201, record)


@sponsorship_router.get(
    "/academic-records/{academic_record_id}",
    operation_id="shanghui_charity_api_academic_record_detail",
    response={200: AcademicOut, **ERRORS},
)
def academic_record_detail(
    request: HttpRequest, slug: Path[str], academic_record_id: int
) -> AcademicRecord:
    return selectors.access_academic_record(
        association=_manager(request), academic_record_id=academic_record_id
    )
