"""The events API under /api/v1/associations/{slug}/events/…: events and their settings,
registrations (with ``Idempotency-Key``), tickets, check-in, attendance, quorum, minutes,
feedback, exports and calendars. Thin: access, call the same services as the pages.

Managing needs ``events.manage`` (the secretariat); an event's 签到员 work its check-in;
members register themselves, read their own registrations, tickets and notices, and get their
calendar subscription URL."""

# Order matters: fixed paths (/notices, /tickets/…, /activity …) are registered before
# /{event_id}.
from shanghui.events.api import base, notices, events, registrations, checkin, after  # noqa: I001
from shanghui.events.api.base import events_router

__all__ = ["after", "base", "checkin", "events", "events_router", "notices", "registrations"]
