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
    return {}, []


def _choices(side_b: Side) -> tuple[dict[str, str], list[str]]:
    """B's member applied (with a rating) to an offer B chose, of a provider whose users
    A's people are not; and a draft offer of that provider (``offer_id`` — part P1 defines
    the same parameter the same way: keep one when merging)."""
    provider = make_provider(name="乙市P2合作银行", slug="yishi-p2-bank")
    draft = make_offer(provider, title="乙市草稿专享贷", status=Offer.Status.DRAFT)
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
        {"offer_id": str(draft.pk), "offer_application_id": str(application.pk)},
        ["乙市草稿专享贷", "乙市会员的服务评价"],
    )
