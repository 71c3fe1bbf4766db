"""The platform index of listings (``ListingIndex``, its words and reach): written only here,
by the listing services, inside the listing's tenant context and transaction — so an index
row never outlives or precedes what it shadows. It holds no person and no contact details."""

from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.core.cache_versions import bump
from shanghui.core.tenancy import tenant_context
from shanghui.network.models import (
    Listing,
    ListingIndex,
    ListingReach,
    ListingWord,
    NetworkSettings,
    Visibility,
)
from shanghui.network.words import document_words
from shanghui.org.models import FigureSharingConsent, GroupMember

# The secretariat's 待办 of the network (listings to review, open reports) are cached with the
# sidebar's counts (site.todos) under this version.
TODOS_VERSION = "network.todos"


def todos_changed(association: Association) -> None:
    """The association's network 待办 must be counted again (a listing changed status, a
    report was filed or closed): in its own scope, in the caller's transaction."""
    with tenant_context(association):
        bump(association.pk, TODOS_VERSION)


def joins_platform(association: Association) -> bool:
    """The association joined the platform-wide network (read in its own scope)."""
    return NetworkSettings.objects.filter(association=association, joins_platform=True).exists()


def federation_of(association: Association) -> set[int]:
    """The associations a ``federation`` listing of ``association`` reaches: its linked group
    members and the parents it names on its data-sharing page. Read in its own scope."""
    children = GroupMember.objects.filter(
        association=association, linked_association__isnull=False
    ).values_list("linked_association_id", flat=True)
    parents = FigureSharingConsent.objects.filter(association=association).values_list(
        "parent_id", flat=True
    )
    return (set(children) | set(parents)) - {association.pk}


def indexed_visibility(listing: Listing) -> str | None:
    """The visibility of the listing's index row, or None when it gets none: only published,
    unexpired listings seen outside the association; ``platform`` only while the association
    is in the network (else its federation still finds it)."""
    if listing.status != Listing.Status.PUBLISHED or listing.valid_until < timezone.localdate():
        return None
    if listing.visibility == Visibility.ASSOCIATION:
        return None
    if listing.visibility == Visibility.PLATFORM and joins_platform(listing.association):
        return Visibility.PLATFORM
    return Visibility.FEDERATION


def listing_index_write(listing: Listing) -> None:
    """Bring the listing's index row, words and reach in line with the listing (call after
    every change of its status, visibility, validity, title, body, industry or region). Every
    change passes here, so the 待办 count of listings to review is refreshed here too."""
    todos_changed(listing.association)
    visibility = indexed_visibility(listing)
    if visibility is None:
        ListingIndex.objects.filter(listing_id=listing.pk).delete()
        return
    entry, _created = ListingIndex.objects.update_or_create(
        listing_id=listing.pk,
        defaults={
            "association_id": listing.association_id,
            "kind": listing.kind,
            "visibility": visibility,
            "title": listing.title,
            "industry_code": listing.industry_code,
            "region_code": listing.region_code,
            "valid_until": listing.valid_until,
            "published_at": listing.published_at or timezone.now(),
            "member_uscc": listing.member.uscc,
        },
    )
    ListingWord.objects.filter(listing=entry).delete()
    ListingWord.objects.bulk_create(
        ListingWord(listing=entry, word=word)
        for word in sorted(document_words(listing.title, listing.body))
    )
    ListingReach.objects.filter(listing=entry).delete()
    ListingReach.objects.bulk_create(
        ListingReach(listing=entry, association_id=association_id)
        for association_id in sorted(federation_of(listing.association))
    )
