"""The app's URLs, and the floors. The HTML floors live under the app's
``/a/<association_slug>/`` (at ``…/floor/``), so that the tenant door (``TenantMiddleware``,
which resolves only paths under ``/a/``) lets them in as it lets the app's pages in; the API
floors, under ``/floor/api/``, open the scope themselves, as the API's door does."""

from django.urls import include, path

from floor import views

API = "floor/api/associations/<slug:slug>/"

urlpatterns = [
    path(f"{API}members", views.api_members),
    path(f"{API}events", views.api_events),
    path(f"{API}events/<int:event_id>/registrations", views.api_register),
    path("a/<slug:association_slug>/floor/directory/", views.html_directory),
    path("a/<slug:association_slug>/floor/office/members/", views.html_office_members),
    path("", include("shanghui.config.urls")),
]
