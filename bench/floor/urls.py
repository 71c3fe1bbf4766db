"""The app's URLs, and the floors under ``/floor/``. The HTML floors keep the app's
``a/<association_slug>/`` shape, so that the tenant door (``TenantMiddleware``) lets them in as
it lets the app's pages in; the API floors open the scope themselves, as the API's door does."""

from django.urls import include, path

from floor import views

API = "floor/api/associations/<slug:slug>/"

urlpatterns = [
    path(f"{API}members", views.api_members),
    path(f"{API}events", views.api_events),
    path(f"{API}events/<int:event_id>/registrations", views.api_register),
    path("floor/a/<slug:association_slug>/directory/", views.html_directory),
    path("floor/a/<slug:association_slug>/office/members/", views.html_office_members),
    path("", include("shanghui.config.urls")),
]
