from django.urls import include, path

from shanghui.site.api import api

# One convention: every app's urls.py holds all its routes (its member pages, its
# /a/<slug>/office/… pages, its /platform/… pages) in one list under its own namespace, the app
# label, and is included once here; back-office pages are named office_<name>, platform pages
# platform_<name> (e.g. events:list, events:office_list, accounts:platform_dashboard).
#
# The API comes first: Django tries the patterns in order, and every app's include that does
# not match a path builds the list of what it tried — ~0.5 ms of CPU per API request when the
# API came last. No app route starts with api/v1/, so the order changes no match.
urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("shanghui.site.urls")),
    path("", include("shanghui.core.urls")),
    path("", include("shanghui.accounts.urls")),
    path("", include("shanghui.members.urls")),
    path("", include("shanghui.dues.urls")),
    path("", include("shanghui.org.urls")),
    path("", include("shanghui.events.urls")),
    path("", include("shanghui.publishing.urls")),
    path("", include("shanghui.documents.urls")),
    path("", include("shanghui.charity.urls")),
    path("", include("shanghui.network.urls")),
    path("", include("shanghui.providers.urls")),
]
