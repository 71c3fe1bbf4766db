from django.urls import include, path

from shanghui.site.api import api

# One convention: every app's urls.py holds all its routes (its member pages, its
# /a/<slug>/office/… pages, its /platform/… pages) in one list under its own namespace, the app
# label, and is included once here; back-office pages are named office_<name>, platform pages
# platform_<name> (e.g. events:list, events:office_list, accounts:platform_dashboard).
urlpatterns = [
    path("", include("shanghui.site.urls")),
    path("", include("shanghui.core.urls")),
    path("", include("shanghui.accounts.urls")),
    path("", include("shanghui.members.urls")),
    path("", include("shanghui.dues.urls")),
    path("", include("shanghui.org.urls")),
    path("", include("shanghui.events.urls")),
    path("api/v1/", api.urls),
]
