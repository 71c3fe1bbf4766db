"""Conversations as their users meet them, through the pages: a member of association B
inquires on A's platform-wide listing, both sides see the thread and get notified, contact
details cross only when shared (and go when withdrawn), the poster marks the deal, and A's
administrator — not a participant — reads nothing of it. On PostgreSQL all of it runs as the
application role under row-level security (on SQLite the same code runs without that wall)."""

import pytest
from django.db import connection
from django.test import Client

from shanghui.core.inbox import person_inbox
from shanghui.core.tenancy import person_context, tenant_context
from shanghui.network.models import (
    Conversation,
    Deal,
    Message,
    PlatformBlock,
    SensitiveWord,
    Visibility,
)
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side

from .conversation_helpers import platform_pair, published_listing


def inquire_url(side: Side, listing_id: int) -> str:
    return f"/a/{side.association.slug}/network/listings/{listing_id}/inquire/"


def thread_url(side: Side, conversation_id: int, rest: str = "") -> str:
    return f"/a/{side.association.slug}/network/conversations/{conversation_id}/{rest}"


def _conversation_of(user: object) -> Conversation:
    with person_context(user):  # type: ignore[arg-type]
        return Conversation.objects.select_related("inquirer_association").get()


@pytest.mark.django_db
def test_a_member_of_another_association_inquires_and_both_sides_talk(
    side_a: Side, side_b: Side, member_a: Client, member_b: Client, admin_a: Client
) -> None:
    listing = platform_pair(side_a, side_b)
    with as_app_role():
        form = member_b.get(inquire_url(side_b, listing.pk))
        assert form.status_code == 200
        assert "采购螺纹钢500吨" in form.content.decode()
        assert "13912345678" not in form.content.decode()  # never the listing's contact

        sent = member_b.post(inquire_url(side_b, listing.pk), {"text": "我司有现货，价格可谈"})
        assert sent.status_code == 302
        conversation = _conversation_of(side_b.member_user)
        assert sent["Location"] == thread_url(side_b, conversation.pk)
        assert conversation.inquirer_association == side_b.association
        assert conversation.poster_id == side_a.member_user.pk

        # The poster is told in their own association, and sees it unread in 我的洽谈.
        with person_context(side_a.member_user):
            inbox = person_inbox(side_a.member_user)
        assert [m.association_id for m in inbox] == [side_a.association.pk]
        assert "我司有现货" in inbox[0].text
        mine = member_a.get(f"/a/{side_a.association.slug}/network/conversations/")
        assert "采购螺纹钢500吨" in mine.content.decode()
        assert "有未读消息" in mine.content.decode()

        thread = member_a.get(thread_url(side_a, conversation.pk))
        assert thread.status_code == 200
        assert "我司有现货，价格可谈" in thread.content.decode()
        assert (
            "有未读消息"
            not in member_a.get(
                f"/a/{side_a.association.slug}/network/conversations/"
            ).content.decode()
        )
        replied = member_a.post(thread_url(side_a, conversation.pk), {"text": "请报价"})
        assert replied.status_code == 302
        assert "请报价" in member_b.get(thread_url(side_b, conversation.pk)).content.decode()

        # A second 我要洽谈 opens the same thread.
        again = member_b.get(inquire_url(side_b, listing.pk))
        assert again.status_code == 302
        assert again["Location"] == thread_url(side_b, conversation.pk)

        # Contact details: none until the poster shares the listing's, gone when withdrawn.
        before = member_b.get(thread_url(side_b, conversation.pk)).content.decode()
        assert "13912345678" not in before
        member_a.post(thread_url(side_a, conversation.pk, "share-contact/"), {"use_listing": "1"})
        assert "13912345678" in member_b.get(thread_url(side_b, conversation.pk)).content.decode()
        member_b.post(
            thread_url(side_b, conversation.pk, "share-contact/"), {"contact": "微信 yishi88"}
        )
        assert "微信 yishi88" in member_a.get(thread_url(side_a, conversation.pk)).content.decode()
        member_a.post(thread_url(side_a, conversation.pk, "withdraw-contact/"))
        assert (
            "13912345678" not in member_b.get(thread_url(side_b, conversation.pk)).content.decode()
        )

        # The poster marks the deal; the inquirer may not.
        assert member_b.get(thread_url(side_b, conversation.pk, "deal/")).status_code == 404
        # A value with three decimals is refused on the form, in Chinese (it once was a 500).
        refused = member_a.post(thread_url(side_a, conversation.pk, "deal/"), {"value": "12.345"})
        assert refused.status_code == 400
        assert "金额最多保留两位小数" in refused.content.decode()
        marked = member_a.post(thread_url(side_a, conversation.pk, "deal/"), {"value": "120,000"})
        assert marked.status_code == 302
        with person_context(side_b.member_user):
            assert Deal.objects.get().value == 120000

        # A's administrator is not a participant: 404, and the database shows no message.
        assert admin_a.get(thread_url(side_a, conversation.pk)).status_code == 404
        if connection.vendor == "postgresql":
            with person_context(side_a.admin):
                assert not Message.objects.exists()
                assert not Conversation.objects.exists()
            with tenant_context(side_a.association):  # its association counts it, no text
                assert Conversation.objects.filter(pk=conversation.pk).exists()
                assert not Message.objects.exists()
        # Nor does the inquirer's thread open in the poster's association's space.
        assert member_b.get(thread_url(side_a, conversation.pk)).status_code == 404


@pytest.mark.django_db
def test_rules_of_writing(side_a: Side, side_b: Side, member_a: Client, member_b: Client) -> None:
    listing = platform_pair(side_a, side_b)
    SensitiveWord.objects.create(word="代开发票")
    with as_app_role():
        # The poster cannot inquire on their own listing.
        own = member_a.post(inquire_url(side_a, listing.pk), {"text": "你好"})
        assert own.status_code == 302
        with person_context(side_a.member_user):
            assert not Conversation.objects.exists()
        # A message with a sensitive word is refused, naming the word.
        refused = member_b.post(inquire_url(side_b, listing.pk), {"text": "可以代开发票"})
        assert refused.status_code == 400
        assert "代开发票" in refused.content.decode()
        member_b.post(inquire_url(side_b, listing.pk), {"text": "你好"})
        conversation = _conversation_of(side_b.member_user)
        # Blocking stops messages both ways.
        member_a.post(thread_url(side_a, conversation.pk, "block/"))
        blocked = member_b.post(thread_url(side_b, conversation.pk), {"text": "在吗"})
        assert blocked.status_code == 400
        assert "屏蔽" in blocked.content.decode()
        member_a.post(thread_url(side_a, conversation.pk, "block/"), {"undo": "1"})
        assert (
            member_b.post(thread_url(side_b, conversation.pk), {"text": "在吗"}).status_code == 302
        )


@pytest.mark.django_db
def test_platform_block_and_unreachable_listings(
    side_a: Side, side_b: Side, member_b: Client
) -> None:
    listing = platform_pair(side_a, side_b)
    own_only = published_listing(side_a, title="本会专供", visibility=Visibility.ASSOCIATION)
    PlatformBlock.objects.create(user=side_b.member_user, reason="多次被举报")
    with as_app_role():
        # Another association's "this association only" listing is 404.
        assert member_b.get(inquire_url(side_b, own_only.pk)).status_code == 404
        refused = member_b.post(inquire_url(side_b, listing.pk), {"text": "你好"})
        assert refused.status_code == 400
        assert "平台限制" in refused.content.decode()
