"""What the dues services share: limits, input parsing with clear messages, the policy."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.dues.models import DuesPolicy, Payment
from shanghui.members.models import Member

# Members who receive the year's bill: those in good standing, and those behind on an earlier
# year — they are still members and owe this year too. Applicants, lapsed (过期), withdrawn and
# expelled members are not billed.
BILLABLE_STATUSES = (Member.Status.ACTIVE, Member.Status.IN_ARREARS)
REMINDER_INTERVAL = timedelta(days=7)
BATCH = 2000
MANUAL_METHODS = (Payment.Method.BANK_TRANSFER, Payment.Method.CASH)

Scope = Callable[[], AbstractContextManager[object]]
Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    return None


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Input ------------------------------------------------------------------------------


def validate_year(year: object, *, field: str = "year") -> int:
    this_year = timezone.localdate().year
    try:
        value = int(str(year))
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {field: _("请填写年度，例如 %(year)d") % {"year": this_year}}
        ) from exc
    if not 2000 <= value <= this_year + 5:
        raise ValidationError(
            {field: _("年度应在 2000 到 %(last)d 之间") % {"last": this_year + 5}}
        )
    return value


def clean_text(value: str, *, field: str, limit: int, required_message: str = "") -> str:
    text = (value or "").strip()
    if required_message and not text:
        raise ValidationError({field: required_message})
    if len(text) > limit:
        raise ValidationError({field: _("不能超过 %(limit)d 个字") % {"limit": limit}})
    return text


# --- Policy and fee schedules -----------------------------------------------------------


def dues_policy(association: Association) -> DuesPolicy:
    policy, _created = DuesPolicy.objects.get_or_create(association=association)
    return policy
