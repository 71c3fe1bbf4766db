"""The request and response bodies of the dues API."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import StrictInt

from shanghui.dues import selectors
from shanghui.dues.models import DuesBill, Payment


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
