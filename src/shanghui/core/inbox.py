"""The in-app inbox (站内通知) of the notification center: ``core.models.InboxMessage``.

A message reaches someone's inbox through ``notifications.notify``/``notify_many`` when the
caller names the recipient's account (``user_id``) — the same text as their SMS, in the same
insert as the outbox — or through ``inbox_post_many`` for what is in-app only (a door
volunteer's assignment). Reading, counting and marking read are here; the pages that list the
inbox call these."""

from collections.abc import Iterable
from typing import TypedDict

from django.db.models import QuerySet
from django.utils import timezone

from shanghui.core.models import InboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Account, Tenant

MAX_ID = 2**63 - 1
SUBJECT_LIMIT = InboxMessage._meta.get_field("subject").max_length or 200
TEXT_LIMIT = InboxMessage._meta.get_field("text").max_length or 500


class InboxItem(TypedDict):
    """One message for one account's inbox, as ``inbox_post_many`` takes it."""

    user_id: int
    subject: str
    text: str
    target_type: str  # what it is about ("events.event"), or ""
    target_id: int | None


def inbox_message(*, association: Tenant, item: InboxItem) -> InboxMessage:
    """The unsaved row of ``item`` (subject and text cut to the columns' length)."""
    return InboxMessage(
        association_id=association.pk,
        user_id=item["user_id"],
        target_type=item["target_type"] if item["target_id"] is not None else "",
        target_id=item["target_id"],
        subject=item["subject"][:SUBJECT_LIMIT],
        text=item["text"][:TEXT_LIMIT],
    )


def inbox_post_many(*, association: Tenant, items: Iterable[InboxItem]) -> None:
    """Puts ``items`` into their recipients' inboxes in one insert, in the caller's
    transaction. For in-app-only messages; a message also sent by SMS or email goes through
    ``notify`` with the recipient's ``user_id``."""
    rows = [inbox_message(association=association, item=item) for item in items]
    if rows:
        with tenant_context(association):
            InboxMessage.objects.bulk_create(rows)


def inbox_of(*, association: Tenant, user: Account) -> QuerySet[InboxMessage]:
    """The person's inbox in ``association``, newest first."""
    return InboxMessage.objects.filter(association=association.pk, user=user.pk)


def unread_count(user: Account | None, association: Tenant) -> int:
    """How many of the person's messages in ``association`` are unread; 0 for a visitor."""
    if user is None or not user.is_authenticated:
        return 0
    return InboxMessage.objects.filter(
        association=association.pk, user=user.pk, read_at__isnull=True
    ).count()


def inbox_mark_read(
    *, association: Tenant, actor: Account, ids: Iterable[int] | None = None
) -> int:
    """Marks the person's own unread messages as read — all of them, or those of ``ids``
    (others' ids change nothing) — and answers how many changed. Not audit-logged: reading
    one's own messages changes nothing of the association's."""
    unread = InboxMessage.objects.filter(
        association=association.pk, user=actor.pk, read_at__isnull=True
    )
    if ids is not None:
        unread = unread.filter(pk__in=[i for i in ids if isinstance(i, int) and 0 < i <= MAX_ID])
    return unread.update(read_at=timezone.now())
