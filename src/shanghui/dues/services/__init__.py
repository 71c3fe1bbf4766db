"""Changing dues: fee schedules, the year's bills, payments and their reversals, waivers, and
a member's status following what they owe.

Every service takes ``association`` and ``actor`` (None for the scheduler and payment
providers), validates its input with clear Chinese messages before changing anything, runs in
one transaction and writes an audit record. Money is rounded half-up to the fen on the way in.
"""

from shanghui.dues.services.bills import (
    BillRunResult,
    bills_generate,
    default_due_on,
    dues_policy_update,
    fee_schedule_set,
    fee_schedules_ensure,
    validate_bill_run,
)
from shanghui.dues.services.common import (
    BILLABLE_STATUSES,
    MANUAL_METHODS,
    REMINDER_INTERVAL,
    chunks,
    clean_text,
    dues_policy,
    no_progress,
    validate_year,
)
from shanghui.dues.services.payments import (
    bill_close,
    online_payment_confirm,
    online_payment_start,
    payment_record,
    payment_reverse,
)
from shanghui.dues.services.status import (
    ReminderResult,
    StatusSyncResult,
    bills_remind,
    member_dues_status_sync,
    members_dues_status_sync,
    reminders_send,
)

__all__ = [
    "BILLABLE_STATUSES",
    "MANUAL_METHODS",
    "REMINDER_INTERVAL",
    "BillRunResult",
    "ReminderResult",
    "StatusSyncResult",
    "bill_close",
    "bills_generate",
    "bills_remind",
    "chunks",
    "clean_text",
    "default_due_on",
    "dues_policy",
    "dues_policy_update",
    "fee_schedule_set",
    "fee_schedules_ensure",
    "member_dues_status_sync",
    "members_dues_status_sync",
    "no_progress",
    "online_payment_confirm",
    "online_payment_start",
    "payment_record",
    "payment_reverse",
    "reminders_send",
    "validate_bill_run",
    "validate_year",
]
