"""Changing events (services: keyword-only, ``actor=``, audit-logged), split by concern:

- ``events``: details, audience, documents, calendars;
- ``setup``: ticket types, the agenda, check-in lists, 签到员;
- ``registration``: seats, the waitlist, cancelling, approval;
- ``fees``: a registration's fee, paid offline or online;
- ``guests``: a guest's phone number proved by a one-time code;
- ``checkin``: checking people in and out;
- ``after``: minutes, resolutions, feedback;
- ``notices``: messages to people and their read state;
- ``common``: the helpers they share.
"""
