from django.urls import URLPattern, path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.network.views import conversations, reports

app_name = "network"

# One list, in parts; each part's routes are built in its own views module.
urlpatterns: list[URLPattern] = []

# -- Listings: post, edit, renew, withdraw, moderation, reports, blocks (part L) ------------

# -- Search, matching, showcase and directory (part S) ----------------------------------------

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
