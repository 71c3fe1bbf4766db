"""``events_router`` (defined in ``base``, mounted by ``site.api``) with every endpoint of the
events API registered. Order matters: fixed paths (/notices, /tickets/…, /activity …) are
registered before /{event_id}."""

from shanghui.events.api import notices, events, registrations, checkin, after  # noqa: F401, I001
from shanghui.events.api.base import events_router

__all__ = ["events_router"]
