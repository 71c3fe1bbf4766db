"""The dues app's JSON API under /api/v1/associations/{slug}/dues/ (``dues.dues_router``, assembled
by ``site.api``). Endpoints are thin and call the same services and selectors as the pages.

- ``policy``: fee schedules and the dues policy;
- ``bills``: the bill run, bills, recording payments, closing, paying online, certificates;
- ``payments``: reversals and receipts;
- ``arrears``: the arrears list, reminders and its export;
- ``schemas``: the request and response bodies of all of them.
"""
