"""The dues app's pages (thin: parse, access, call a service, render):

- ``bills``: the back office's bills, the bill run, payments, closing, reversals, receipts and
  certificates, and the dues panel of a member's record;
- ``schedules``: fee schedules and the dues policy;
- ``arrears``: arrears, reminders and their export;
- ``mine``: a member's own bills and receipts on the phone;
- ``shared``: what they share (error text, filters, PDF answers).
"""
