"""Money is Decimal in CNY. Amounts people type are parsed by one function, ``parse_cny``, at
every door (form, API, import): exact to the fen or refused. Computed amounts (shares,
discounts) are rounded half-up to the fen with ``to_fen`` before anything else is done with them."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

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


@dataclass(frozen=True)
class _DisclosureStyle:
    units: tuple[tuple[Decimal, str], tuple[Decimal, str]]
    figure: str  # the number with its unit → the amount: "{}元", "CNY {}"
    over: str  # a floored amount that is less than the truth: "超{}", "over {}"
    with_part: str  # a total and the part of it named by a label


# Public totals (charity disclosure) as a reader expects them in a sentence: 元 after the
# figure in Chinese, "CNY" before it in English; never the ¥ of tables.
_DISCLOSURE_BY_LANGUAGE = {
    "zh-hans": _DisclosureStyle(
        _UNITS_BY_LANGUAGE["zh-hans"], "{}元", "超{}", "{total}，其中{label}{part}"
    ),
    "zh-hant": _DisclosureStyle(
        _UNITS_BY_LANGUAGE["zh-hant"], "{}元", "超{}", "{total}，其中{label}{part}"
    ),
    "en": _DisclosureStyle(
        _UNITS_BY_LANGUAGE["en"], "CNY {}", "over {}", "{total}, of which {label}: {part}"
    ),
}
# A floored figure keeps this many significant digits: 25.12亿 is 超25亿, 1.67亿 is 超1.6亿,
# 4,234万 is 超4,200万 — a round figure, as a "more than" claim reads in Chinese.
AT_LEAST_DIGITS = 2


def _disclosure_style(language: str | None) -> _DisclosureStyle:
    language = language or get_language() or "zh-hans"
    return _DISCLOSURE_BY_LANGUAGE.get(language, _DISCLOSURE_BY_LANGUAGE["zh-hans"])


def _disclosed(amount: Decimal | int | str) -> Decimal:
    value = Decimal(amount)
    if not value.is_finite() or value < 0:
        # A disclosed total is a sum of a ledger whose amounts are never negative: a negative
        # or missing one is a bug to see, not a figure to publish.
        raise ValueError(f"a disclosed amount is a non-negative number, not {amount!r}")
    return value


def _grouped(number: Decimal) -> str:
    """4,200 · 4,405.3 · 1.67: thousands separators, trailing zeros of the decimals trimmed."""
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _yuan(value: Decimal) -> str:
    """8,500 · 9,999.50: whole yuan without decimals, otherwise to the fen."""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def format_cny_disclosure(
    amount: Decimal | int | str, *, at_least: bool = False, language: str | None = None
) -> str:
    """A public total as a sentence reads it: 25亿元 · 1.67亿元 · 4,200万元 · 8,500元 in 简体
    (億/萬 in 繁體), CNY 2.5 billion · CNY 42 million · CNY 125,000 in English.

    Without ``at_least`` the figure is rounded half-up to two decimals of its unit, as
    ``format_cny_short`` does (99,999,999.99 is 1亿元, never 10000万元). With ``at_least`` it is
    floored to ``AT_LEAST_DIGITS`` significant digits of its unit and, when that is less than
    the amount, says so: 2,512,345,678 is 超25亿元 (over CNY 2.5 billion), 2,499,999,999 is
    超24亿元 — never a figure above the truth; an amount shown exactly (2,500,000,000) is
    25亿元 with no 超. Negative amounts are refused (``ValueError``)."""
    exact = _disclosed(amount)
    style = _disclosure_style(language)
    (large, large_name), (small, small_name) = style.units
    if not at_least:
        value = to_fen(exact)
        if (value / small).quantize(FEN, rounding=ROUND_HALF_UP) >= large / small:
            number = _grouped((value / large).quantize(FEN, rounding=ROUND_HALF_UP)) + large_name
        elif value >= small:
            number = _grouped((value / small).quantize(FEN, rounding=ROUND_HALF_UP)) + small_name
        else:
            number = _yuan(value)
        return style.figure.format(number)
    value = exact.quantize(FEN, rounding=ROUND_FLOOR)
    unit, unit_name = next(
        ((size, name) for size, name in style.units if value >= size), (Decimal(1), "")
    )
    figure = value / unit
    quantum = max(Decimal(1).scaleb(figure.adjusted() - AT_LEAST_DIGITS + 1), FEN / unit)
    shown = (figure / quantum).to_integral_value(rounding=ROUND_FLOOR) * quantum
    number = (_grouped(shown) if unit_name else _yuan(shown)) + unit_name
    text = style.figure.format(number)
    return style.over.format(text) if shown * unit < exact else text


def format_cny_disclosure_exact(amount: Decimal | int | str, *, language: str | None = None) -> str:
    """The exact figure beside a disclosed total: 2,512,345,678.00元 (CNY 2,512,345,678.00 in
    English), to the fen, in the same words as ``format_cny_disclosure``. Negative amounts are
    refused (``ValueError``)."""
    return _disclosure_style(language).figure.format(f"{to_fen(_disclosed(amount)):,.2f}")


def format_total_with_part(
    total: Decimal | int | str,
    part: Decimal | int | str,
    part_label: str,
    *,
    at_least: bool = False,
    language: str | None = None,
) -> str:
    """A total and a named part of it: 1.67亿元，其中现金4,200万元 (CNY 167 million, of which
    cash: CNY 42 million), each formatted by ``format_cny_disclosure`` (floored with
    ``at_least``). ``part_label`` is already in the reader's language (``_("现金")``). A part
    larger than its total is refused (``ValueError``): it is a bug in the sums."""
    if _disclosed(part) > _disclosed(total):
        raise ValueError(f"the part {part!r} is larger than its total {total!r}")
    return _disclosure_style(language).with_part.format(
        total=format_cny_disclosure(total, at_least=at_least, language=language),
        label=part_label,
        part=format_cny_disclosure(part, at_least=at_least, language=language),
    )


def amount_in_words(amount: Decimal | int | str) -> str:
    """人民币大写: 1234.5 → 壹仟贰佰叁拾肆元伍角整 (for receipts)."""
    value = to_fen(amount)
    words: str = cn2an.an2cn(f"{value:f}", "rmb")
    # Banking convention: amounts that stop at 元 or 角 end with 整.
    if (value * 100) % 10 == 0 and not words.endswith("整"):
        words += "整"
    return words
