"""Deals (成交): the poster of a listing says a conversation led to a deal, with an optional
value; some two weeks later both sides are asked whether it closed. Counted in both
associations' reports.

Contract: writes run inside ``person_context`` of the participant (the deal table's policy
admits only its two sides); the audit entry goes to the actor's side's association; the
follow-up runs per poster association from ``manage.py network_deal_follow_up``."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.notifications import Recipient, notify
from shanghui.core.tenancy import person_context, tenant_context
from shanghui.network import messages as kinds
from shanghui.network.models import Conversation, Deal

FOLLOW_UP_AFTER = timedelta(days=14)
FOLLOW_UP_BATCH = 500


def deal_mark(*, actor: User, conversation: Conversation, value: Decimal | None) -> Deal:
    """The poster marks the conversation's deal made (again: corrects the value). Only the
    poster may; the value, when given, is a parsed amount in yuan."""
    if conversation.poster_id != actor.pk:
        raise ValidationError(_("只有信息发布人可以登记成交"))
    if value is not None and value < 0:
        raise ValidationError({"value": _("金额不能为负数")})
    with transaction.atomic(), person_context(actor):
        deal, created = Deal.objects.get_or_create(
            conversation=conversation,
            defaults={
                "poster_association_id": conversation.poster_association_id,
                "inquirer_association_id": conversation.inquirer_association_id,
                "poster_id": conversation.poster_id,
                "inquirer_id": conversation.inquirer_id,
                "listing_id": conversation.listing_id,
                "value": value,
            },
        )
        if not created and deal.value != value:
            deal.value = value
            deal.save(update_fields=["value"])
        association = conversation.poster_association
        with tenant_context(association):
            audit(
                actor=actor,
                action="network.deal.mark" if created else "network.deal.update",
                association=association,
                target=deal,
                summary=conversation.listing_title,
                data={"value": str(value) if value is not None else ""},
            )
    return deal


def deal_answer(*, actor: User, deal: Deal, answer: str) -> Deal:
    """One side says whether the deal finally closed (已成交 / 未成交); may change it later."""
    if answer not in Deal.Answer.values:
        raise ValidationError({"answer": _("请选择是否成交")})
    if actor.pk == deal.poster_id:
        field, association = "poster_answer", deal.poster_association
    elif actor.pk == deal.inquirer_id:
        field, association = "inquirer_answer", deal.inquirer_association
    else:
        raise ValidationError(_("您不是该成交的参与方"))
    setattr(deal, field, answer)
    with transaction.atomic(), person_context(actor):
        deal.save(update_fields=[field])
        with tenant_context(association):
            audit(
                actor=actor,
                action="network.deal.answer",
                association=association,
                target=deal,
                data={"answer": answer},
            )
    return deal


def _ask(deal: Deal, user: User | None, association: Association, listing_title: str) -> None:
    if user is None or not user.is_active:
        return
    link = reverse(
        "network:deal_answer", kwargs={"association_slug": association.slug, "deal_id": deal.pk}
    )
    with tenant_context(association):
        notify(
            association=association,
            kind=kinds.DEAL_FOLLOW_UP,
            to=Recipient(phone=user.phone or "", email=user.email, user_id=user.pk),
            params={"listing": listing_title, "link": link},
            target_type="network.deal",
            target_id=deal.pk,
            link=link,
        )


def deal_follow_up(*, association: Association, now: datetime | None = None) -> int:
    """Asks both sides of every deal of ``association``'s listings marked at least two weeks
    ago and not asked yet whether it closed — each deal once (``follow_up_sent_at``). Answers
    how many deals were asked about."""
    moment = now if now is not None else timezone.now()
    with tenant_context(association):  # the party policy lets the association read its deals
        due = list(
            Deal.objects.filter(
                poster_association=association,
                follow_up_sent_at__isnull=True,
                marked_at__lte=moment - FOLLOW_UP_AFTER,
            )
            .select_related("conversation", "poster", "inquirer", "inquirer_association")
            .order_by("pk")[:FOLLOW_UP_BATCH]
        )
    asked = 0
    for deal in due:
        if deal.poster is None:  # nobody left to write the mark with
            continue
        with transaction.atomic(), person_context(deal.poster):
            claimed = Deal.objects.filter(pk=deal.pk, follow_up_sent_at__isnull=True).update(
                follow_up_sent_at=timezone.now()
            )
            if not claimed:
                continue
            title = deal.conversation.listing_title
            _ask(deal, deal.poster, association, title)
            _ask(deal, deal.inquirer, deal.inquirer_association, title)
        asked += 1
    return asked
