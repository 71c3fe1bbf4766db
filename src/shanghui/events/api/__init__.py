"""The events API under /api/v1/associations/{slug}/events/…: events and their settings,
registrations (with ``Idempotency-Key``), tickets, check-in, attendance, quorum, minutes,
feedback, exports and calendars. Thin: access, call the same services as the pages.

Managing needs ``content.edit`` (the secretariat); members register themselves and read
their own registrations and tickets."""

# Order matters: fixed paths (/tickets/…, /activity …) are registered before /{event_id}.
from shanghui.events.api import base, events, registrations, checkin, after  # noqa: I001
from shanghui.events.api.base import events_router

__all__ = ["after", "base", "checkin", "events", "events_router", "registrations"]
