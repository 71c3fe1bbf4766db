"""How many items (书包 10,000 个, 大米 2.5 吨): the one parser of a quantity a person typed,
used at every door (forms, API) like ``core.money.parse_cny`` for amounts."""

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

# The columns hold max_digits=12, decimal_places=2.
MAX_QUANTITY = Decimal("9999999999.99")
_QUANTITY = re.compile(r"^\d+(\.\d+)?$")
_NUMBER_WITH_EXPONENT = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
INVALID = _lazy("请填写有效的数量，例如 100 或 2.5")


def parse_quantity(value: object, *, field: str = "quantity") -> Decimal | None:
    """``10000``, ``10,000``, ``２.５`` (full-width): positive, at most two decimals, no sign or
    exponent, at most ``MAX_QUANTITY``; ``None`` when empty. Refused with a message under
    ``field``."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({field: INVALID})
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    if not text:
        return None
    if "e" in text.lower() and _NUMBER_WITH_EXPONENT.match(text):
        raise ValidationError({field: _("请直接填写数量，不要使用科学计数法")})
    if text.startswith("-") and _QUANTITY.match(text[1:]):
        raise ValidationError({field: _("数量必须大于 0")})
    if not _QUANTITY.match(text):
        raise ValidationError({field: INVALID})
    number = Decimal(text)
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({field: _("数量最多保留两位小数")})
    if number <= 0:
        raise ValidationError({field: _("数量必须大于 0")})
    if number > MAX_QUANTITY:
        raise ValidationError({field: _("数量过大")})
    return number.quantize(Decimal("0.01"))


def parse_required_quantity(value: object, *, field: str = "quantity") -> Decimal:
    """``parse_quantity`` where a quantity must be given."""
    number = parse_quantity(value, field=field)
    if number is None:
        raise ValidationError({field: _("请填写数量")})
    return number
