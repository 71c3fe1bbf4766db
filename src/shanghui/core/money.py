"""Money is Decimal in CNY. Amounts people type are parsed by one function, ``parse_cny``, at
every door (form, API, import): exact to the fen or refused. Computed amounts (shares,
discounts) are rounded half-up to the fen with ``to_fen`` before anything else is done with them."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FEN = Decimal("0.01")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)
# The largest amount stored anywhere (DecimalField(max_digits=12, decimal_places=2)).
MAX_AMOUNT = Decimal("9999999999.99")
_GROUPING = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_cny(
    value: object,
    *,
    field: str = "amount",
    allow_zero: bool = False,
    maximum: Decimal = MAX_AMOUNT,
) -> Decimal:
    """An amount in yuan as a person typed it (``5000``, ``5,000.50``, ``¥5000``, ``５０００元``)
    or as a JSON number. Refused with a message under ``field``: anything that is not a plain
    number, more than two decimals (``10.005`` is not silently 10.01), exponent notation
    (``1e3``), negative amounts, zero unless allowed, and amounts above ``maximum``."""
    if isinstance(value, bool):
        raise ValidationError({field: _("请填写有效的金额，例如 5000 或 5000.00")})
    if isinstance(value, float):
        text = repr(value)
    else:
        text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
        text = text.removeprefix("¥").removesuffix("元").strip()
        if _GROUPING.match(text):
            text = text.replace(",", "")
    try:
        raw = Decimal(text)
        if not raw.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("请填写有效的金额，例如 5000 或 5000.00")}) from exc
    if abs(raw) > maximum:
        raise ValidationError(
            {field: _("金额过大：最多 %(maximum)s 元") % {"maximum": f"{maximum:,.2f}"}}
        )
    if "e" in text.lower() and not isinstance(value, float):
        raise ValidationError({field: _("请直接填写金额，不要使用科学计数法")})
    if raw != raw.quantize(FEN):
        raise ValidationError({field: _("金额最多保留两位小数（精确到分）")})
    if raw < 0:
        raise ValidationError({field: _("金额不能为负数")})
    if raw == 0 and not allow_zero:
        raise ValidationError({field: _("金额必须大于 0")})
    return raw.quantize(FEN)


def to_fen(amount: Decimal | int | str) -> Decimal:
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def _trim(value: Decimal, places: int) -> str:
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_cny(amount: Decimal | int | str) -> str:
    """¥1,234.50 — exact, for tables, receipts and exports."""
    return f"¥{to_fen(amount):,.2f}"


# Large-amount units by language: Chinese readers count in 万 and 亿 (萬/億 in traditional
# characters), English readers in millions and billions.
_UNITS_BY_LANGUAGE = {
    "zh-hans": ((YI, "亿"), (WAN, "万")),
    "zh-hant": ((YI, "億"), (WAN, "萬")),
    "en": ((Decimal(10) ** 9, " billion"), (Decimal(10) ** 6, " million")),
}


def format_cny_short(amount: Decimal | int | str, language: str | None = None) -> str:
    """How a reader expects large amounts: ¥8,500 · ¥12.5万 · ¥3.2亿 in 简体, ¥12.5萬 in
    繁體, ¥125,000 · ¥3.2 million · ¥1.5 billion in English (the active language unless
    ``language`` is given)."""
    value = to_fen(amount)
    sign = "-" if value < 0 else ""
    value = abs(value)
    language = language or get_language() or "zh-hans"
    units = _UNITS_BY_LANGUAGE.get(language, _UNITS_BY_LANGUAGE["zh-hans"])
    (large, large_name), (small, small_name) = units
    # Compared after rounding to the two places the smaller unit shows: ¥99,999,999.99 is
    # 1亿, never 10000万 (the same for a billion).
    if (value / small).quantize(FEN, rounding=ROUND_HALF_UP) >= large / small:
        return f"{sign}¥{_trim(value / large, 2)}{large_name}"
    if value >= small:
        shown = (value / small).quantize(FEN, rounding=ROUND_HALF_UP)
        return f"{sign}¥{_trim(shown, 2)}{small_name}"
    return f"{sign}¥{value:,.2f}".replace(".00", "")


def amount_in_words(amount: Decimal | int | str) -> str:
    """人民币大写: 1234.5 → 壹仟贰佰叁拾肆元伍角整 (for receipts)."""
    value = to_fen(amount)
    words: str = cn2an.an2cn(f"{value:f}", "rmb")
    # Banking convention: amounts that stop at 元 or 角 end with 整.
    if (value * 100) % 10 == 0 and not words.endswith("整"):
        words += "整"
    return words
