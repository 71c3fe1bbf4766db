"""Request and response schemas of the announcements API (names unique across the API)."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

Id = StrictInt


class ReplyFieldIO(Schema):
    key: str = Field("", description="f1、f2 …（提交时忽略，按顺序编号）")
    label: str
    type: str = Field(..., description="text, choice, number 或 yesno")
    required: StrictBool = False
    choices: list[str] = Field(default_factory=list, description="type 为 choice 时的选项")


class AnnouncementIn(Schema):
    title: str
    body: str = Field("", description="正文（HTML，会被净化）")
    audience: str = Field("members", description="members（全体会员）或 rules（指定范围）")
    reply_fields: list[ReplyFieldIO] = Field(
        default_factory=list, description="回执表单；空则无需回执"
    )
    reply_deadline: str | None = Field(
        None, description="回执截止时间，如 2026-12-20T18:00（北京时间）"
    )


class AnnouncementAttachmentOut(Schema):
    id: int
    name: str
    size: int
    created_at: datetime


class AnnouncementOut(Schema):
    id: int
    title: str
    body: str
    audience: str
    status: str
    reply_fields: list[ReplyFieldIO]
    reply_deadline: datetime | None
    created_at: datetime
    sent_at: datetime | None
    reminded_at: datetime | None
    recipient_count: int
    attachments: list[AnnouncementAttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return list(obj.attachments.all())


class AnnouncementRowOut(Schema):
    id: int
    title: str
    status: str
    audience: str
    wants_reply: bool
    reply_deadline: datetime | None
    sent_at: datetime | None
    recipient_count: int
    read_count: int
    reply_count: int


class AnnouncementAudienceOut(Schema):
    audience: str
    rules: int


class ReceiptFiguresOut(Schema):
    people: int
    people_read: int
    members: int
    members_read: int
    replies: int


class MemberReceiptOut(Schema):
    member_id: int
    member_name: str
    member_no: str
    people: int
    people_read: int
    replies: int

    @staticmethod
    def resolve_member_id(obj: Any) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_member_name(obj: Any) -> str:
        return str(obj.name)


class ReceiptQuery(Schema):
    unread: bool = Field(False, description="只列未读")
    member_id: int | None = Field(None, ge=1, le=2**63 - 1)


class PersonReceiptOut(Schema):
    id: int
    name: str
    member_id: int | None
    member_name: str
    user_id: int | None
    read_at: datetime | None
    read_via: str
    replied_at: datetime | None
    answers: dict[str, str]

    @staticmethod
    def resolve_member_name(obj: Any) -> str:
        return obj.member.name if obj.member else ""


class MyAnnouncementOut(Schema):
    id: int
    title: str
    sent_at: datetime | None
    is_read: bool
    has_replied: bool
    needs_reply: bool
    reply_deadline: datetime | None

    @staticmethod
    def resolve_needs_reply(obj: Any) -> bool:
        from shanghui.publishing.announcement_selectors import needs_reply

        return needs_reply(obj)


class MyAnnouncementDetailOut(Schema):
    id: int
    title: str
    body: str
    sent_at: datetime | None
    reply_fields: list[ReplyFieldIO]
    reply_deadline: datetime | None
    reply_open: bool
    read_at: datetime | None
    answers: dict[str, str]
    replied_at: datetime | None
    attachments: list[AnnouncementAttachmentOut]


class ReplyIn(Schema):
    answers: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="按 f1、f2 … 填写；是否题填 yes 或 no"
    )


class ReplyOut(Schema):
    answers: dict[str, str]
    replied_at: datetime | None
