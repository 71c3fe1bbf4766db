from django.urls import include, path

from shanghui.accounts import urls as accounts_urls
from shanghui.core import urls as core_urls
from shanghui.dues import urls as dues_urls
from shanghui.events import urls as events_urls
from shanghui.members import urls as members_urls
from shanghui.org import urls as org_urls
from shanghui.site import urls as site_urls
from shanghui.site.api import api

# Pages inside an association's space carry <association_slug>: TenantMiddleware opens the
# tenant scope for them. Member pages are namespace "space", the back office "office".
space_patterns = (
    members_urls.space_urlpatterns + accounts_urls.space_urlpatterns + site_urls.space_urlpatterns,
    "space",
)
office_patterns = (
    site_urls.office_urlpatterns
    + accounts_urls.association_office_urlpatterns
    + members_urls.office_urlpatterns
    + accounts_urls.office_urlpatterns,
    "office",
)
# Dues: /a/<slug>/dues/… (a member's bills) and /a/<slug>/office/dues/… (the secretariat).
space_patterns[0].extend(dues_urls.space_urlpatterns)
office_patterns[0].extend(dues_urls.office_urlpatterns)

urlpatterns = [
    path("", include(site_urls.urlpatterns)),
    path("", include(core_urls.urlpatterns)),
    path("", include(accounts_urls.urlpatterns)),
    path("join/", include(accounts_urls.onboarding_urlpatterns)),
    path("platform/", include((accounts_urls.platform_urlpatterns, "platform"))),
    path("a/<slug:association_slug>/office/", include(office_patterns)),
    path("a/<slug:association_slug>/", include(space_patterns)),
    path("a/<slug:association_slug>/", include((org_urls.urlpatterns, "org"))),
    path("a/<slug:association_slug>/", include((events_urls.urlpatterns, "events"))),
    path("api/v1/", api.urls),
]
