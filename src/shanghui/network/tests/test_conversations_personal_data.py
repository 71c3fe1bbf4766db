"""A person's conversations in their personal-data export, and what their account's deletion
does to them: their messages and shared contact go, the other side's stay, the thread closes."""

import pytest

from shanghui.accounts.personal_data import account_delete, personal_data
from shanghui.core.tenancy import person_context, tenant_context
from shanghui.network.models import Conversation, Message
from shanghui.network.selectors.access import access_listing
from shanghui.network.services.conversations import (
    conversation_share_contact,
    conversation_start,
    message_send,
)
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side

from .conversation_helpers import platform_pair


@pytest.mark.django_db
def test_export_and_deletion(side_a: Side, side_b: Side) -> None:
    listing = platform_pair(side_a, side_b)
    inquirer, poster = side_b.member_user, side_a.member_user
    with as_app_role():
        with tenant_context(side_b.association):
            view = access_listing(
                association=side_b.association, viewer_id=inquirer.pk, listing_id=listing.pk
            )
            conversation = conversation_start(
                association=side_b.association, actor=inquirer, listing=view, text="求购询价"
            ).conversation
            conversation_share_contact(
                actor=inquirer, conversation=conversation, contact="微信 yi8"
            )
        with tenant_context(side_a.association):
            message_send(actor=poster, conversation=conversation, text="已收到")

        exported = personal_data(inquirer)
        assert [row["内容"] for row in exported["洽谈消息"]] == ["求购询价"]
        assert exported["供需洽谈"][0]["我提供的联系方式"] == "微信 yi8"
        assert exported["供需洽谈"][0]["商协会"] == side_b.association.name

        account_delete(user=inquirer, password="Test-pass-2026")
        with person_context(poster):
            assert list(Message.objects.values_list("text", flat=True)) == ["已收到"]
            left = Conversation.objects.get()
        assert left.inquirer_shared_contact == ""
        assert left.blocked_by_id == inquirer.pk
