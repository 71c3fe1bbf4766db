"""What changes the dues app's data: fee schedules, the year's bills, payments and their
reversals, waivers, and a member's status following what they owe.

- ``bills``: fee schedules, the dues policy, generating the year's bills;
- ``payments``: recording, reversing and closing, and online payments;
- ``status``: reminders and a member's dues status following their bills;
- ``common``: what they share (billable statuses, payment methods, checks, chunking).

Every service takes ``association`` and ``actor`` (None for the scheduler and payment
providers), validates its input with clear Chinese messages before changing anything, runs in
one transaction and writes an audit record. Money is rounded half-up to the fen on the way in.
"""
