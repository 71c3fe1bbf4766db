"""Listings for the conversation tests, made directly with the model (the listing services
are another part's): a published listing of A's member, indexed as the publish service would."""

from datetime import timedelta

from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.network.models import Listing, ListingKind, NetworkSettings, Visibility
from shanghui.network.services.index import listing_index_write
from shanghui.testing.fixtures import Side


def join_platform(association: Association) -> None:
    with tenant_context(association):
        NetworkSettings.objects.update_or_create(
            association=association, defaults={"joins_platform": True}
        )


def published_listing(
    side: Side,
    *,
    title: str = "采购螺纹钢500吨",
    visibility: str = Visibility.PLATFORM,
    contact: str = "13912345678 龚经理",
) -> Listing:
    with tenant_context(side.association):
        listing = Listing.objects.create(
            association=side.association,
            member=side.member,
            poster=side.member_user,
            kind=ListingKind.NEED,
            title=title,
            body="长期采购，要求国标。",
            industry_code="C31",
            region_code="360100",
            valid_until=timezone.localdate() + timedelta(days=90),
            visibility=visibility,
            contact=contact,
            status=Listing.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        listing_index_write(listing)
    return listing


def platform_pair(side_a: Side, side_b: Side) -> Listing:
    """Both associations in the network; A's member's platform-wide need."""
    join_platform(side_a.association)
    join_platform(side_b.association)
    return published_listing(side_a)
