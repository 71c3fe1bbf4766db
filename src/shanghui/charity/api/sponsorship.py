"""Student sponsorship's API (the secretariat's, ``charity.manage``): beneficiaries, their
audited reveal and consent withdrawal, sponsorships with their term schedule and payments,
visits with photos and academic records. A list never carries an ID number; a student's
answer carries it masked; ``POST …/reveal`` is the one operation that answers it whole, and
it is audited and rate-limited."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.charity.models import (
    AcademicRecord,
    Beneficiary,
    Campaign,
    Disbursement,
    Partner,
    Sponsorship,
    Visit,
    VisitPhoto,
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


# --- Schemas ------------------------------------------------------------------------------


class SponsorBrief(Schema):
    id: int
    sponsor_name: str
    sponsor_member_id: int | None
    status: str


class BeneficiaryOut(Schema):
    """A student in a list: no ID number, no family situation, no guardian."""

    id: int
    name: str
    gender: str
    school_id: int | None
    school_name: str
    grade: str
    stage: str
    stage_label: str
    ended_on: date | None
    erased: bool
    sponsors: list[SponsorBrief]

    @staticmethod
    def resolve_stage_label(obj: Beneficiary) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_erased(obj: Beneficiary) -> bool:
        return obj.erased_at is not None

    @staticmethod
    def resolve_sponsors(obj: Beneficiary) -> list[Sponsorship]:
        return list(getattr(obj, "active_sponsorships", []))


class BeneficiaryDetailOut(BeneficiaryOut):
    """A student's file: the ID number masked (``id_number_masked``); the whole number only
    from ``POST …/reveal``."""

    birth_date: date | None
    is_minor: bool
    id_number_masked: str
    has_family_situation: bool
    region_code: str
    guardian_name: str
    guardian_relation: str
    guardian_phone: str
    guardian_consent_on: date | None
    sensitive_consent_on: date | None
    consent_note: str
    has_photo: bool
    graduated_on: date | None
    outcome: str

    @staticmethod
    def resolve_is_minor(obj: Beneficiary) -> bool:
        return beneficiary_services.is_minor(obj)

    @staticmethod
    def resolve_id_number_masked(obj: Beneficiary) -> str:
        return selectors.masked_id_number(obj)

    @staticmethod
    def resolve_has_family_situation(obj: Beneficiary) -> bool:
        return bool(obj.family_situation)

    @staticmethod
    def resolve_has_photo(obj: Beneficiary) -> bool:
        return obj.photo_id is not None

    @staticmethod
    def resolve_sponsors(obj: Beneficiary) -> list[Sponsorship]:
        return list(Sponsorship.objects.filter(association_id=obj.association_id, beneficiary=obj))


class BeneficiaryIn(Schema):
    """A student's record. ``id_number`` and ``family_situation`` omitted (null) keep what is
    stored; "" clears them. ``school_id`` names a partner of kind school, else
    ``school_name`` names the school."""

    name: str = Field(max_length=50)
    gender: str = ""
    birth_date: date | None = None
    id_number: str | None = Field(None, max_length=30)
    region_code: str = ""
    school_id: int | None = None
    school_name: str = ""
    grade: str = ""
    stage: str = Beneficiary.Stage.HIGH_SCHOOL
    family_situation: str | None = Field(None, max_length=2000)
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    guardian_consent_on: date | None = None
    sensitive_consent_on: date | None = None
    consent_note: str = ""
    graduated_on: date | None = None
    outcome: str = ""
    ended_on: date | None = None


class BeneficiaryRevealOut(Schema):
    id: int
    name: str
    id_number: str
    family_situation: str


class ConsentWithdrawIn(Schema):
    note: str = Field("", max_length=200)


class BeneficiaryQuery(Schema):
    q: str = Field("", max_length=50)
    stage: str = Field("", max_length=20)
    school: str = Field("", max_length=50)


class DisbursementOut(Schema):
    id: int
    sponsorship_id: int
    term: str
    due_on: date
    amount: Decimal
    paid_on: date | None
    reference: str
    donation_id: int | None
    alerted_at: datetime | None


class SponsorshipOut(Schema):
    id: int
    beneficiary_id: int
    sponsor_member_id: int | None
    sponsor_name: str
    campaign_id: int | None
    starts_on: date
    expected_end_on: date | None
    amount_per_term: Decimal
    status: str
    note: str


class SponsorshipDetailOut(SponsorshipOut):
    disbursements: list[DisbursementOut]

    @staticmethod
    def resolve_disbursements(obj: Sponsorship) -> list[Disbursement]:
        return selectors.sponsorship_disbursements(obj)


class SponsorshipIn(Schema):
    """A sponsor — ``sponsor_member_id`` (a member) or ``sponsor_name`` (another donor) — and
    the amount per term in 元 (a string or a number; at most two decimals)."""

    sponsor_member_id: int | None = None
    sponsor_name: str = Field("", max_length=100)
    campaign_id: int | None = None
    starts_on: date
    expected_end_on: date | None = None
    amount_per_term: Decimal | str
    note: str = Field("", max_length=300)


class SponsorshipScheduleIn(Schema):
    until: date | None = None


class SponsorshipCloseIn(Schema):
    status: str
    note: str = Field("", max_length=300)


class DisbursementPayIn(Schema):
    paid_on: date
    reference: str = Field("", max_length=100)


class VisitPhotoOut(Schema):
    id: int
    caption: str


class VisitOut(Schema):
    id: int
    beneficiary_id: int
    visited_on: date
    visitors: str
    notes: str
    photos: list[VisitPhotoOut]

    @staticmethod
    def resolve_photos(obj: Visit) -> list[VisitPhoto]:
        return list(obj.photos.all())


class VisitIn(Schema):
    visited_on: date
    visitors: str = Field(max_length=200)
    notes: str = Field("", max_length=5000)


class AcademicOut(Schema):
    id: int
    beneficiary_id: int
    term: str
    school_name: str
    grade: str
    summary: str
    recorded_on: date


class AcademicIn(Schema):
    term: str = Field(max_length=40)
    summary: str = Field(max_length=300)
    recorded_on: date
    school_name: str = Field("", max_length=100)
    grade: str = Field("", max_length=30)


class DisbursementOverdueOut(DisbursementOut):
    beneficiary_id: int
    sponsor_name: str

    @staticmethod
    def resolve_beneficiary_id(obj: Disbursement) -> int:
        return obj.sponsorship.beneficiary_id

    @staticmethod
    def resolve_sponsor_name(obj: Disbursement) -> str:
        return obj.sponsorship.sponsor_name


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
