"""Opening a listing: the one door through which a member reads another association's
listing (docs/architecture.md, "Network and providers")."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.core.tenancy import read_inside
from shanghui.network.models import Listing, ListingIndex, ListingReach, Visibility
from shanghui.network.services.index import joins_platform


@dataclass(frozen=True)
class ListingView:
    """A published listing as a member sees it. ``contact`` is empty unless the viewer may see
    it (the poster's own association, and the poster allowed it); members of other
    associations never get it here — only in a conversation, after the poster shares it."""

    id: int
    association: Association
    kind: str
    title: str
    body: str
    industry_code: str
    region_code: str
    quantity: str
    budget: Decimal | None
    valid_until: date
    published_at: datetime | None
    enterprise: str
    member_id: int
    poster_id: int | None
    visibility: str
    same_association: bool
    contact: str = ""
    image_ids: list[int] = field(default_factory=list)


def _view(listing: Listing, *, same: bool, contact: str) -> ListingView:
    return ListingView(
        id=listing.pk,
        association=listing.association,
        kind=listing.kind,
        title=listing.title,
        body=listing.body,
        industry_code=listing.industry_code,
        region_code=listing.region_code,
        quantity=listing.quantity,
        budget=listing.budget,
        valid_until=listing.valid_until,
        published_at=listing.published_at,
        enterprise=listing.member.name,
        member_id=listing.member_id,
        poster_id=listing.poster_id,
        visibility=listing.visibility,
        same_association=same,
        contact=contact,
        image_ids=[image.file_id for image in listing.images.all() if image.file_id],
    )


def _published(association: Association, listing_id: int) -> Listing | None:
    return (
        Listing.objects.filter(
            association=association,
            pk=listing_id,
            status=Listing.Status.PUBLISHED,
            valid_until__gte=timezone.localdate(),
        )
        .select_related("member", "association")
        .prefetch_related("images")
        .first()
    )


def may_reach(*, association: Association, entry: ListingIndex) -> bool:
    """Whether members of ``association`` may find the indexed listing ``entry``."""
    if entry.association_id == association.pk:
        return True
    if entry.visibility == Visibility.PLATFORM and joins_platform(association):
        return True
    return ListingReach.objects.filter(listing=entry, association=association).exists()


def access_listing(
    *, association: Association, viewer_id: int | None, listing_id: int
) -> ListingView:
    """The published listing ``listing_id`` as a member of ``association`` (the request's,
    whose tenant context is open) may see it: one of the association's own, or another
    association's whose index row reaches this one — read inside the poster's scope
    (``core.tenancy.read_inside``) and without its contact details. Anything else — missing,
    expired, withdrawn, "this association only" of another association, a federation not
    linked, a network this association has not joined — is the same 404."""
    own = _published(association, listing_id)
    if own is not None:
        shown = own.contact_visible_to_members or own.poster_id == viewer_id
        return _view(own, same=True, contact=own.contact if shown else "")
    entry = (
        ListingIndex.objects.filter(listing_id=listing_id, valid_until__gte=timezone.localdate())
        .select_related("association")
        .first()
    )
    if entry is None or entry.association_id == association.pk:
        raise Http404
    if entry.association.status != Association.Status.ACTIVE:
        raise Http404
    if not may_reach(association=association, entry=entry):
        raise Http404
    with read_inside(entry.association):
        listing = _published(entry.association, listing_id)
        if listing is None or listing.visibility == Visibility.ASSOCIATION:
            raise Http404
        return _view(listing, same=False, contact="")
