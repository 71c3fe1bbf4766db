"""Applying, withdrawing and rating as production runs them: on PostgreSQL as the application
role, under row-level security. The member's request is in their association's tenant
context; the lead is written in the provider's context nested in it; the offer's rating count
is the provider's to write; the association reads its own applications, never the provider's
lead or notes."""

import pytest

from shanghui.core.tenancy import provider_context, scopes_disabled, tenant_context
from shanghui.providers.models import Lead, LeadNote, Offer, OfferApplication
from shanghui.providers.services.applications import (
    ApplicationInput,
    application_create,
    application_rate,
    application_withdraw,
)
from shanghui.providers.tests.p2_helpers import choose, make_offer, make_provider
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side, client_for

pytestmark = pytest.mark.postgres_only


@pytest.mark.django_db
def test_apply_withdraw_and_rate_as_the_application_role(side_a: Side, side_b: Side) -> None:
    bank = make_provider()
    clinic = make_provider(name="乙医院", slug="yi-clinic", category="medical")
    offer = make_offer(bank)
    choose(side_a, offer)
    a = side_a.association
    with as_app_role():
        with tenant_context(a):
            application = application_create(
                association=a,
                actor=side_a.member_user,
                offer=offer,
                data=ApplicationInput(fields=["name", "phone"], member=side_a.member, agree=True),
            )
            # The association keeps the consent; it cannot read the provider's lead (the
            # database refuses it even with the application's scope check out of the way).
            assert OfferApplication.objects.filter(pk=application.pk).exists()
            with scopes_disabled():
                assert not Lead.objects.filter(pk=application.lead_id).exists()
        with provider_context(bank):
            lead = Lead.objects.get(pk=application.lead_id)
            assert lead.shared == {
                "name": side_a.member_user.name,
                "phone": side_a.member_user.phone,
            }
            LeadNote.objects.create(provider=bank, lead=lead, text="已电话联系，客户想贷两百万")
        with provider_context(clinic):  # another provider sees nothing of it
            assert not Lead.objects.filter(pk=application.lead_id).exists()
        with tenant_context(side_b.association):  # nor does another association
            assert not OfferApplication.objects.filter(pk=application.pk).exists()

        with tenant_context(a):
            application_rate(
                association=a,
                actor=side_a.member_user,
                application=application,
                rating=4,
                comment="放款很快",
            )
            # Outside the provider's context the offer stays unwritable by the association.
            assert Offer.objects.filter(pk=offer.pk).update(rating_total=999) == 0
        with provider_context(bank):
            offer.refresh_from_db()
            assert (offer.rating_count, offer.rating_total) == (1, 4)
            assert Lead.objects.get(pk=lead.pk).rating == 4

        with tenant_context(a):
            application_withdraw(association=a, actor=side_a.member_user, application=application)
        with provider_context(bank):
            lead.refresh_from_db()
            assert lead.shared == {}
            assert lead.withdrawn_at is not None
        with tenant_context(a):
            application.refresh_from_db()
            assert application.withdrawn_at is not None


@pytest.mark.django_db
def test_a_withdrawn_offer_keeps_the_members_application_withdrawable(side_a: Side) -> None:
    """The association cannot read an offer the provider withdrew (its policy): the member's
    list must not join it, or the application — and the way to withdraw — would vanish."""
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_a, offer)
    a = side_a.association
    with as_app_role():
        with tenant_context(a):
            application = application_create(
                association=a,
                actor=side_a.member_user,
                offer=offer,
                data=ApplicationInput(fields=["name"], agree=True),
            )
        with provider_context(bank):
            Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.WITHDRAWN)
        client = client_for(side_a.member_user)
        page = client.get(f"/a/{a.slug}/services/mine/")
        assert page.status_code == 200
        assert "（服务已下架）" in page.content.decode()
        withdraw = f"/a/{a.slug}/services/applications/{application.pk}/withdraw/"
        assert client.post(withdraw).status_code == 302
        with provider_context(bank):
            assert Lead.objects.get(pk=application.lead_id).shared == {}


@pytest.mark.django_db
def test_the_usage_page_never_shows_the_providers_notes(side_a: Side) -> None:
    bank = make_provider()
    offer = make_offer(bank)
    choose(side_a, offer)
    a = side_a.association
    with as_app_role():
        with tenant_context(a):
            application = application_create(
                association=a,
                actor=side_a.member_user,
                offer=offer,
                data=ApplicationInput(fields=["name"], member=side_a.member, agree=True),
            )
            application_rate(
                association=a,
                actor=side_a.member_user,
                application=application,
                rating=5,
                comment="经理很专业",
            )
        with provider_context(bank):
            LeadNote.objects.create(
                provider=bank, lead_id=application.lead_id, text="内部备注：客户征信一般"
            )
        page = client_for(side_a.admin).get(f"/a/{a.slug}/office/services/usage/")
        assert page.status_code == 200
        text = page.content.decode()
        assert offer.title in text and "经理很专业" in text
        assert "内部备注" not in text and "征信" not in text
        api = client_for(side_a.admin).get(f"/api/v1/associations/{a.slug}/services/usage")
        assert api.status_code == 200
        assert api.json()["offers"][0]["applications"] == 1
        assert "内部备注" not in api.content.decode()
