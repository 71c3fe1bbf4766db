"""Reading a person's conversations (站内信 about listings) and deals: always the signed-in
person's own, through ``person_context`` (on PostgreSQL the participant policy admits only
rows where they are the poster or the inquirer). Someone else's conversation, or one that
does not exist, is the same 404."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from shanghui.accounts.models import User
from shanghui.network.models import Conversation, Deal, Message

MESSAGES_SHOWN = 200


def _valid_id(value: int) -> bool:
    return 0 < value < 2**63


def my_conversations(*, user: User) -> QuerySet[Conversation]:
    """The conversations ``user`` takes part in, last message first. Call inside
    ``person_context(user)``."""
    return (
        Conversation.objects.filter(Q(poster=user) | Q(inquirer=user))
        .select_related("poster_association", "inquirer_association", "poster", "inquirer")
        .order_by("-last_message_at", "-id")
    )


def access_conversation(*, user: User, conversation_id: int) -> Conversation:
    """The conversation ``conversation_id`` if ``user`` is its poster or inquirer; else 404.
    Call inside ``person_context(user)``."""
    if not _valid_id(conversation_id):
        raise Http404
    conversation = my_conversations(user=user).filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404
    return conversation


def access_deal(*, user: User, deal_id: int) -> Deal:
    """The deal ``deal_id`` if ``user`` is one of its two sides; else 404. Call inside
    ``person_context(user)``."""
    if not _valid_id(deal_id):
        raise Http404
    deal = (
        Deal.objects.filter(Q(poster=user) | Q(inquirer=user), pk=deal_id)
        .select_related("conversation", "poster_association", "inquirer_association")
        .first()
    )
    if deal is None:
        raise Http404
    return deal


def conversation_messages(conversation: Conversation) -> list[Message]:
    """The newest messages of the conversation, oldest first."""
    newest = list(
        Message.objects.filter(conversation=conversation)
        .select_related("sender")
        .order_by("-created_at", "-id")[:MESSAGES_SHOWN]
    )
    return newest[::-1]


def is_poster(conversation: Conversation, user: User) -> bool:
    return conversation.poster_id == user.pk


def is_unread(conversation: Conversation, user: User) -> bool:
    """A message came after ``user`` last opened the thread (sending one counts as reading)."""
    if conversation.last_message_at is None:
        return False
    read_at = (
        conversation.poster_read_at
        if is_poster(conversation, user)
        else conversation.inquirer_read_at
    )
    return read_at is None or read_at < conversation.last_message_at


def unread_count(*, user: User) -> int:
    return sum(1 for row in my_conversations(user=user)[:500] if is_unread(row, user))


@dataclass(frozen=True)
class ConversationSides:
    """What one participant sees of the two sides: the other side's shared contact only once
    they shared it."""

    mine_shared: str
    theirs_shared: str
    other_name: str
    other_association: str


def sides(conversation: Conversation, user: User) -> ConversationSides:
    if is_poster(conversation, user):
        other = conversation.inquirer
        return ConversationSides(
            mine_shared=conversation.poster_shared_contact,
            theirs_shared=conversation.inquirer_shared_contact,
            other_name=other.name if other else "",
            other_association=conversation.inquirer_association.short_name,
        )
    poster = conversation.poster
    return ConversationSides(
        mine_shared=conversation.inquirer_shared_contact,
        theirs_shared=conversation.poster_shared_contact,
        other_name=poster.name if poster else "",
        other_association=conversation.poster_association.short_name,
    )


def deal_of(conversation: Conversation) -> Deal | None:
    return Deal.objects.filter(conversation=conversation).first()
