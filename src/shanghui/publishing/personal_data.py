"""What the publishing app keeps about a person, for their personal-data export (collected by
``accounts.personal_data``, which describes the contract): which articles not meant for
everyone they read, and when (``ArticleRead``); the announcements that reached them, when and
how they read each, and their 回执 (``AnnouncementRecipient``). Removed as the account is
deleted: a read receipt and a reply are the person's, not the association's register."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.members.models import Person
from shanghui.publishing.models import AnnouncementRecipient, ArticleRead
from shanghui.publishing.services.announcements import answer_display


def association_ids(user: User) -> set[int]:
    """Inside the person's ``person_context``."""
    reads = ArticleRead.objects.filter(user=user).values_list("association_id", flat=True)
    reached = AnnouncementRecipient.objects.filter(user=user).values_list(
        "association_id", flat=True
    )
    return set(reads.distinct()) | set(reached.distinct())


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    reads = (
        ArticleRead.objects.filter(association=association, user=user)
        .select_related("article")
        .order_by("read_at", "id")
    )
    return {
        _("资讯阅读记录"): [
            {_("资讯"): r.article.title, _("首次阅读时间"): r.read_at} for r in reads
        ],
        **_announcement_tables(association=association, user=user),
    }


def erase(*, association: Association, user: User) -> None:
    """As the account is deleted: the records of what they read go."""
    ArticleRead.objects.filter(association=association, user=user).delete()
    _recipient_rows(association=association, user=user).delete()


def _recipient_rows(*, association: Association, user: User) -> Any:
    people = Person.objects.filter(association=association, user=user).values("pk")
    return AnnouncementRecipient.objects.filter(
        Q(user=user) | Q(person__in=people), association=association
    )


def _announcement_tables(
    *, association: Association, user: User
) -> dict[str, list[dict[str, Any]]]:
    rows = _recipient_rows(association=association, user=user).select_related(
        "announcement", "member"
    )
    return {
        _("通知阅读与回执"): [
            {
                _("通知"): r.announcement.title,
                _("发送时间"): r.announcement.sent_at,
                _("姓名"): r.name,
                _("会员单位"): r.member.name if r.member else "",
                _("阅读时间"): r.read_at,
                _("阅读方式"): r.get_read_via_display(),
                _("回执"): "；".join(
                    f"{f['label']}：{answer_display(f, r.answers.get(f['key'], ''))}"
                    for f in r.announcement.reply_fields
                    if r.answers.get(f["key"])
                ),
                _("回执时间"): r.replied_at,
            }
            for r in rows.order_by("pk")
        ]
    }
