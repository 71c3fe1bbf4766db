"""The in-app inbox (站内通知) of the notification center: ``core.models.InboxMessage``.

A message reaches someone's inbox through ``notifications.notify``/``notify_many`` when the
caller names the recipient's account (``user_id``) — the same text as their SMS, in the same
insert as the outbox — or through ``inbox_post_many`` for what is in-app only (a door
volunteer's assignment). Reading, counting and marking read are here; the pages that list the
inbox call these."""

from collections.abc import Iterable
from typing import Any, NotRequired, TypedDict

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from shanghui.core.models import InboxMessage
from shanghui.core.notify.kinds import kinds_of_module
from shanghui.core.tenancy import (
    clear_person,
    person_context,
    scopes_disabled,
    set_person,
    tenant_context,
)
from shanghui.core.types import Account, Tenant

MAX_ID = 2**63 - 1
SUBJECT_LIMIT = InboxMessage._meta.get_field("subject").max_length or 200
TEXT_LIMIT = InboxMessage._meta.get_field("text").max_length or 500
LINK_LIMIT = InboxMessage._meta.get_field("link").max_length or 500


class InboxItem(TypedDict):
    """One message for one account's inbox, as ``inbox_message`` and ``inbox_post_many`` take
    it (``notify`` builds the same for each recipient with an account)."""

    user_id: int
    subject: str
    text: str
    target_type: str  # what it is about ("events.event"), or ""
    target_id: int | None
    kind: NotRequired[str]  # its message kind's code ("events.checkin_staff"): the module
    link: NotRequired[str]  # where it leads, if anywhere


def inbox_message(*, association: Tenant, item: InboxItem) -> InboxMessage:
    """The unsaved row of ``item`` (subject, text and link cut to the columns' length): the
    one place an inbox row is made, for ``notify`` and ``inbox_post_many`` alike."""
    return InboxMessage(
        association_id=association.pk,
        user_id=item["user_id"],
        kind=item.get("kind", ""),
        target_type=item["target_type"] if item["target_id"] is not None else "",
        target_id=item["target_id"],
        subject=item["subject"][:SUBJECT_LIMIT],
        text=item["text"][:TEXT_LIMIT],
        link=item.get("link", "")[:LINK_LIMIT],
    )


def inbox_post_many(*, association: Tenant, items: Iterable[InboxItem]) -> None:
    """Puts ``items`` into their recipients' inboxes in one insert, in the caller's
    transaction. For in-app-only messages; a message also sent by SMS or email goes through
    ``notify`` with the recipient's ``user_id``."""
    rows = [inbox_message(association=association, item=item) for item in items]
    if rows:
        with tenant_context(association):
            InboxMessage.objects.bulk_create(rows)


def of_module(module: str) -> Q:
    """The messages of ``module``'s kinds (``core.notify.kinds.kinds_of_module``) — what a
    module's own page of notices lists, never the person's other messages (announcements,
    another module's). Rows without a kind were all written by the events app (its notices
    moved here by its migration 0005, its in-app messages before they named a kind), so they
    count as the events'."""
    condition = Q(kind__in=kinds_of_module(module))
    return condition | Q(kind="") if module == "events" else condition


def inbox_of(*, association: Tenant, user: Account, module: str = "") -> QuerySet[InboxMessage]:
    """The person's inbox in ``association``, newest first; only ``module``'s messages when
    given."""
    qs = InboxMessage.objects.filter(association=association.pk, user=user.pk)
    return qs.filter(of_module(module)) if module else qs


def unread_count(user: Account | None, association: Tenant, *, module: str = "") -> int:
    """How many of the person's messages in ``association`` (only ``module``'s when given)
    are unread; 0 for a visitor."""
    if user is None or not user.is_authenticated:
        return 0
    qs = InboxMessage.objects.filter(association=association.pk, user=user.pk, read_at__isnull=True)
    return (qs.filter(of_module(module)) if module else qs).count()


def inbox_mark_read(
    *, association: Tenant, actor: Account, ids: Iterable[int] | None = None, module: str = ""
) -> int:
    """Marks the person's own unread messages as read — all of them (only ``module``'s when
    given), or those of ``ids`` (others' ids change nothing) — and answers how many changed.
    Not audit-logged: reading one's own messages changes nothing of the association's."""
    unread = InboxMessage.objects.filter(
        association=association.pk, user=actor.pk, read_at__isnull=True
    )
    if module:
        unread = unread.filter(of_module(module))
    if ids is not None:
        unread = unread.filter(pk__in=[i for i in ids if isinstance(i, int) and 0 < i <= MAX_ID])
    return unread.update(read_at=timezone.now())


# The person's inbox across every association (one inbox per person, at /me/inbox/): read in
# ``person_context``, which on PostgreSQL admits their own rows of every association (the
# table's ``rls_person_field``) and lets them change only ``read_at``.


def person_inbox(user: Account) -> list[InboxMessage]:
    """The person's newest messages from every association (``PERSON_INBOX_PAGE``), with
    their association; called inside ``person_context``."""
    return list(
        InboxMessage.objects.filter(user=user.pk)
        .select_related("association")
        .order_by("-created_at", "-id")[:PERSON_INBOX_PAGE]
    )


PERSON_INBOX_PAGE = 200


def person_unread_count(user: Account | None) -> int:
    """How many of the person's messages, in every association, are unread: one count on the
    partial index ``inbox_person_unread``; 0 for a visitor."""
    if user is None or not user.is_authenticated:
        return 0
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # Inside a request's transaction (the tenant door's): no savepoint of
        # ``person_context``'s — the person setting, the count, the setting emptied again.
        set_person(user)
        try:
            with scopes_disabled():  # every association's, not the door's only
                return InboxMessage.objects.filter(user=user.pk, read_at__isnull=True).count()
        finally:
            clear_person()
    # (The queryset is made inside the context: a scoped manager filters by the scope open
    # when the queryset is made.)
    with person_context(user):
        return InboxMessage.objects.filter(user=user.pk, read_at__isnull=True).count()


def person_mark_read(*, user: Account, ids: Iterable[int] | None = None) -> int:
    """Marks the person's own unread messages in every association as read — all of them, or
    those of ``ids`` (others' ids change nothing); answers how many changed."""
    with person_context(user):
        unread = InboxMessage.objects.filter(user=user.pk, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(
                pk__in=[i for i in ids if isinstance(i, int) and 0 < i <= MAX_ID]
            )
        return unread.update(read_at=timezone.now())


def request_unread_count(request: Any) -> int:
    """``person_unread_count`` of the signed-in person, counted at most once per request
    (the tab bar's 我的 badge, the back office's 消息 link and the 我的 page share it), and
    only when a page shows it."""
    cached = getattr(request, "_inbox_unread", None)
    if cached is None:
        cached = person_unread_count(getattr(request, "user", None))
        request._inbox_unread = cached
    return int(cached)
