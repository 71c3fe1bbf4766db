"""The donations ledger's API under /api/v1/associations/{slug}/charity/: the list and its
totals, recording and reversing a gift, its evidence, its acknowledgement (PDF; a member
reads those of the members they represent) and the auditors' export (a background job).
Thin: the same services and selectors as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.charity.acknowledgements import acknowledgement_pdf
from shanghui.charity.ledger_export import JOB_KIND, export_ledger
from shanghui.charity.models import Donation, DonationEvidence
from shanghui.charity.selectors import ledger as selectors
from shanghui.charity.services import donations as donation_services
from shanghui.charity.services import ledger as ledger_services
from shanghui.core.api import JobOut
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import attachment_response
from shanghui.core.jobs import job_start_once
from shanghui.core.storage.files import file_response, held_file

ledger_router = Router(tags=["慈善公益"])
# Fixed paths under /donations/ (totals, exports) are declared before /donations/{donation_id},
# which would otherwise take them for an id.

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class DonationQuery(Schema):
    year: str = ""
    campaign: str = ""
    kind: str = ""
    channel: str = ""
    q: str = ""


class DonationOut(Schema):
    id: int
    kind: str
    kind_label: str
    amount: Decimal
    item: str
    quantity: Decimal | None
    unit: str
    value_basis: str
    donor_kind: str
    donor_name: str
    donor_uscc: str
    donor_member_id: int | None
    donor_person_id: int | None
    donor_group_member_id: int | None
    anonymous: bool
    campaign_id: int | None
    pledge_id: int | None
    channel: str
    channel_label: str
    recipient_id: int | None
    recipient_name: str
    donated_on: date
    official_receipt_no: str
    acknowledgement_no: str
    name_public: bool
    reported_to_parent: bool
    note: str
    reverses_id: int | None
    recorded_by: str
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj: Donation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_channel_label(obj: Donation) -> str:
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_recorded_by(obj: Donation) -> str:
        return obj.recorded_by.name if obj.recorded_by else ""


class DonationIn(Schema):
    kind: str
    amount: Decimal | str
    donated_on: date
    donor_kind: str
    donor_member_id: int | None = None
    donor_group_member_id: int | None = None
    donor_person_id: int | None = None
    donor_name: str = ""
    donor_uscc: str = ""
    anonymous: bool = False
    item: str = ""
    quantity: Decimal | str | None = None
    unit: str = ""
    value_basis: str = ""
    campaign_id: int | None = None
    pledge_id: int | None = None
    channel: str = Donation.Channel.ORGANIZED
    recipient_id: int | None = None
    recipient_name: str = ""
    official_receipt_no: str = ""
    name_public: bool = False
    reported_to_parent: bool = False
    note: str = ""


class LedgerTotalsOut(Schema):
    cash: Decimal
    goods: Decimal
    total: Decimal
    entries: int


class DonationReversalIn(Schema):
    reason: str


class EvidenceOut(Schema):
    id: int
    donation_id: int
    kind: str
    kind_label: str
    caption: str
    name: str
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj: DonationEvidence) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_name(obj: DonationEvidence) -> str:
        return obj.file.name if obj.file_id else ""


def _donation(request: HttpRequest, donation_id: int) -> Donation:
    return selectors.access_donation(
        association=current_association(request),
        actor=signed_in_user(request),
        role=require_member(current_role(request)),
        donation_id=donation_id,
    )


@ledger_router.get(
    "/donations",
    operation_id="shanghui_charity_api_donation_list",
    response={200: list[DonationOut], **ERRORS},
)
@paginate(Pages)
def donation_list(request: HttpRequest, slug: Path[str], filters: Query[DonationQuery]) -> object:
    """The donations ledger (捐赠台账), newest first, reversals included as their own
    negative entries; filters: ``year``, ``campaign`` (an id, or ``none``), ``kind``
    (cash/goods), ``channel`` (organized/reported), ``q`` (donor name, pinyin, credit code,
    acknowledgement or receipt number)."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    return selectors.donations_search(
        association=current_association(request),
        filters=selectors.DonationFilters(**filters.dict()),
    )


@ledger_router.get(
    "/donations/totals",
    operation_id="shanghui_charity_api_donation_totals",
    response={200: LedgerTotalsOut, **ERRORS},
)
def donation_totals(request: HttpRequest, slug: Path[str], filters: Query[DonationQuery]) -> object:
    """The totals of what the same filters select: cash, the value of goods, their sum (the
    ledger's sum, reversals netted out) and the number of gifts that still stand."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    totals = selectors.donations_totals(
        association=current_association(request),
        filters=selectors.DonationFilters(**filters.dict()),
    )
    return {
        "cash": totals.cash,
        "goods": totals.goods,
        "total": totals.total,
        "entries": totals.entries,
    }


@ledger_router.post(
    "/donations/exports",
    operation_id="shanghui_charity_api_donation_export",
    response={202: JobOut, **ERRORS},
)
def donation_export(
    request: HttpRequest, slug: Path[str], filters: DonationQuery
) -> Status[object]:
    """Export the filtered ledger to xlsx for auditors (exact amounts, reversals as their own
    rows, totals underneath) as a background job; poll the job, then fetch its file. One at
    a time per person."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    job, _started = job_start_once(
        association=current_association(request),
        actor=signed_in_user(request),
        kind=JOB_KIND,
        label=_("捐赠台账导出"),
        task=export_ledger,
        params=selectors.DonationFilters(**filters.dict()).__dict__,
        restartable=True,
    )
    return Status(202, job)


@ledger_router.post(
    "/donations",
    operation_id="shanghui_charity_api_donation_record",
    response={201: DonationOut, **ERRORS},
)
def donation_record(request: HttpRequest, slug: Path[str], payload: DonationIn) -> Status[object]:
    """Record a gift: ``kind`` cash (``amount``) or goods (``item``, ``quantity``, ``unit``,
    their value in ``amount`` and ``value_basis``: invoice/market/appraised); the donor by
    ``donor_kind`` — member (``donor_member_id``), group_member, individual
    (``donor_person_id`` or ``donor_name``) or outside (``donor_name``, ``donor_uscc``),
    ``anonymous`` allowed. The platform records gifts; it does not collect money from the
    public."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    data = payload.dict()
    donation = ledger_services.donation_record_input(
        association=current_association(request),
        actor=signed_in_user(request),
        data=ledger_services.DonationData(**data),
    )
    return Status(201, donation)


@ledger_router.get(
    "/donations/{donation_id}",
    operation_id="shanghui_charity_api_donation_get",
    response={200: DonationOut, **ERRORS},
)
def donation_get(request: HttpRequest, slug: Path[str], donation_id: int) -> Donation:
    """One ledger entry (the secretariat; a member: the gifts of the members they
    represent)."""
    return _donation(request, donation_id)


@ledger_router.post(
    "/donations/{donation_id}/reversal",
    operation_id="shanghui_charity_api_donation_reverse",
    response={201: DonationOut, **ERRORS},
)
def donation_reverse(
    request: HttpRequest, slug: Path[str], donation_id: int, payload: DonationReversalIn
) -> Status[object]:
    """Correct a wrong entry with its reversal (the opposite amount and quantity, on the
    original's date); the original stays. Once per entry; a reversal is not reversed."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    donation = _donation(request, donation_id)
    reversal = donation_services.donation_reverse(
        association=current_association(request),
        actor=signed_in_user(request),
        donation=donation,
        reason=payload.reason,
    )
    return Status(201, reversal)


@ledger_router.get(
    "/donations/{donation_id}/evidence",
    operation_id="shanghui_charity_api_evidence_list",
    response={200: list[EvidenceOut], **ERRORS},
)
def evidence_list(request: HttpRequest, slug: Path[str], donation_id: int) -> object:
    """The files proving a gift (receipts, photos)."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    return selectors.donation_evidence(_donation(request, donation_id))


@ledger_router.post(
    "/donations/{donation_id}/evidence",
    operation_id="shanghui_charity_api_evidence_add",
    response={201: EvidenceOut, **ERRORS},
)
def evidence_add(
    request: HttpRequest,
    slug: Path[str],
    donation_id: int,
    file: File[UploadedFile | None] = None,
    kind: Form[str] = DonationEvidence.Kind.RECEIPT,
    caption: Form[str] = "",
) -> Status[object]:
    """Attach a PDF, JPG or PNG (multipart ``file``): ``kind`` receipt (受赠方收据), photo or
    other, with a ``caption``."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    donation = _donation(request, donation_id)
    upload: DjangoUploadedFile | None = file
    evidence = ledger_services.evidence_add(
        association=current_association(request),
        actor=signed_in_user(request),
        donation=donation,
        upload=upload,
        kind=kind,
        caption=caption,
    )
    return Status(201, evidence)


@ledger_router.get(
    "/evidence/{evidence_id}/file",
    operation_id="shanghui_charity_api_evidence_file",
    response={200: None, **ERRORS},
)
def evidence_file(request: HttpRequest, slug: Path[str], evidence_id: int) -> StreamingHttpResponse:
    """An evidence file's content."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    association = current_association(request)
    evidence = selectors.access_evidence(association=association, evidence_id=evidence_id)
    stored = held_file(association, evidence.file_id)
    if stored is None:
        raise Http404
    return file_response(association, stored)


@ledger_router.get(
    "/donations/{donation_id}/acknowledgement",
    operation_id="shanghui_charity_api_acknowledgement",
    response={200: None, **ERRORS},
    openapi_extra=PDF_RESPONSE,
)
def acknowledgement(request: HttpRequest, slug: Path[str], donation_id: int) -> HttpResponse:
    """The acknowledgement (捐赠证明/感谢信) as PDF, amount in 大写, numbered ("JZ2026-000001")
    the first time it is issued. Not a 公益事业捐赠统一票据. A member gets those of the
    members they represent."""
    donation = _donation(request, donation_id)
    if donation.is_reversal:
        raise Http404
    association = current_association(request)
    donation = ledger_services.acknowledgement_number(
        association=association, actor=signed_in_user(request), donation=donation
    )
    pdf = acknowledgement_pdf(association=association, donation=donation)
    return attachment_response(pdf.content, pdf.filename)
