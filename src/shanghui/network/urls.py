from django.urls import URLPattern, path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.network.views import (
    conversations,
    listings,
    office,
    platform,
    reports,
    search,
    showcase,
)

app_name = "network"

# One list, in parts; each part's routes are built in its own views module.
urlpatterns: list[URLPattern] = []

# -- Listings: post, edit, renew, withdraw, moderation, reports, blocks (part L) ------------
_LISTING = f"{SPACE}network/listings/<int:listing_id>/"
_OFFICE_LISTING = f"{OFFICE}network/listings/<int:listing_id>/"
urlpatterns += [
    path(f"{SPACE}network/mine/", listings.my_listings, name="my_listings"),
    path(f"{SPACE}network/new/", listings.listing_new, name="listing_new"),
    path(_LISTING, listings.listing, name="listing"),
    path(f"{_LISTING}edit/", listings.listing_edit, name="listing_edit"),
    path(f"{_LISTING}renew/", listings.listing_renew, name="listing_renew"),
    path(f"{_LISTING}withdraw/", listings.listing_withdraw, name="listing_withdraw"),
    path(f"{_LISTING}report/", listings.listing_report, name="listing_report"),
    path(f"{_LISTING}images/", listings.listing_image_add, name="listing_image_add"),
    path(
        f"{SPACE}network/images/<int:listing_image_id>/",
        listings.listing_image,
        name="listing_image",
    ),
    path(f"{OFFICE}network/", office.office_listings, name="office_listings"),
    path(_OFFICE_LISTING, office.office_listing, name="office_listing"),
    path(f"{_OFFICE_LISTING}review/", office.office_listing_review, name="office_listing_review"),
    path(
        f"{_OFFICE_LISTING}take-down/",
        office.office_listing_take_down,
        name="office_listing_take_down",
    ),
    path(f"{OFFICE}network/reports/", office.office_reports, name="office_reports"),
    path(
        f"{OFFICE}network/reports/<int:report_id>/",
        office.office_report_handle,
        name="office_report_handle",
    ),
    path(f"{OFFICE}network/blocks/", office.office_blocks, name="office_blocks"),
    path(
        f"{OFFICE}network/blocks/<int:block_id>/remove/",
        office.office_block_remove,
        name="office_block_remove",
    ),
    path(f"{OFFICE}network/settings/", office.office_settings, name="office_settings"),
    path("platform/network/reports/", platform.platform_reports, name="platform_reports"),
    path(
        "platform/network/reports/<int:report_id>/",
        platform.platform_report_handle,
        name="platform_report_handle",
    ),
    path("platform/network/blocks/", platform.platform_blocks, name="platform_blocks"),
    path("platform/network/words/", platform.platform_words, name="platform_words"),
]

# -- Search, matching, showcase and directory (part S) ----------------------------------------
urlpatterns += [
    path(f"{SPACE}network/", search.home, name="home"),
    path(f"{SPACE}network/listings/<int:listing_id>/matches/", search.matches, name="matches"),
    path(f"{SPACE}network/directory/", search.directory, name="directory"),
    path(f"{SPACE}network/enterprises/<int:enterprise_id>/", search.enterprise, name="enterprise"),
    path(f"{SPACE}network/showcase/", showcase.my_showcase, name="my_showcase"),
    path(
        f"{SPACE}network/showcase/items/new/",
        showcase.showcase_item_new,
        name="showcase_item_new",
    ),
    path(
        f"{SPACE}network/showcase/items/<int:showcase_item_id>/",
        showcase.showcase_item_edit,
        name="showcase_item_edit",
    ),
    path(
        f"{SPACE}network/showcase/items/<int:showcase_item_id>/delete/",
        showcase.showcase_item_delete,
        name="showcase_item_delete",
    ),
    path(
        f"{SPACE}network/showcase/items/<int:showcase_item_id>/image/",
        showcase.showcase_item_image,
        name="showcase_item_image",
    ),
]

# -- Conversations, contact sharing, deals and reports (part C) ------------------------------
_THREAD = f"{SPACE}network/conversations/<int:conversation_id>/"
urlpatterns += [
    path(
        f"{SPACE}network/listings/<int:listing_id>/inquire/",
        conversations.conversation_start,
        name="conversation_start",
    ),
    path(f"{SPACE}network/conversations/", conversations.conversations, name="conversations"),
    path(_THREAD, conversations.conversation, name="conversation"),
    path(
        f"{_THREAD}share-contact/",
        conversations.conversation_share_contact,
        name="conversation_share_contact",
    ),
    path(
        f"{_THREAD}withdraw-contact/",
        conversations.conversation_withdraw_contact,
        name="conversation_withdraw_contact",
    ),
    path(f"{_THREAD}block/", conversations.conversation_block, name="conversation_block"),
    path(f"{_THREAD}deal/", conversations.deal_mark_view, name="deal_mark"),
    path(
        f"{SPACE}network/deals/<int:deal_id>/answer/",
        conversations.deal_answer_view,
        name="deal_answer",
    ),
    path(f"{OFFICE}network/report/", reports.office_report, name="office_report"),
]
