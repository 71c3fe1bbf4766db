"""The events API under /api/v1/associations/{slug}/events/…: events and their settings,
registrations (with ``Idempotency-Key``), tickets, check-in, attendance, quorum, minutes,
feedback, exports and calendars. Thin: access, call the same services as the pages.

Managing needs ``events.manage`` (the secretariat); an event's 签到员 work its check-in;
members register themselves, read their own registrations, tickets and notices, and get their
calendar subscription URL.

- ``router``: ``events_router`` with every endpoint registered, in the order of their paths;
- ``base``: the router and what the endpoints share; ``schemas``: the request and response
  bodies;
- ``notices``: the caller's notices and calendar subscription URL;
- ``events``: events and their settings, the ticket lookup, members' activity figures;
- ``registrations``: registering, the secretariat's actions, tickets, certificates, feedback;
- ``checkin``: check-in lists, 签到员, check-in and check-out at the door;
- ``after``: attendance, quorum, minutes, resolutions, feedback results, documents, exports.
"""
