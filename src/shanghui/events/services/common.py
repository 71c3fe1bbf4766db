"""Input cleaning shared by the event services: text limits, times, money (rich text is
``core.richtext.sanitize_html``)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from shanghui.core.money import FEN, parse_cny

MAX_FEE = Decimal("999999.99")


def clean_text(value: Any, *, field: str, limit: int, required: str = "") -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("不能超过 %(limit)d 个字") % {"limit": limit}})
    return text


def parse_when(value: Any, *, field: str, required: bool = True) -> datetime | None:
    """A date and time from a form or the API ("2026-12-20T09:00", with or without an
    offset); times without an offset are Beijing time."""
    if isinstance(value, datetime):
        parsed: datetime | None = value
    else:
        text = str(value or "").strip().replace(" ", "T", 1)
        if not text:
            if required:
                raise ValidationError({field: _("请填写时间")})
            return None
        try:
            parsed = parse_datetime(text)
        except ValueError:
            parsed = None
    if parsed is None or not 2000 <= parsed.year <= 2100:
        raise ValidationError({field: _("时间格式有误，例如 2026-12-20 09:00")})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def parse_fee(value: Any, *, field: str = "fee") -> Decimal:
    """An event's fee or a ticket's price: empty means free."""
    if value is None or str(value).strip() == "":
        return Decimal(0).quantize(FEN)
    return parse_cny(value, field=field, allow_zero=True, maximum=MAX_FEE)


def parse_count(value: Any, *, field: str, limit: int = 100_000, allow_none: bool = False) -> Any:
    if value in (None, "") and allow_none:
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: _("请填写整数")}) from exc
    if not 0 <= number <= limit:
        raise ValidationError({field: _("应在 0 到 %(limit)d 之间") % {"limit": limit}})
    return number


def parse_required_when(value: Any, *, field: str) -> datetime:
    parsed = parse_when(value, field=field)
    assert parsed is not None  # required: parse_when raised otherwise
    return parsed
