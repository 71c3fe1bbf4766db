from django.urls import URLPattern, path

from shanghui.core.urls import SPACE
from shanghui.network.views import search, showcase

app_name = "network"

# One list, in parts; each part's routes are built in its own views module.
urlpatterns: list[URLPattern] = []

# -- Listings: post, edit, renew, withdraw, moderation, reports, blocks (part L) ------------

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
