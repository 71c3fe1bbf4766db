"""Objects of part P1's tests: approved providers with a user, offers and leads, made with
the models directly (as a member's application would through part P2's service)."""

from django.utils import timezone

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.tenancy import provider_context
from shanghui.providers.models import Lead, Offer, Provider, ProviderUser
from shanghui.testing.factories import make_uscc


def approved_provider(
    *, name: str, slug: str, user: User, category: str = "bank", kind: str = "admin"
) -> Provider:
    provider = Provider.objects.create(
        name=name,
        slug=slug,
        category=category,
        uscc=make_uscc("91"),
        licence_number="L-1",
        region_code="440300",
        contact_name="联系人",
        contact_phone="13800138000",
        status=Provider.Status.APPROVED,
    )
    with provider_context(provider):
        ProviderUser.objects.create(provider=provider, user=user, kind=kind)
    return provider


def offer_of(provider: Provider, *, title: str = "会员专属贷", status: str = "draft") -> Offer:
    with provider_context(provider):
        return Offer.objects.create(
            provider=provider,
            title=title,
            summary="低息",
            annual_rate_min="3.10",
            annual_rate_max="4.20",
            status=status,
        )


def lead_of(offer: Offer, *, association: Association, name: str = "龚志军") -> Lead:
    with provider_context(offer.provider):
        return Lead.objects.create(
            provider=offer.provider,
            offer=offer,
            association=association,
            application_id=1,
            shared={"name": name, "phone": "13912345678"},
            purpose="申请贷款",
            consented_at=timezone.now(),
        )
