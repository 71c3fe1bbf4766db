"""Providers and offers for part P2's tests, written directly (the provider's own services
are part P1's). On PostgreSQL an offer is the provider's to write: it is created inside
``provider_context``."""

from decimal import Decimal

from shanghui.core.tenancy import provider_context, tenant_context
from shanghui.providers.models import Category, Offer, OfferChoice, Provider
from shanghui.testing.fixtures import Side


def make_provider(
    name: str = "甲银行股份有限公司",
    slug: str = "jia-bank",
    category: str = Category.BANK,
    status: str = Provider.Status.APPROVED,
) -> Provider:
    return Provider.objects.create(
        name=name,
        slug=slug,
        category=category,
        uscc="91440101MA59XXXX0X",
        licence_number="B0001H244010001",
        region_code="440100",
        introduction=f"{name}简介",
        contact_name="王经理",
        contact_phone="13900001111",
        status=status,
    )


def make_offer(
    provider: Provider,
    *,
    title: str = "商会会员专属贷款",
    status: str = Offer.Status.PUBLISHED,
    is_course: bool = False,
    rates: tuple[str, str] | None = ("3.45", "4.20"),
) -> Offer:
    with provider_context(provider):
        return Offer.objects.create(
            provider=provider,
            title=title,
            summary=f"{title}摘要",
            body=f"{title}详细介绍",
            annual_rate_min=Decimal(rates[0]) if rates else None,
            annual_rate_max=Decimal(rates[1]) if rates else None,
            is_course=is_course,
            status=status,
        )


def choose(side: Side, offer: Offer) -> OfferChoice:
    with tenant_context(side.association):
        return OfferChoice.objects.create(
            association=side.association, offer=offer, chosen_by=side.admin
        )
