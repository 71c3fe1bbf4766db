"""The network's and providers' walls as production runs them: on PostgreSQL as the
application role, conversations and messages are their participants' (and a conversation
also its two associations', for counting), a provider's leads are its own, and a published
offer is anyone's to read. On SQLite the same calls run without the database wall."""

import pytest
from django.db import connection

from shanghui.core.tenancy import person_context, provider_context, tenant_context
from shanghui.network.models import Conversation, Message
from shanghui.providers.models import Lead, Offer, Provider, ProviderUser
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.postgres_only


def _conversation(side_a: Side, side_b: Side) -> Conversation:
    with person_context(side_b.member_user):
        conversation = Conversation.objects.create(
            poster_association=side_a.association,
            listing_id=1,
            listing_title="采购螺纹钢",
            poster=side_a.member_user,
            inquirer_association=side_b.association,
            inquirer=side_b.member_user,
        )
        Message.objects.create(
            conversation=conversation,
            sender=side_b.member_user,
            recipient=side_a.member_user,
            text="你好",
        )
    return conversation


@pytest.mark.django_db
def test_a_conversation_is_its_participants_and_counted_by_its_associations(
    side_a: Side, side_b: Side
) -> None:
    with as_app_role():
        conversation = _conversation(side_a, side_b)
        with person_context(side_a.member_user):
            assert Message.objects.filter(conversation=conversation).count() == 1
        with person_context(side_a.admin):  # same association, not a participant
            assert not Conversation.objects.filter(pk=conversation.pk).exists()
            assert not Message.objects.exists()
        with tenant_context(side_a.association):  # its association counts it, reads no text
            assert Conversation.objects.filter(pk=conversation.pk).exists()
            assert not Message.objects.exists()
        stranger = UserFactory()
        with person_context(stranger):
            assert not Conversation.objects.exists()
            with pytest.raises(Exception, match="row-level security"):
                Conversation.objects.create(
                    poster_association=side_a.association,
                    listing_id=2,
                    listing_title="x",
                    poster=side_a.member_user,
                    inquirer_association=side_b.association,
                    inquirer=side_b.member_user,
                )


@pytest.mark.django_db
def test_a_providers_leads_are_its_own_and_published_offers_are_everyones(
    side_a: Side,
) -> None:
    bank, clinic = (
        Provider.objects.create(
            name=name,
            slug=slug,
            category="bank",
            uscc="",
            licence_number="1",
            region_code="440100",
            contact_name="王",
            contact_phone="13900000000",
            status=Provider.Status.APPROVED,
        )
        for name, slug in (("甲银行", "bank"), ("乙医院", "clinic"))
    )
    with as_app_role():
        with provider_context(bank):
            offer = Offer.objects.create(provider=bank, title="会员贷", summary="低息")
            Lead.objects.create(
                provider=bank,
                offer=offer,
                association=side_a.association,
                application_id=1,
                shared={"name": "龚志军"},
                purpose="贷款",
                consented_at=offer.created_at,
            )
            ProviderUser.objects.create(provider=bank, user=side_a.admin)
        with provider_context(clinic):
            assert not Lead.objects.filter(provider=bank).exists()
            assert not Offer.objects.filter(pk=offer.pk).exists()  # a draft is the bank's
            with pytest.raises(Exception, match="row-level security"):
                Lead.objects.create(
                    provider=bank,
                    offer=offer,
                    association=side_a.association,
                    application_id=2,
                    shared={},
                    purpose="x",
                    consented_at=offer.created_at,
                )
        with provider_context(bank):
            Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.PUBLISHED)
        with tenant_context(side_a.association):
            assert Offer.objects.filter(pk=offer.pk).exists()
            assert Offer.objects.filter(pk=offer.pk).update(title="改") == 0
        with person_context(side_a.admin):
            assert ProviderUser.objects.filter(user=side_a.admin).count() == 1
    assert connection.vendor == "postgresql"
