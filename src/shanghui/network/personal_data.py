"""What the network app keeps about a person, for their personal-data export and account
deletion (collected by ``accounts.personal_data``, which describes the contract). In parts,
like the app's other shared registries: each part adds its tables and its unlinking.

Listings (part L): the person's listings in the association, with their contact field. On
account deletion the live ones are withdrawn (they leave the platform index) and every
listing's contact field is emptied; the listings stay the association's record of what its
member enterprise offered, under the enterprise's name."""

from typing import Any

from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.network.models import Listing
from shanghui.network.services.index import listing_index_write


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    return {**_listing_tables(association, user)}


def unlink(*, association: Association, user: User) -> None:
    """Inside ``association``'s tenant context, as the account is deleted."""
    _listings_unlink(association, user)


# -- part L: listings --


def _listing_tables(association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    rows = Listing.objects.filter(association=association, poster=user).order_by("created_at")
    return {
        _("供需信息"): [
            {
                _("类型"): listing.get_kind_display(),
                _("标题"): listing.title,
                _("详细说明"): listing.body,
                _("行业"): listing.industry_code,
                _("地区"): listing.region_code,
                _("数量"): listing.quantity,
                _("预算（元）"): listing.budget,
                _("有效期至"): listing.valid_until,
                _("可见范围"): listing.get_visibility_display(),
                _("联系方式"): listing.contact,
                _("状态"): listing.get_status_display(),
                _("发布时间"): listing.published_at,
            }
            for listing in rows
        ]
    }


LIVE = (Listing.Status.PENDING, Listing.Status.PUBLISHED, Listing.Status.REJECTED)


def _listings_unlink(association: Association, user: User) -> None:
    listings = Listing.objects.filter(association=association, poster=user).select_related(
        "member", "association"
    )
    for listing in listings:
        changed = ["contact", "updated_at"]
        listing.contact = ""
        if listing.status in LIVE:
            listing.status = Listing.Status.WITHDRAWN
            changed.append("status")
        listing.save(update_fields=changed)
        listing_index_write(listing)
