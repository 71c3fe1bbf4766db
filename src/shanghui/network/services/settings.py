"""An association's part in the network (``NetworkSettings``): joining or leaving the
platform-wide network, and whether the secretariat reviews listings before they appear.
Joining or leaving re-indexes the association's published listings and its enterprises that
opted in at once, so a listing marked 平台 leaves (or enters) the platform index in the same
transaction."""

from django.db import transaction

from shanghui.accounts.models import User
from shanghui.core.audit import audit
from shanghui.core.types import Tenant
from shanghui.network.models import Listing, NetworkSettings, Visibility
from shanghui.network.services.index import listing_index_write
from shanghui.network.services.showcase import enterprise_index_rebuild


def network_settings(association: Tenant) -> NetworkSettings:
    """The association's settings row (unsaved defaults when it has none yet)."""
    found = NetworkSettings.objects.filter(association_id=association.pk).first()
    return found or NetworkSettings(association_id=association.pk)


@transaction.atomic
def network_settings_update(
    *,
    association: Tenant,
    actor: User | None,
    joins_platform: bool,
    moderate_before_publishing: bool,
) -> NetworkSettings:
    """Saves the association's choices (secretariat: ``network.moderate``); joining or leaving
    the platform network re-indexes its published platform-wide listings. Audit-logged."""
    settings, _created = NetworkSettings.objects.select_for_update().get_or_create(
        association_id=association.pk
    )
    joined_before = settings.joins_platform
    settings.joins_platform = bool(joins_platform)
    settings.moderate_before_publishing = bool(moderate_before_publishing)
    settings.save(update_fields=["joins_platform", "moderate_before_publishing", "updated_at"])
    if joined_before != settings.joins_platform:
        listings = Listing.objects.filter(
            association_id=association.pk,
            status=Listing.Status.PUBLISHED,
            visibility=Visibility.PLATFORM,
        ).select_related("member", "association")
        for listing in listings:
            listing_index_write(listing)
        # The enterprise index holds only associations in the network.
        enterprise_index_rebuild(association=association)  # type: ignore[arg-type]
    audit(
        actor=actor,
        action="network.settings.update",
        association=association,
        target=settings,
        data={
            "joins_platform": settings.joins_platform,
            "moderate_before_publishing": settings.moderate_before_publishing,
        },
    )
    return settings
