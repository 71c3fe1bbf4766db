"""The demo's announcements (called from this app's ``demo.seed``): in the provincial
chamber, notices sent to all members and to the council with partial read receipts and
replies — one whose 回执 closes next week, still unread by the demo member — an older one
whose 回执 has closed, and a draft. Written directly (no messages go out from a seed): the
recipients fixed as the send's worker fixes them, then a share of them marked read."""

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from shanghui.core.audience import AudienceChoice, audience_rules_replace
from shanghui.core.demo import PROVINCIAL, DemoContext
from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import ANNOUNCEMENT_TYPE, Announcement, AnnouncementRecipient
from shanghui.publishing.services import announcements as services

MEETING_FIELDS = [
    {"label": "是否参加", "type": "yesno", "required": True},
    {"label": "参会人数", "type": "number", "required": True},
    {"label": "住宿", "type": "choice", "required": False, "choices": ["需要", "不需要"]},
    {"label": "备注", "type": "text", "required": False},
]
COUNCIL_FIELDS = [
    {"label": "是否出席", "type": "yesno", "required": True},
    {"label": "委托出席人", "type": "text", "required": False},
]


def seed(ctx: DemoContext) -> None:
    association = ctx.associations.get(PROVINCIAL.slug)
    if association is None:
        return
    admin = ctx.users.get(PROVINCIAL.admin_phone)
    member_user = ctx.users.get(PROVINCIAL.member_phone)
    rng = random.Random("shanghui-demo:announcements")
    now = timezone.now()
    with tenant_context(association):
        if Announcement.objects.filter(association=association).exists():
            return
        congress = _sent(
            association, admin,
            title="关于召开2027年会员代表大会的通知",
            body="<p>各会员单位：</p><p>经会长办公会研究，定于下月中旬召开2027年会员代表大会，"
            "审议年度工作报告和财务报告。请各会员单位于回执截止前填写回执。</p>",
            fields=MEETING_FIELDS, deadline=now + timedelta(days=7),
            sent_at=now - timedelta(days=2),
        )  # fmt: skip
        _receipts(congress, rng, read=0.35, replied=0.4, skip_user=member_user)
        council = _sent(
            association, admin,
            title="关于召开第三届理事会第五次会议的通知",
            body="<p>请各位理事准时出席，不能出席的请写明委托出席人。</p>",
            fields=COUNCIL_FIELDS, deadline=now - timedelta(days=20),
            sent_at=now - timedelta(days=30), council=True,
        )  # fmt: skip
        _receipts(council, rng, read=0.8, replied=0.7)
        holiday = _sent(
            association, admin,
            title="2027年春节放假安排",
            body="<p>秘书处春节期间放假安排如下，如有急事请联系值班人员。</p>",
            fields=[], deadline=None, sent_at=now - timedelta(days=10),
        )  # fmt: skip
        _receipts(holiday, rng, read=0.6, replied=0.0)
        Announcement.objects.create(
            association=association,
            title="关于组织赴赣考察的通知（草稿）",
            body="<p>拟于明年春季组织会员企业赴江西考察，具体行程待定。</p>",
            created_by=admin,
        )


def _sent(
    association: Any,
    admin: Any,
    *,
    title: str,
    body: str,
    fields: list[dict[str, Any]],
    deadline: datetime | None,
    sent_at: datetime,
    council: bool = False,
) -> Announcement:
    announcement = Announcement.objects.create(
        association=association,
        title=title,
        body=body,
        audience=Announcement.Audience.RULES if council else Announcement.Audience.MEMBERS,
        status=Announcement.Status.SENT,
        reply_fields=services.reply_fields_clean(fields),
        reply_deadline=deadline,
        created_by=admin,
        sent_by=admin,
        sent_at=sent_at,
    )
    if council:
        audience_rules_replace(
            association=association,
            owner_type=ANNOUNCEMENT_TYPE,
            owner_id=announcement.pk,
            choices=[AudienceChoice("council", [], chosen=True)],
        )
    services.recipients_fix(association=association, announcement=announcement)
    announcement.refresh_from_db()
    return announcement


def _receipts(
    announcement: Announcement,
    rng: random.Random,
    *,
    read: float,
    replied: float,
    skip_user: Any = None,
) -> None:
    """Marks a share ``read`` of the recipients read (in the app or by the SMS link) and a
    share ``replied`` of those readers as having replied."""
    rows = list(
        AnnouncementRecipient.objects.filter(announcement=announcement).values_list("pk", "user_id")
    )
    skipped = skip_user.pk if skip_user is not None else None
    readers = [pk for pk, user_id in rows if rng.random() < read and user_id != skipped]
    sent_at = announcement.sent_at or timezone.now()
    by_link = [pk for pk in readers if rng.random() < 0.7]
    for via, ids in (("link", by_link), ("inbox", sorted(set(readers) - set(by_link)))):
        for start in range(0, len(ids), 1000):
            AnnouncementRecipient.objects.filter(pk__in=ids[start : start + 1000]).update(
                read_at=sent_at + timedelta(hours=rng.randint(1, 40)), read_via=via
            )
    if not announcement.reply_fields:
        return
    repliers = [pk for pk in readers if rng.random() < replied][:2000]
    updates = []
    for pk in repliers:
        answers: dict[str, str] = {}
        for field in announcement.reply_fields:
            if field["type"] == "yesno":
                answers[field["key"]] = rng.choice(["yes", "yes", "yes", "no"])
            elif field["type"] == "number":
                answers[field["key"]] = str(rng.randint(1, 3))
            elif field["type"] == "choice":
                answers[field["key"]] = rng.choice(field["choices"])
            else:
                answers[field["key"]] = ""
        updates.append(
            AnnouncementRecipient(
                pk=pk, answers=answers, replied_at=sent_at + timedelta(hours=rng.randint(2, 48))
            )
        )
    AnnouncementRecipient.objects.bulk_update(updates, ["answers", "replied_at"], batch_size=500)
