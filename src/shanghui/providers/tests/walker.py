"""The isolation walker's objects of the providers (core/tests/test_isolation_walker.py): a
provider whose users A's people are not, its offer, lead and the application of B's member."""

from shanghui.core.tenancy import tenant_context
from shanghui.providers.models import Offer
from shanghui.providers.services.applications import (
    ApplicationInput,
    application_create,
    application_rate,
)
from shanghui.providers.tests.p2_helpers import choose, make_offer, make_provider
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    markers: list[str] = []
    for part in (_back_office, _choices):
        part_values, part_markers = part(side_b)
        values.update(part_values)
        markers.extend(part_markers)
    return values, markers


def _back_office(side_b: Side) -> tuple[dict[str, str], list[str]]:
    """An approved provider whose only user is B's administrator, its draft offer, a lead
    from B's member and its note."""
    from django.utils import timezone

    from shanghui.core.tenancy import provider_context
    from shanghui.providers.models import Lead, LeadNote, Provider, ProviderUser

    provider = Provider.objects.create(
        name="乙市农商银行",
        slug="yishi-bank",
        category="bank",
        uscc="91360100MA35L8XK4Q",
        licence_number="B0001",
        region_code="360100",
        contact_name="乙市信贷员",
        contact_phone="13922223333",
        status=Provider.Status.APPROVED,
    )
    with provider_context(provider):
        provider_user = ProviderUser.objects.create(
            provider=provider, user=side_b.admin, kind=ProviderUser.Kind.ADMIN
        )
        offer = Offer.objects.create(
            provider=provider,
            title="乙市草稿会员贷",
            summary="乙市草稿摘要",
            annual_rate_min="3.10",
            annual_rate_max="4.20",
        )
        lead = Lead.objects.create(
            provider=provider,
            offer=offer,
            association=side_b.association,
            application_id=1,
            shared={"name": "乙市线索人", "phone": "13933334444"},
            purpose="乙市线索用途",
            consented_at=timezone.now(),
        )
        LeadNote.objects.create(provider=provider, lead=lead, text="乙市跟进记录")
    values = {
        "provider_slug": provider.slug,
        "provider_id": str(provider.pk),
        "offer_id": str(offer.pk),
        "lead_id": str(lead.pk),
        "provider_user_id": str(provider_user.pk),
    }
    markers = ["乙市草稿会员贷", "乙市线索人", "13933334444", "乙市线索用途", "乙市跟进记录"]
    return values, markers


def _choices(side_b: Side) -> tuple[dict[str, str], list[str]]:
    """B's member applied (with a rating) to an offer B chose, of a provider whose users
    A's people are not (``offer_id`` is the back office's draft offer, above)."""
    provider = make_provider(name="乙市P2合作银行", slug="yishi-p2-bank")
    offer = make_offer(provider, title="乙市会员专享贷")
    choose(side_b, offer)
    b = side_b.association
    with tenant_context(b):
        application = application_create(
            association=b,
            actor=side_b.member_user,
            offer=offer,
            data=ApplicationInput(
                fields=["name", "phone", "enterprise"], member=side_b.member, agree=True
            ),
        )
        application_rate(
            association=b,
            actor=side_b.member_user,
            application=application,
            rating=4,
            comment="乙市会员的服务评价",
        )
    return (
        {"offer_application_id": str(application.pk)},
        ["乙市会员的服务评价"],
    )
