"""What the network app keeps about a person, for their personal-data export and their
account's deletion (collected by ``accounts.personal_data``, which describes the contract).

Listings: the person's listings in the association, with their contact field. On account
deletion the live ones are withdrawn (they leave the platform index) and every listing's
contact field is emptied; the listings stay the association's record of what its member
enterprise offered, under the enterprise's name.

Conversations: the threads the person took part in — each exported in the association they
took part for (the poster's association for the poster, the inquirer's for the inquirer) with
the messages they sent and the contact they shared; deals they marked or were asked about. On
deletion their messages and shared contact are removed and their threads closed (blocked) so
nobody writes to a deleted account; a deal stays as the associations' count (its value is the
enterprise's, not the person's)."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.tenancy import person_context
from shanghui.network.models import Conversation, Deal, Listing, Message
from shanghui.network.services.index import listing_index_write

# -- part L: listings --


def _listing_tables(association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    rows = Listing.objects.filter(association=association, poster=user).order_by("created_at")
    return {
        _("供需信息"): [
            {
                _("类型"): listing.get_kind_display(),
                _("标题"): listing.title,
                _("详细说明"): listing.body,
                _("行业"): listing.industry_code,
                _("地区"): listing.region_code,
                _("数量"): listing.quantity,
                _("预算（元）"): listing.budget,
                _("有效期至"): listing.valid_until,
                _("可见范围"): listing.get_visibility_display(),
                _("联系方式"): listing.contact,
                _("状态"): listing.get_status_display(),
                _("发布时间"): listing.published_at,
            }
            for listing in rows
        ]
    }


LIVE = (Listing.Status.PENDING, Listing.Status.PUBLISHED, Listing.Status.REJECTED)


def _listings_unlink(association: Association, user: User) -> None:
    listings = Listing.objects.filter(association=association, poster=user).select_related(
        "member", "association"
    )
    for listing in listings:
        changed = ["contact", "updated_at"]
        listing.contact = ""
        if listing.status in LIVE:
            listing.status = Listing.Status.WITHDRAWN
            changed.append("status")
        listing.save(update_fields=changed)
        listing_index_write(listing)


# -- Conversations and deals (part C) ----------------------------------------------------------


def _my_side(association: Association, user: User) -> Q:
    return Q(poster=user, poster_association=association) | Q(
        inquirer=user, inquirer_association=association
    )


def conversation_association_ids(user: User) -> set[int]:
    """Inside the person's ``person_context``: where they took part in conversations."""
    ids: set[int] = set()
    for poster_id, poster_association, inquirer_association in Conversation.objects.filter(
        Q(poster=user) | Q(inquirer=user)
    ).values_list("poster_id", "poster_association_id", "inquirer_association_id"):
        ids.add(poster_association if poster_id == user.pk else inquirer_association)
    return ids


def conversation_tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context: the person's threads for this association."""
    with person_context(user):
        threads = list(
            Conversation.objects.filter(_my_side(association, user)).order_by("created_at", "id")
        )
        sent = list(
            Message.objects.filter(conversation__in=threads, sender=user)
            .select_related("conversation")
            .order_by("created_at", "id")
        )
        deals = list(
            Deal.objects.filter(conversation__in=threads)
            .select_related("conversation")
            .order_by("marked_at")
        )
    return {
        _("供需洽谈"): [
            {
                _("供需信息"): c.listing_title,
                _("身份"): _("发布人") if c.poster_id == user.pk else _("咨询人"),
                _("开始时间"): c.created_at,
                _("我提供的联系方式"): (
                    c.poster_shared_contact if c.poster_id == user.pk else c.inquirer_shared_contact
                ),
            }
            for c in threads
        ],
        _("洽谈消息"): [
            {
                _("供需信息"): m.conversation.listing_title,
                _("时间"): m.created_at,
                _("内容"): m.text,
            }
            for m in sent
        ],
        _("供需成交"): [
            {
                _("供需信息"): d.conversation.listing_title,
                _("登记时间"): d.marked_at,
                _("金额（元）"): d.value,
                _("我的回访答复"): (
                    d.get_poster_answer_display()
                    if d.poster_id == user.pk
                    else d.get_inquirer_answer_display()
                ),
            }
            for d in deals
        ],
    }


def conversation_unlink(*, association: Association, user: User) -> None:
    """Inside ``association``'s tenant context, as the account is deleted: the person's
    messages and shared contact go; their threads are closed."""
    with person_context(user):
        threads = Conversation.objects.filter(_my_side(association, user))
        Message.objects.filter(conversation__in=threads, sender=user).delete()
        threads.filter(poster=user).update(poster_shared_contact="", poster_shared_at=None)
        threads.filter(inquirer=user).update(inquirer_shared_contact="", inquirer_shared_at=None)
        threads.filter(blocked_by__isnull=True).update(blocked_by=user)


# -- The app's contract (accounts.personal_data) --------------------------------------------


def association_ids(user: User) -> set[int]:
    """Inside the person's ``person_context``. (Listings are posted where the person has a
    role, which the export finds already.)"""
    return conversation_association_ids(user)


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    return {
        **_listing_tables(association, user),
        **conversation_tables(association=association, user=user),
    }


def unlink(*, association: Association, user: User) -> None:
    """Inside ``association``'s tenant context, as the account is deleted."""
    _listings_unlink(association, user)
    conversation_unlink(association=association, user=user)
