"""Request and response schemas of the events API (names unique across the whole API)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from shanghui.accounts.permissions import personal_data_unmasked
from shanghui.core.phone import mask_mobile
from shanghui.events import tickets
from shanghui.events.models import EVENT_TYPE, Event, Registration
from shanghui.events.presenters import registrant_phone, registrant_phone_unmasked

Id = StrictInt


class EventIn(Schema):
    title: str = Field(..., description="活动名称")
    starts_at: str = Field(..., description="开始时间，如 2026-12-20T09:00（北京时间）")
    ends_at: str = Field(..., description="结束时间")
    kind: str = Field(
        "other",
        description="annual_meeting, council, president_office, forum, "
        "study_tour, social, training, other",
    )
    summary: str = ""
    description: str = Field("", description="详细介绍（HTML，会被净化）")
    venue: str = ""
    address: str = ""
    online_url: str = ""
    organizer: str = ""
    speakers: str = ""
    audience: str = Field("members", description="public, members 或 chosen")
    registration_opens_at: str | None = None
    registration_closes_at: str | None = None
    capacity: StrictInt | None = Field(None, ge=0, le=100_000)
    requires_approval: StrictBool = False
    fee: str = "0"
    max_companions: StrictInt = Field(0, ge=0, le=20)
    questions: list[str] = Field(default_factory=list, description="报名问题；以 * 结尾为必填")
    quorum_rule: str = Field("", description="'', majority 或 two_thirds")
    min_sessions_for_certificate: StrictInt = Field(0, ge=0, le=500)
    organizing_committee_id: StrictInt | None = Field(None, ge=1, le=2**63 - 1)


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    summary: str
    status: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    address: str
    online_url: str
    audience: str
    capacity: int | None
    seats_taken: int
    seats_left: int | None
    requires_approval: bool
    fee: Decimal
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj: Event) -> str:
        # The member of the choices itself: get_kind_display() rebuilds all the choices' lazy
        # labels for each row.
        return str(Event.Kind(obj.kind).label) if obj.kind in Event.Kind.values else obj.kind


class EventQuestionOut(Schema):
    key: str
    label: str
    required: bool


class EventDetailOut(EventOut):
    description: str
    organizer: str
    speakers: str
    max_companions: int
    questions: list[EventQuestionOut]
    quorum_rule: str
    min_sessions_for_certificate: int


class EventCancelIn(Schema):
    reason: str = ""


class EventAudienceOut(Schema):
    audience: str
    rules: int


class TicketTypeIn(Schema):
    name: str
    price: str = "0"
    capacity: StrictInt | None = Field(None, ge=0, le=100_000)


class TicketTypePatch(Schema):
    """Only the fields sent change; ``capacity`` null lifts the limit."""

    name: str | None = None
    price: str | None = None
    capacity: StrictInt | None = Field(None, ge=0, le=100_000)


class TicketTypeOut(Schema):
    id: int
    name: str
    price: Decimal
    capacity: int | None
    seats_taken: int


class EventSessionIn(Schema):
    title: str
    starts_at: str
    ends_at: str | None = None
    location: str = ""
    speaker: str = ""


class EventSessionPatch(Schema):
    """Only the fields sent change."""

    title: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    location: str | None = None
    speaker: str | None = None


class EventSessionOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    location: str
    speaker: str


class CalendarSettingsIO(Schema):
    publish_calendar: StrictBool


class RegistrationIn(Schema):
    companions: StrictInt = Field(0, ge=0, le=20)
    answers: dict[str, str] = Field(default_factory=dict)
    ticket_type_id: StrictInt | None = Field(None, ge=1, le=2**63 - 1)
    on_behalf: StrictBool = Field(False, description="秘书处代为报名：填写 name、phone")
    name: str = ""
    phone: str = ""
    company: str = ""


class RegistrationOut(Schema):
    id: int
    event_id: int
    status: str
    status_label: str
    name: str
    phone: str = Field(
        ...,
        description="手机号；除本人和有导出权限者外均打码（138****5678），"
        "秘书处可通过 …/reveal 查看完整号码",
    )
    phone_masked: bool
    company: str
    member_id: int | None
    ticket_type_id: int | None
    companions: int
    seats: int
    answers: dict[str, Any]
    fee_paid: bool
    code: str
    created_at: datetime

    @staticmethod
    def resolve_status_label(obj: Registration) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_phone(obj: Registration, context: dict[str, Any]) -> str:
        return registrant_phone(obj, **_sight(obj, context))

    @staticmethod
    def resolve_phone_masked(obj: Registration, context: dict[str, Any]) -> bool:
        return bool(obj.phone) and not registrant_phone_unmasked(obj, **_sight(obj, context))

    @staticmethod
    def resolve_code(obj: Registration) -> str:
        return tickets.display_code(obj.code)


def _sight(obj: Registration, context: dict[str, Any]) -> dict[str, Any]:
    """Who is looking (the caller's role) and whether this registration was revealed to them
    (``registration_reveal`` marks it; that read is audited)."""
    request = context["request"]
    return {"role": getattr(request, "role", None), "revealed": getattr(obj, "revealed", False)}


class RegistrationQuery(Schema):
    status: str = ""
    q: str = ""


class RegistrationPaidIn(Schema):
    paid: StrictBool


class EventTicketOut(Schema):
    registration_id: int
    event_id: int
    event_title: str
    name: str
    code: str
    qr_text: str
    qr_svg: str


class CheckinListIn(Schema):
    name: str


class CheckinListPatch(Schema):
    name: str


class CheckinListOut(Schema):
    id: int
    name: str
    session_id: int | None
    expected: int
    arrived: int
    present: int


class CheckinIn(Schema):
    code: str = Field(..., description="扫到的二维码内容、签到码或手机号")
    companion: StrictInt = Field(0, ge=0, le=20, description="0 为本人，1 起为随行人员")


class CheckinOut(Schema):
    created: bool
    registration_id: int
    name: str
    company: str
    level: str
    companion: int
    companions: int
    checked_in_at: datetime
    checked_out_at: datetime | None
    arrived: int
    expected: int
    photo_url: str | None = Field(
        None, description="照片地址（仅秘书处和签到员可取），无照片为 null"
    )


class CheckinStaffIn(Schema):
    phone: str = Field(..., description="须为已开通本会账号的手机号")


class CheckinStaffOut(Schema):
    id: int
    user_id: int
    name: str
    phone: str
    created_at: datetime

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user.name)

    @staticmethod
    def resolve_phone(obj: Any, context: dict[str, Any]) -> str:
        """Masked unless the caller may export (the one rule for personal data)."""
        phone = str(obj.user.phone or "")
        if personal_data_unmasked(getattr(context["request"], "role", None)):
            return phone
        return mask_mobile(phone)


class EventNoticeOut(Schema):
    id: int
    event_id: int | None
    subject: str
    text: str
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_read(obj: Any) -> bool:
        return obj.read_at is not None

    @staticmethod
    def resolve_event_id(obj: Any) -> int | None:
        # An inbox message (core.InboxMessage) names its event by type and id.
        return obj.target_id if obj.target_type == EVENT_TYPE else None


class EventNoticeQuery(Schema):
    unread: bool = False


class EventNoticesReadIn(Schema):
    ids: list[Id] | None = Field(None, description="要标为已读的通知；不传则全部标为已读")


class EventNoticesReadOut(Schema):
    marked: int
    unread: int


class CalendarFeedOut(Schema):
    url: str = Field(..., description="日历订阅地址（https），仅供本人使用")
    webcal_url: str = Field(..., description="同一地址的 webcal:// 形式，iPhone 点开即订阅")


class AttendanceRowOut(Schema):
    registration_id: int
    name: str
    company: str
    attended: bool


class AttendanceOut(Schema):
    registered: int
    attended: int
    rate: int
    companions_arrived: int
    rows: list[AttendanceRowOut]


class MemberActivityOut(Schema):
    member_id: int
    name: str
    level: str
    registered: int
    attended: int


class QuorumOut(Schema):
    rule: str
    council_size: int
    present: int
    required: int
    reached: bool


class MinutesIO(Schema):
    body: str


class ResolutionIn(Schema):
    title: str
    text: str = ""
    votes_for: StrictInt = Field(0, ge=0, le=100_000)
    votes_against: StrictInt = Field(0, ge=0, le=100_000)
    votes_abstain: StrictInt = Field(0, ge=0, le=100_000)
    passed: StrictBool = False


class ResolutionOut(Schema):
    id: int
    title: str
    text: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    passed: bool


class FeedbackIn(Schema):
    rating: StrictInt = Field(..., ge=1, le=5)
    comment: str = ""


class FeedbackOut(Schema):
    id: int
    rating: int
    comment: str
    created_at: datetime


class FeedbackSummaryOut(Schema):
    count: int
    average: float | None
    distribution: dict[str, int]
    comments: list[FeedbackOut]


class EventDocumentOut(Schema):
    id: int
    kind: str
    name: str
    created_at: datetime


class EventCheckoutOut(Schema):
    provider: str
    url: str
    reference: str
