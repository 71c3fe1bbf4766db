"""Namespace "publishing": articles and news, announcements (``urls_announcements``)."""

from shanghui.publishing import urls_announcements

app_name = "publishing"

urlpatterns = [*urls_announcements.urlpatterns]
