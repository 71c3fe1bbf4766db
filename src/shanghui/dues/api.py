"""The dues API under /api/v1/associations/{slug}/dues/…. Endpoints are thin and call the same
services and selectors as the pages. The secretariat (``members.manage``) manages everything;
a member reads only the bills, receipts and certificates of the members they represent."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.api import JobOut
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import attachment_response
from shanghui.core.jobs import job_start, job_start_once
from shanghui.core.pdf import PdfFile
from shanghui.dues import selectors, services
from shanghui.dues.models import DuesBill, DuesPolicy, Payment
from shanghui.dues.pdf import certificate_pdf, receipt_pdf
from shanghui.dues.tasks import export_arrears, generate_bills
from shanghui.members.models import Level

dues_router = Router(tags=["会费"])

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _pdf(pdf: PdfFile) -> HttpResponse:
    return attachment_response(pdf.content, pdf.filename)


# --- Schemas ----------------------------------------------------------------------------


class ScheduleOut(Schema):
    level_id: int
    level_name: str
    year: int
    amount: Decimal
    is_default: bool


class ScheduleIn(Schema):
    level_id: int
    year: int
    amount: Decimal | str


class PolicyOut(Schema):
    arrears_after_days: int
    due_month: int
    due_day: int
    payee_note: str


class PolicyIn(Schema):
    arrears_after_days: int
    due_month: int
    due_day: int
    payee_note: str = ""


class BillRunIn(Schema):
    year: int
    due_on: date | None = None


class PaymentOut(Schema):
    id: int
    bill_id: int
    amount: Decimal
    method: str
    method_label: str
    paid_on: date
    reference: str
    note: str
    receipt_no: str
    reverses_id: int | None
    recorded_by: str
    created_at: datetime

    @staticmethod
    def resolve_method_label(obj: Payment) -> str:
        return str(obj.get_method_display())

    @staticmethod
    def resolve_recorded_by(obj: Payment) -> str:
        return obj.recorded_by.name if obj.recorded_by else ""


class BillOut(Schema):
    id: int
    member_id: int
    member_name: str
    member_no: str
    level_id: int | None
    level_name: str
    year: int
    amount: Decimal
    paid_amount: Decimal
    outstanding: Decimal
    due_on: date
    status: str
    status_label: str
    status_reason: str
    last_reminded_at: datetime | None

    @staticmethod
    def resolve_member_name(obj: DuesBill) -> str:
        return obj.member.name

    @staticmethod
    def resolve_member_no(obj: DuesBill) -> str:
        return obj.member.member_no

    @staticmethod
    def resolve_level_name(obj: DuesBill) -> str:
        return obj.level.name if obj.level else ""

    @staticmethod
    def resolve_status_label(obj: DuesBill) -> str:
        return str(obj.get_status_display())


class BillDetailOut(BillOut):
    payments: list[PaymentOut]

    @staticmethod
    def resolve_payments(obj: DuesBill) -> list[Payment]:
        return selectors.bill_payments(obj)


class BillQuery(Schema):
    year: str = ""
    status: str = ""
    level: str = ""
    q: str = ""
    overdue: str = ""


class ArrearsQuery(Schema):
    year: str = ""
    level: str = ""
    q: str = ""
    min_days: str = ""


class RemindIn(Schema):
    """The bills to remind: ``bill_ids``, or every bill of the arrears list that ``filters``
    select (``{}`` for the whole list)."""

    bill_ids: list[StrictInt] | None = Field(None, max_length=1000)
    filters: ArrearsQuery | None = None


class RemindOut(Schema):
    """What happened to each bill (ids): reminded now, or skipped — reminded within the last
    seven days, nobody to reach (no representative or contact with a phone or email), or not
    an open bill past its due date."""

    reminded: list[int]
    recent: list[int]
    no_contact: list[int]
    not_overdue: list[int]


class PaymentIn(Schema):
    amount: Decimal | str
    method: str
    paid_on: date
    reference: str = ""
    note: str = ""


class ReasonIn(Schema):
    reason: str


class CloseIn(Schema):
    status: str
    reason: str


class CheckoutOut(Schema):
    provider: str
    url: str
    reference: str


# --- Schedules and policy ---------------------------------------------------------------


@dues_router.get("/schedules", response={200: list[ScheduleOut], **ERRORS})
def schedule_list(request: HttpRequest, slug: Path[str], year: int | None = None) -> object:
    """Every active level's dues for ``year`` (default: this year): the schedule where one is
    set, otherwise the level's annual fee (``is_default``)."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    rows = selectors.schedule_rows(
        association=current_association(request),
        year=services.validate_year(year if year is not None else timezone.localdate().year),
    )
    return [
        {
            "level_id": r.level.pk,
            "level_name": r.level.name,
            "year": r.year,
            "amount": r.amount,
            "is_default": r.is_default,
        }
        for r in rows
    ]


@dues_router.put("/schedules", response={200: ScheduleOut, **ERRORS})
def schedule_set(request: HttpRequest, slug: Path[str], payload: ScheduleIn) -> object:
    """Set one level's dues for one year (administrator). Bills already issued keep their
    amount."""
    require_perm(current_role(request), Perm.EDIT_SETTINGS)
    association = current_association(request)
    level = (
        Level.objects.filter(association=association, pk=payload.level_id).first()
        if 0 < payload.level_id < 2**63
        else None
    )
    if level is None:
        raise Http404
    schedule = services.fee_schedule_set(
        association=association,
        actor=signed_in_user(request),
        level=level,
        year=payload.year,
        amount=payload.amount,
    )
    return {
        "level_id": level.pk,
        "level_name": level.name,
        "year": schedule.year,
        "amount": schedule.amount,
        "is_default": False,
    }


@dues_router.get("/policy", response={200: PolicyOut, **ERRORS})
def policy_detail(request: HttpRequest, slug: Path[str]) -> DuesPolicy:
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    return services.dues_policy(current_association(request))


@dues_router.put("/policy", response={200: PolicyOut, **ERRORS})
def policy_update(request: HttpRequest, slug: Path[str], payload: PolicyIn) -> DuesPolicy:
    """When an overdue bill turns a member into 欠费, and the default due date of new bills
    (administrator)."""
    require_perm(current_role(request), Perm.EDIT_SETTINGS)
    return services.dues_policy_update(
        association=current_association(request), actor=signed_in_user(request), **payload.dict()
    )


# --- Bills ------------------------------------------------------------------------------


@dues_router.post("/bill-runs", response={202: JobOut, **ERRORS})
def bill_run_start(request: HttpRequest, slug: Path[str], payload: BillRunIn) -> Status[object]:
    """Issue the year's bills to every member in good standing (or in arrears) who has a
    level, as a background job; poll the job for progress. Idempotent: members already billed
    for the year are skipped."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    association = current_association(request)
    year = services.validate_year(payload.year)
    year, due_on = services.validate_bill_run(
        year=year, due_on=payload.due_on or services.default_due_on(association, year)
    )
    job = job_start(
        association=association,
        actor=signed_in_user(request),
        kind="dues.generate",
        label=_("生成 %(year)d 年度会费账单") % {"year": year},
        task=generate_bills,
        restartable=True,  # idempotent: members already billed are skipped
        year=year,
        due_on=due_on.isoformat(),
    )
    return Status(202, job)


@dues_router.get("/bills", response={200: list[BillOut], **ERRORS})
@paginate(Pages)
def bill_list(request: HttpRequest, slug: Path[str], filters: Query[BillQuery]) -> object:
    """Bills, newest year first. The secretariat sees every bill; a member sees only the bills
    of the members they represent."""
    role = require_member(current_role(request))
    association = current_association(request)
    member_ids = (
        None
        if selectors.manages_dues(role)
        else selectors.my_member_ids(association=association, user=signed_in_user(request))
    )
    return selectors.bills_search(
        association=association,
        filters=selectors.BillFilters(**filters.dict()),
        member_ids=member_ids,
    )


def _bill(request: HttpRequest, bill_id: int) -> DuesBill:
    role = require_member(current_role(request))
    return selectors.access_bill(
        association=current_association(request),
        actor=signed_in_user(request),
        role=role,
        bill_id=bill_id,
    )


@dues_router.get("/bills/{bill_id}", response={200: BillDetailOut, **ERRORS})
def bill_detail(request: HttpRequest, slug: Path[str], bill_id: int) -> DuesBill:
    """One bill with its payment ledger (payments and reversals)."""
    return _bill(request, bill_id)


@dues_router.post("/bills/{bill_id}/payments", response={201: PaymentOut, **ERRORS})
def payment_create(
    request: HttpRequest, slug: Path[str], bill_id: int, payload: PaymentIn
) -> Status[object]:
    """Record a bank transfer (``bank_transfer``) or cash (``cash``) payment. Partial payments
    are allowed; more than is still owed is refused (400), also under concurrent requests."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    bill = _bill(request, bill_id)
    payment = services.payment_record(
        association=current_association(request),
        actor=signed_in_user(request),
        bill=bill,
        **payload.dict(),
    )
    return Status(201, payment)


@dues_router.post("/bills/{bill_id}/close", response={200: BillOut, **ERRORS})
def bill_close(request: HttpRequest, slug: Path[str], bill_id: int, payload: CloseIn) -> DuesBill:
    """Waive what is still owed (``waived``) or cancel a bill without payments
    (``cancelled``), with a reason."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    bill = _bill(request, bill_id)
    return services.bill_close(
        association=current_association(request),
        actor=signed_in_user(request),
        bill=bill,
        status=payload.status,
        reason=payload.reason,
    )


@dues_router.post("/bills/{bill_id}/online-payments", response={201: CheckoutOut, **ERRORS})
def online_payment_create(request: HttpRequest, slug: Path[str], bill_id: int) -> Status[object]:
    """Start paying a bill online. Answers 400 "暂未开通在线支付" while no payment provider is
    connected."""
    bill = _bill(request, bill_id)
    checkout = services.online_payment_start(
        association=current_association(request), actor=signed_in_user(request), bill=bill
    )
    return Status(201, checkout)


@dues_router.get(
    "/bills/{bill_id}/certificate", response={200: None, **ERRORS}, openapi_extra=PDF_RESPONSE
)
def certificate(request: HttpRequest, slug: Path[str], bill_id: int) -> HttpResponse:
    """The membership certificate (会员证书) for a paid or waived bill's year, as PDF."""
    bill = _bill(request, bill_id)
    return _pdf(certificate_pdf(association=current_association(request), bill=bill))


# --- Payments ---------------------------------------------------------------------------


def _payment(request: HttpRequest, payment_id: int) -> Payment:
    role = require_member(current_role(request))
    return selectors.access_payment(
        association=current_association(request),
        actor=signed_in_user(request),
        role=role,
        payment_id=payment_id,
    )


@dues_router.post("/payments/{payment_id}/reversal", response={201: PaymentOut, **ERRORS})
def payment_reversal(
    request: HttpRequest, slug: Path[str], payment_id: int, payload: ReasonIn
) -> Status[object]:
    """Correct a wrongly recorded payment with a reversing entry; the original stays."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    payment = _payment(request, payment_id)
    reversal = services.payment_reverse(
        association=current_association(request),
        actor=signed_in_user(request),
        payment=payment,
        reason=payload.reason,
    )
    return Status(201, reversal)


@dues_router.get(
    "/payments/{payment_id}/receipt", response={200: None, **ERRORS}, openapi_extra=PDF_RESPONSE
)
def receipt(request: HttpRequest, slug: Path[str], payment_id: int) -> HttpResponse:
    """The receipt (收据) of a payment as PDF, with the amount in Chinese uppercase (大写)."""
    payment = _payment(request, payment_id)
    if payment.is_reversal:
        raise Http404
    return _pdf(receipt_pdf(association=current_association(request), payment=payment))


# --- Arrears ----------------------------------------------------------------------------


@dues_router.get("/arrears", response={200: list[BillOut], **ERRORS})
@paginate(Pages)
def arrears_list(request: HttpRequest, slug: Path[str], filters: Query[ArrearsQuery]) -> object:
    """The arrears list (欠费名单): open bills past their due date, longest overdue first.
    ``min_days`` keeps bills overdue by at least that many days."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    return selectors.arrears_search(
        association=current_association(request),
        filters=selectors.BillFilters(**filters.dict()),
    )


@dues_router.post("/arrears/reminders", response={200: RemindOut, **ERRORS})
def arrears_remind(request: HttpRequest, slug: Path[str], payload: RemindIn) -> object:
    """催缴: remind the members owing the given bills (or every bill the arrears filters
    select) by SMS, WeChat and email, sent from the outbox by a worker. Each bill at most once
    every seven days — the rule of the daily reminders; skipped bills are listed with why."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    association = current_association(request)
    if payload.filters is not None and payload.bill_ids is None:
        filters = selectors.BillFilters(**payload.filters.dict())
        qs = selectors.arrears_search(association=association, filters=filters)
        bill_ids = list(qs.values_list("id", flat=True))
    elif payload.filters is None and payload.bill_ids:
        bill_ids = payload.bill_ids
    else:
        raise ValidationError(
            {"bill_ids": _("请给出要催缴的账单（bill_ids）或筛选条件（filters），二者选一")}
        )
    return services.bills_remind(
        association=association, actor=signed_in_user(request), bill_ids=bill_ids
    )


@dues_router.post("/arrears/exports", response={202: JobOut, **ERRORS})
def arrears_export(request: HttpRequest, slug: Path[str], filters: ArrearsQuery) -> Status[object]:
    """Export the filtered arrears list to xlsx as a background job (administrators only: it
    holds phone numbers). One at a time per person: while one of yours is queued or running,
    that job is answered and no other is started."""
    require_perm(current_role(request), Perm.EXPORT_MEMBERS)
    job, _started = job_start_once(
        association=current_association(request),
        actor=signed_in_user(request),
        kind="dues.arrears_export",
        label=_("欠费名单导出"),
        task=export_arrears,
        params=selectors.BillFilters(**filters.dict()).__dict__,
        restartable=True,
    )
    return Status(202, job)
