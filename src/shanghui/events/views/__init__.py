"""Event pages: ``member`` (phone, WeUI), ``public`` (the opt-in public calendar and guest
registration), ``office`` (the secretariat's desktop pages), ``checkin`` (the door, on a
staff phone) and ``files`` (tickets, .ics, exports, PDFs)."""
