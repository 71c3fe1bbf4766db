"""Mounted at /a/<association_slug>/ under the namespace "events": members' pages under
events/, the back office under office/events/, the public calendar under calendar/."""

urlpatterns: list = []
