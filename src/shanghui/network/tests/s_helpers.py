"""Part S's test helpers: listings created directly with the model and indexed as the
listing services do (``listing_index_write`` in the listing's tenant context)."""

from datetime import timedelta

from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.network.models import Listing, ListingKind, NetworkSettings, Visibility
from shanghui.network.services.index import listing_index_write
from shanghui.testing.fixtures import Side


def join(association: Association, joins: bool = True) -> None:
    with tenant_context(association):
        NetworkSettings.objects.update_or_create(
            association=association, defaults={"joins_platform": joins}
        )


def post(
    side: Side,
    title: str,
    *,
    kind: str = ListingKind.OFFER,
    body: str = "",
    industry: str = "31",
    region: str = "440305",
    visibility: str = Visibility.PLATFORM,
    member: Member | None = None,
    published_ago: timedelta = timedelta(hours=1),
) -> Listing:
    with tenant_context(side.association):
        listing = Listing.objects.create(
            association=side.association,
            member=member or side.member,
            poster=side.member_user,
            kind=kind,
            title=title,
            body=body,
            industry_code=industry,
            region_code=region,
            valid_until=timezone.localdate() + timedelta(days=30),
            visibility=visibility,
            contact="13900001111",
            status=Listing.Status.PUBLISHED,
            published_at=timezone.now() - published_ago,
        )
        listing_index_write(listing)
    return listing
