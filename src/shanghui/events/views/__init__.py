"""Event pages: ``member`` (phone, WeUI), ``public`` (the opt-in public calendar and guest
registration), ``office`` (the secretariat's desktop pages), ``setup`` (ticket types, agenda,
check-in lists), ``registrations`` (the secretariat's actions on registrations), ``after``
(attendance, minutes, feedback), ``checkin`` (the door, on a staff phone) and ``files``
(tickets, .ics, exports, PDFs)."""
