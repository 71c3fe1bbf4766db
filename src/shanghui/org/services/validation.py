"""What every service of the organisation structure checks the same way: text lengths, dates
in a sensible range, small integers, and unique constraints that a concurrent save may hit."""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

T = TypeVar("T")

# Dates outside this range are typing mistakes (and would overflow date arithmetic).
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
MAX_SMALL = 32767


class Errors:
    """Collects field errors so that a form shows all of them at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def text(self, field: str, value: str, *, label: str, max_length: int, required: bool) -> str:
        value = (value or "").strip()
        if required and not value:
            self.add(field, _("请填写%(label)s") % {"label": label})
        elif len(value) > max_length:
            self.add(field, _("%(label)s不能超过 %(n)s 个字") % {"label": label, "n": max_length})
        return value

    def day(self, field: str, value: date | None, *, label: str) -> None:
        if value is not None and not EARLIEST <= value <= LATEST:
            self.add(field, _("%(label)s须在 1900 年至 2100 年之间") % {"label": label})

    def small(self, field: str, value: int, *, label: str) -> None:
        if not 0 <= value <= MAX_SMALL:
            self.add(field, _("%(label)s须在 0 至 32767 之间") % {"label": label})

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(self.fields)


def pk_of(obj: object) -> int:
    """The id of ``obj`` to exclude from a uniqueness check; 0 (no row) for a new object."""
    return int(getattr(obj, "pk", None) or 0)


def unique_save(fn: Callable[[], T], field: str, message: str) -> T:
    """Runs a write that a unique constraint may refuse (two people saving at once) and turns
    the refusal into a form error."""
    try:
        with transaction.atomic():
            return fn()
    except IntegrityError as exc:
        raise ValidationError({field: message}) from exc
