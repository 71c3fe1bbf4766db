from django.urls import URLPattern

app_name = "network"

# One list, in parts; each part's routes are built in its own views module.
urlpatterns: list[URLPattern] = []

# -- Listings: post, edit, renew, withdraw, moderation, reports, blocks (part L) ------------

# -- Search, matching, showcase and directory (part S) ----------------------------------------

# -- Conversations, contact sharing, deals and reports (part C) ------------------------------
