from django.urls import path

from shanghui.core import views

# Every app's urls.py holds all its routes in one list under its own namespace (the app label)
# and is included once, at the root, from config/urls.py. These are the prefixes of an
# association's pages: its member space and its back office (TenantMiddleware opens the
# tenant scope for every route carrying <association_slug>). Back-office pages are named
# office_<name>, platform-console pages platform_<name>.
SPACE = "a/<slug:association_slug>/"
OFFICE = f"{SPACE}office/"

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("regions/<str:code>/", views.region_children, name="region_children"),
]
