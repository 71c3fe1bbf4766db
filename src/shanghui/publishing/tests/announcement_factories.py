"""Announcements for the tests: a sent one whose recipients are fixed (the worker ran)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import Announcement, AnnouncementRecipient
from shanghui.publishing.receipt_links import receipt_key
from shanghui.publishing.services import announcements as services
from shanghui.testing.worker import run_worker

REPLY_FIELDS = [
    {"label": "是否参加", "type": "yesno", "required": True},
    {"label": "参会人数", "type": "number", "required": True},
    {"label": "午餐", "type": "choice", "required": False, "choices": ["需要", "不需要"]},
    {"label": "备注", "type": "text", "required": False},
]


def draft(association: Association, actor: User, **data: Any) -> Announcement:
    values: dict[str, Any] = {
        "title": "关于召开年会的通知",
        "body": "<p>请各会员单位准时参加。</p>",
    }
    values.update(data)
    with tenant_context(association):
        return services.announcement_create(
            association=association, actor=actor, data=services.AnnouncementInput(**values)
        )


def sent(association: Association, actor: User, *, reply: bool = True, **data: Any) -> Announcement:
    """A sent announcement (with a 回执 due in a week unless ``reply=False``), delivered."""
    if reply:
        data.setdefault("reply_fields", REPLY_FIELDS)
        data.setdefault("reply_deadline", timezone.now() + timedelta(days=7))
    announcement = draft(association, actor, **data)
    with tenant_context(association):
        services.announcement_send(association=association, actor=actor, announcement=announcement)
    run_worker()
    with tenant_context(association):
        announcement.refresh_from_db()
    return announcement


def key_of(recipient: AnnouncementRecipient) -> str:
    return receipt_key(
        association_id=recipient.association_id,
        announcement_id=recipient.announcement_id,
        recipient_id=recipient.pk,
    )
