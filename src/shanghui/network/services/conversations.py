"""Conversations about a listing (站内信) between its poster and a member of any association:
start, reply, mark read, share and withdraw contact details, block the other side.

Contract: every service runs its writes inside ``person_context(actor)`` — on PostgreSQL the
conversation and message tables admit only their participants — and records its audit entry in
the actor's own side's association. The other side is notified in *their* association
(``tenant_context`` nested, which restores the caller's association on exit). Contact details
cross only when their owner shares them here; the listing's own contact field is never copied
except when the poster chooses to share it."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.notifications import Recipient, notify
from shanghui.core.tenancy import person_context, read_inside, tenant_context
from shanghui.core.text import clean_text
from shanghui.members.selectors import my_members
from shanghui.network import messages as kinds
from shanghui.network.models import (
    CONTACT_MAX,
    Conversation,
    Listing,
    Message,
    PlatformBlock,
)
from shanghui.network.moderation_words import find_sensitive
from shanghui.network.selectors.access import ListingView

MESSAGE_MAX = 1000
EXCERPT = 40


def _message_text(text: str) -> str:
    text = clean_text(text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写消息内容")})
    if len(text) > MESSAGE_MAX:
        raise ValidationError({"text": _("消息最多 %(max)d 个字") % {"max": MESSAGE_MAX}})
    word = find_sensitive(text)
    if word:
        raise ValidationError(
            {"text": _("消息含有不允许发布的词语“%(word)s”，请修改") % {"word": word}}
        )
    return text


def _platform_blocked(user: User) -> bool:
    return PlatformBlock.objects.filter(user=user).exists()


def _side_association(conversation: Conversation, actor: User) -> Association:
    if conversation.poster_id == actor.pk:
        return conversation.poster_association
    return conversation.inquirer_association


def _require_participant(conversation: Conversation, actor: User) -> None:
    if actor.pk not in (conversation.poster_id, conversation.inquirer_id):
        raise ValidationError(_("您不是该洽谈的参与方"))


def _audit(conversation: Conversation, actor: User, action: str, **data: object) -> None:
    association = _side_association(conversation, actor)
    with tenant_context(association):
        audit(
            actor=actor,
            action=action,
            association=association,
            target=conversation,
            summary=conversation.listing_title,
            data=dict(data),
        )


def _notify_other(conversation: Conversation, sender: User, text: str) -> None:
    """Tells the other side in their own association, with a link to the thread there."""
    if conversation.poster_id == sender.pk:
        other, association = conversation.inquirer, conversation.inquirer_association
        sender_association = conversation.poster_association
    else:
        other, association = conversation.poster, conversation.poster_association
        sender_association = conversation.inquirer_association
    if other is None or not other.is_active:
        return
    link = reverse(
        "network:conversation",
        kwargs={"association_slug": association.slug, "conversation_id": conversation.pk},
    )
    excerpt = text if len(text) <= EXCERPT else f"{text[:EXCERPT]}…"
    with tenant_context(association):
        notify(
            association=association,
            kind=kinds.MESSAGE,
            to=Recipient(phone=other.phone or "", email=other.email, user_id=other.pk),
            params={
                "listing": conversation.listing_title,
                "sender": sender.name,
                "association": sender_association.short_name,
                "excerpt": excerpt,
                "link": link,
            },
            target_type="network.conversation",
            target_id=conversation.pk,
            link=link,
        )


def _add_message(conversation: Conversation, sender: User, text: str) -> Message:
    recipient_id = (
        conversation.inquirer_id if conversation.poster_id == sender.pk else conversation.poster_id
    )
    message = Message.objects.create(
        conversation=conversation, sender=sender, recipient_id=recipient_id, text=text
    )
    now = message.created_at
    conversation.last_message_at = now
    fields = ["last_message_at"]
    if conversation.poster_id == sender.pk:
        conversation.poster_read_at = now
        fields.append("poster_read_at")
    else:
        conversation.inquirer_read_at = now
        fields.append("inquirer_read_at")
    conversation.save(update_fields=fields)
    return message


@dataclass(frozen=True)
class Started:
    conversation: Conversation
    created: bool


def existing_conversation(*, actor: User, listing_id: int) -> Conversation | None:
    """The inquirer's thread about the listing, if they already started one."""
    with person_context(actor):
        return Conversation.objects.filter(listing_id=listing_id, inquirer=actor).first()


def conversation_start(
    *,
    association: Association,
    actor: User,
    listing: ListingView,
    text: str,
    from_match: bool = False,
) -> Started:
    """``actor``, a member of ``association`` (the request's), writes to the poster of
    ``listing`` (opened with ``access_listing``, so they may see it). One thread per inquirer
    and listing: a second start adds the message to the existing thread. The poster cannot
    inquire on their own listing; a person the platform blocked cannot write to members of
    other associations."""
    if listing.poster_id is None:
        raise ValidationError(_("发布人已注销，无法洽谈"))
    if listing.poster_id == actor.pk:
        raise ValidationError(_("不能对自己发布的信息发起洽谈"))
    cross = listing.association.pk != association.pk
    if cross and _platform_blocked(actor):
        raise ValidationError(_("您已被平台限制联系其他商会的会员"))
    text = _message_text(text)
    poster = User.objects.get(pk=listing.poster_id)
    inquirer_member = my_members(association=association, user_id=actor.pk).first()
    with transaction.atomic(), person_context(actor):
        conversation = Conversation.objects.filter(listing_id=listing.id, inquirer=actor).first()
        created = False
        if conversation is None:
            try:
                with transaction.atomic():
                    conversation = Conversation.objects.create(
                        poster_association=listing.association,
                        listing_id=listing.id,
                        listing_title=listing.title,
                        poster=poster,
                        poster_member_id=listing.member_id,
                        inquirer_association=association,
                        inquirer=actor,
                        inquirer_member_id=inquirer_member.pk if inquirer_member else None,
                        from_match=from_match,
                    )
                created = True
            except IntegrityError:  # a second click that raced the first
                conversation = Conversation.objects.get(listing_id=listing.id, inquirer=actor)
        if conversation.blocked_by_id is not None:
            raise ValidationError(_("该洽谈已被屏蔽，无法发送消息"))
        _add_message(conversation, actor, text)
        if created:
            _audit(conversation, actor, "network.conversation.start", listing_id=listing.id)
        _notify_other(conversation, actor, text)
    return Started(conversation, created)


def message_send(*, actor: User, conversation: Conversation, text: str) -> Message:
    """A reply in the thread by one of its two participants, unless either side blocked the
    other (or the platform blocked the sender and the thread crosses associations)."""
    _require_participant(conversation, actor)
    if conversation.blocked_by_id is not None:
        raise ValidationError(_("该洽谈已被屏蔽，无法发送消息"))
    cross = conversation.poster_association_id != conversation.inquirer_association_id
    if cross and _platform_blocked(actor):
        raise ValidationError(_("您已被平台限制联系其他商会的会员"))
    text = _message_text(text)
    with transaction.atomic(), person_context(actor):
        message = _add_message(conversation, actor, text)
        _notify_other(conversation, actor, text)
    return message


def conversation_mark_read(*, actor: User, conversation: Conversation) -> None:
    """The participant opened the thread: its messages so far are read. Not audited (a read)."""
    _require_participant(conversation, actor)
    field = "poster_read_at" if conversation.poster_id == actor.pk else "inquirer_read_at"
    setattr(conversation, field, timezone.now())
    with person_context(actor):
        conversation.save(update_fields=[field])


def _listing_contact(conversation: Conversation) -> str:
    """The listing's own contact field, read in the poster's association (the poster is the
    one sharing it)."""
    with read_inside(conversation.poster_association):
        contact = (
            Listing.objects.filter(
                association=conversation.poster_association, pk=conversation.listing_id
            )
            .values_list("contact", flat=True)
            .first()
        )
    return contact or ""


def conversation_share_contact(
    *, actor: User, conversation: Conversation, contact: str = "", use_listing: bool = False
) -> Conversation:
    """A participant shows the other side how to reach them: the poster may share the
    listing's contact (``use_listing``) or a typed one; the inquirer a typed one. The moment
    is recorded; ``conversation_withdraw_contact`` takes it back."""
    _require_participant(conversation, actor)
    poster = conversation.poster_id == actor.pk
    if use_listing and poster:
        contact = _listing_contact(conversation)
        if not contact:
            raise ValidationError({"contact": _("该信息未填写联系方式，请直接输入")})
    contact = clean_text(contact or "").strip()
    if not contact:
        raise ValidationError({"contact": _("请填写要告诉对方的联系方式")})
    if len(contact) > CONTACT_MAX:
        raise ValidationError({"contact": _("联系方式最多 %(max)d 个字") % {"max": CONTACT_MAX}})
    side = "poster" if poster else "inquirer"
    setattr(conversation, f"{side}_shared_contact", contact)
    setattr(conversation, f"{side}_shared_at", timezone.now())
    with transaction.atomic(), person_context(actor):
        conversation.save(update_fields=[f"{side}_shared_contact", f"{side}_shared_at"])
        _audit(conversation, actor, "network.conversation.share_contact")
    return conversation


def conversation_withdraw_contact(*, actor: User, conversation: Conversation) -> Conversation:
    """The participant takes back the contact they shared: the other side no longer sees it
    here (what they already noted down is beyond reach; the audit log keeps when)."""
    _require_participant(conversation, actor)
    side = "poster" if conversation.poster_id == actor.pk else "inquirer"
    setattr(conversation, f"{side}_shared_contact", "")
    setattr(conversation, f"{side}_shared_at", None)
    with transaction.atomic(), person_context(actor):
        conversation.save(update_fields=[f"{side}_shared_contact", f"{side}_shared_at"])
        _audit(conversation, actor, "network.conversation.withdraw_contact")
    return conversation


def conversation_block(*, actor: User, conversation: Conversation) -> Conversation:
    """The participant blocks the other side: no more messages either way. Idempotent."""
    _require_participant(conversation, actor)
    if conversation.blocked_by_id is not None:
        return conversation
    conversation.blocked_by = actor
    with transaction.atomic(), person_context(actor):
        conversation.save(update_fields=["blocked_by"])
        _audit(conversation, actor, "network.conversation.block")
    return conversation


def conversation_unblock(*, actor: User, conversation: Conversation) -> Conversation:
    """Only the participant who blocked may lift it."""
    _require_participant(conversation, actor)
    if conversation.blocked_by_id != actor.pk:
        raise ValidationError(_("只有屏蔽的一方可以解除屏蔽"))
    conversation.blocked_by = None
    with transaction.atomic(), person_context(actor):
        conversation.save(update_fields=["blocked_by"])
        _audit(conversation, actor, "network.conversation.unblock")
    return conversation
