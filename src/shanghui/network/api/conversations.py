"""Conversations, contact sharing and deals in the JSON API — the same services as the pages.

- ``conversations_person_router`` (on ``network_person_router``, /api/v1/network/): a person's
  own threads across every association they belong to — list, one thread with its messages,
  reply, mark read, share/withdraw contact, block, the poster's deal mark, the deal answer.
  Everything is read in ``person_context``: someone else's thread is 404.
- ``conversations_router`` (on ``network_router``, /api/v1/associations/{slug}/network/):
  starting a conversation about a listing the member may see in that association, and the
  association's report (``network.moderate``)."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import StrictBool

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import User
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.money import parse_cny
from shanghui.core.tenancy import person_context
from shanghui.network.models import Conversation, Deal, Message
from shanghui.network.selectors import conversations as selectors
from shanghui.network.selectors.access import access_listing
from shanghui.network.selectors.reports import network_report, report_year
from shanghui.network.services import conversations as services
from shanghui.network.services.deals import deal_answer, deal_mark

conversations_person_router = Router(tags=["供需对接"])
conversations_router = Router(tags=["供需对接"])


class ConversationMessageOut(Schema):
    id: int
    mine: bool
    sender_name: str
    text: str
    created_at: datetime


class ConversationDealOut(Schema):
    id: int
    value: Decimal | None
    marked_at: datetime
    my_answer: str
    follow_up_sent_at: datetime | None


class ConversationOut(Schema):
    id: int
    listing_id: int
    listing_title: str
    role: str  # "poster" or "inquirer": which side I am
    my_association_slug: str
    other_name: str
    other_association: str
    my_shared_contact: str
    their_shared_contact: str
    blocked: bool
    blocked_by_me: bool
    unread: bool
    created_at: datetime
    last_message_at: datetime | None


class ConversationDetailOut(ConversationOut):
    messages: list[ConversationMessageOut]
    deal: ConversationDealOut | None


class ConversationStartIn(Schema):
    listing_id: int
    text: str
    from_match: StrictBool = False


class ConversationStartOut(Schema):
    id: int
    created: bool


class ConversationMessageIn(Schema):
    text: str


class ConversationShareIn(Schema):
    contact: str = ""
    use_listing: StrictBool = False


class ConversationBlockIn(Schema):
    undo: StrictBool = False


class ConversationDealIn(Schema):
    value: Decimal | str | None = None


class ConversationAnswerIn(Schema):
    answer: str


class ConversationReportMonthOut(Schema):
    month: int
    listings: int
    conversations_as_poster: int
    conversations_as_inquirer: int
    matches: int
    deals: int
    deal_value: Decimal


class ConversationReportOut(Schema):
    year: int
    months: list[ConversationReportMonthOut]
    total: ConversationReportMonthOut


class ConversationReportQuery(Schema):
    year: int | None = None


def _summary(conversation: Conversation, user: User) -> dict[str, object]:
    sides = selectors.sides(conversation, user)
    poster = conversation.poster_id == user.pk
    mine = conversation.poster_association if poster else conversation.inquirer_association
    return {
        "id": conversation.pk,
        "listing_id": conversation.listing_id,
        "listing_title": conversation.listing_title,
        "role": "poster" if poster else "inquirer",
        "my_association_slug": mine.slug,
        "other_name": sides.other_name,
        "other_association": sides.other_association,
        "my_shared_contact": sides.mine_shared,
        "their_shared_contact": sides.theirs_shared,
        "blocked": conversation.blocked_by_id is not None,
        "blocked_by_me": conversation.blocked_by_id == user.pk,
        "unread": selectors.is_unread(conversation, user),
        "created_at": conversation.created_at,
        "last_message_at": conversation.last_message_at,
    }


def _message(message: Message, user: User) -> dict[str, object]:
    return {
        "id": message.pk,
        "mine": message.sender_id == user.pk,
        "sender_name": message.sender.name if message.sender else "",
        "text": message.text,
        "created_at": message.created_at,
    }


def _deal(deal: Deal | None, user: User) -> dict[str, object] | None:
    if deal is None:
        return None
    return {
        "id": deal.pk,
        "value": deal.value,
        "marked_at": deal.marked_at,
        "my_answer": deal.poster_answer if deal.poster_id == user.pk else deal.inquirer_answer,
        "follow_up_sent_at": deal.follow_up_sent_at,
    }


def _detail(conversation: Conversation, user: User) -> dict[str, object]:
    with person_context(user):
        return {
            **_summary(conversation, user),
            "messages": [_message(m, user) for m in selectors.conversation_messages(conversation)],
            "deal": _deal(selectors.deal_of(conversation), user),
        }


def _mine(request: HttpRequest, conversation_id: int) -> tuple[User, Conversation]:
    user = signed_in_user(request)
    with person_context(user):
        conversation = selectors.access_conversation(user=user, conversation_id=conversation_id)
    return user, conversation


@conversations_person_router.get(
    "/conversations",
    operation_id="shanghui_network_api_conversation_list",
    response={200: list[ConversationOut], **ERRORS},
)
def conversation_list(request: HttpRequest) -> object:
    """My conversations across every association, last message first (up to 200)."""
    user = signed_in_user(request)
    with person_context(user):
        return [_summary(row, user) for row in selectors.my_conversations(user=user)[:200]]


@conversations_person_router.get(
    "/conversations/{conversation_id}",
    operation_id="shanghui_network_api_conversation_get",
    response={200: ConversationDetailOut, **ERRORS},
)
def conversation_get(request: HttpRequest, conversation_id: int) -> object:
    user, conversation = _mine(request, conversation_id)
    return _detail(conversation, user)


@conversations_person_router.post(
    "/conversations/{conversation_id}/messages",
    operation_id="shanghui_network_api_conversation_reply",
    response={201: ConversationMessageOut, **ERRORS},
)
def conversation_reply(
    request: HttpRequest, conversation_id: int, payload: ConversationMessageIn
) -> object:
    user, conversation = _mine(request, conversation_id)
    message = services.message_send(actor=user, conversation=conversation, text=payload.text)
    return Status(201, _message(message, user))


@conversations_person_router.post(
    "/conversations/{conversation_id}/read",
    operation_id="shanghui_network_api_conversation_read",
    response={200: ConversationOut, **ERRORS},
)
def conversation_read(request: HttpRequest, conversation_id: int) -> object:
    user, conversation = _mine(request, conversation_id)
    services.conversation_mark_read(actor=user, conversation=conversation)
    return _summary(conversation, user)


@conversations_person_router.post(
    "/conversations/{conversation_id}/share-contact",
    operation_id="shanghui_network_api_conversation_share_contact",
    response={200: ConversationOut, **ERRORS},
)
def conversation_share_contact(
    request: HttpRequest, conversation_id: int, payload: ConversationShareIn
) -> object:
    """Show the other side my contact (the poster may share the listing's own)."""
    user, conversation = _mine(request, conversation_id)
    services.conversation_share_contact(
        actor=user,
        conversation=conversation,
        contact=payload.contact,
        use_listing=payload.use_listing,
    )
    return _summary(conversation, user)


@conversations_person_router.post(
    "/conversations/{conversation_id}/withdraw-contact",
    operation_id="shanghui_network_api_conversation_withdraw_contact",
    response={200: ConversationOut, **ERRORS},
)
def conversation_withdraw_contact(request: HttpRequest, conversation_id: int) -> object:
    user, conversation = _mine(request, conversation_id)
    services.conversation_withdraw_contact(actor=user, conversation=conversation)
    return _summary(conversation, user)


@conversations_person_router.post(
    "/conversations/{conversation_id}/block",
    operation_id="shanghui_network_api_conversation_block",
    response={200: ConversationOut, **ERRORS},
)
def conversation_block(
    request: HttpRequest, conversation_id: int, payload: ConversationBlockIn
) -> object:
    user, conversation = _mine(request, conversation_id)
    if payload.undo:
        services.conversation_unblock(actor=user, conversation=conversation)
    else:
        services.conversation_block(actor=user, conversation=conversation)
    return _summary(conversation, user)


@conversations_person_router.post(
    "/conversations/{conversation_id}/deal",
    operation_id="shanghui_network_api_conversation_deal",
    response={200: ConversationDealOut, **ERRORS},
)
def conversation_deal(
    request: HttpRequest, conversation_id: int, payload: ConversationDealIn
) -> object:
    """The poster marks the deal made, with an optional value in yuan."""
    user, conversation = _mine(request, conversation_id)
    value = None
    if payload.value is not None and str(payload.value).strip():
        value = parse_cny(payload.value, field="value")
    deal = deal_mark(actor=user, conversation=conversation, value=value)
    return _deal(deal, user)


@conversations_person_router.post(
    "/deals/{deal_id}/answer",
    operation_id="shanghui_network_api_deal_answer",
    response={200: ConversationDealOut, **ERRORS},
)
def conversation_deal_answer(
    request: HttpRequest, deal_id: int, payload: ConversationAnswerIn
) -> object:
    """Whether the deal finally closed (``closed`` / ``not_closed``)."""
    user = signed_in_user(request)
    with person_context(user):
        deal = selectors.access_deal(user=user, deal_id=deal_id)
    deal = deal_answer(actor=user, deal=deal, answer=payload.answer)
    return _deal(deal, user)


@conversations_router.post(
    "/conversations",
    operation_id="shanghui_network_api_conversation_start",
    response={201: ConversationStartOut, **ERRORS},
)
def conversation_start(
    request: HttpRequest, slug: Path[str], payload: ConversationStartIn
) -> object:
    """我要洽谈: the first message about a listing this association's member may see; a thread
    of mine about it already gets the message added (``created`` false)."""
    require_member(current_role(request))
    user = signed_in_user(request)
    association = current_association(request)
    listing = access_listing(
        association=association, viewer_id=user.pk, listing_id=payload.listing_id
    )
    started = services.conversation_start(
        association=association,
        actor=user,
        listing=listing,
        text=payload.text,
        from_match=payload.from_match,
    )
    return Status(201, {"id": started.conversation.pk, "created": started.created})


@conversations_router.get(
    "/report",
    operation_id="shanghui_network_api_report",
    response={200: ConversationReportOut, **ERRORS},
)
def report(
    request: HttpRequest, slug: Path[str], filters: Query[ConversationReportQuery]
) -> object:
    """The association's 供需对接 counts per month of a year (this year by default)."""
    require_perm(current_role(request), Perm.MODERATE_NETWORK)
    year = report_year(str(filters.year) if filters.year is not None else None)
    return network_report(association=current_association(request), year=year)
