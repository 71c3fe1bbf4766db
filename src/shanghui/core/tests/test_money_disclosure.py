"""Public totals as a Chinese reader expects them (issue 18's disclosure): 元 after the figure,
万/亿 with thousands separators, 超 only on a figure floored below the truth, and the exact
amount beside it."""

import random
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from shanghui.core.money import (
    FEN,
    MAX_AMOUNT,
    format_cny_disclosure,
    format_cny_disclosure_exact,
    format_total_with_part,
)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        # The figures of 广东省江西商会 that the issue quotes.
        ("2500000000", "25亿元"),
        ("167000000", "1.67亿元"),
        ("42000000", "4,200万元"),
        ("1500000", "150万元"),
        ("8500", "8,500元"),
        ("0", "0元"),
        # Rounded half-up to two decimals of the unit, as format_cny_short.
        ("2512345678", "25.12亿元"),
        ("42345678", "4,234.57万元"),
        ("9999.99", "9,999.99元"),
        ("9999.5", "9,999.50元"),
        ("10000", "1万元"),
        ("9999.995", "1万元"),
        ("99999999.99", "1亿元"),  # never 10000万元
        ("99994999.99", "9,999.5万元"),
        ("100000000", "1亿元"),
        (str(MAX_AMOUNT), "100亿元"),
    ],
)
def test_rounded_disclosure(amount: str, shown: str) -> None:
    assert format_cny_disclosure(amount, language="zh-hans") == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("2512345678", "超25亿元"),
        ("2499999999", "超24亿元"),  # never 25亿, which is more than was given
        ("2500000000", "25亿元"),  # shown exactly: no 超, which would say "more than"
        ("167000000", "超1.6亿元"),
        ("42345678", "超4,200万元"),
        ("42000000", "4,200万元"),
        ("1500000", "150万元"),
        ("9999.99", "超9,900元"),
        ("10000", "1万元"),
        ("99999999.99", "超9,900万元"),  # stays in 万: 1亿 would be above the truth
        ("100000000", "1亿元"),
        ("100000000.01", "超1亿元"),
        ("8500", "8,500元"),
        ("8567.89", "超8,500元"),
    ],
)
def test_floored_disclosure(amount: str, shown: str) -> None:
    assert format_cny_disclosure(amount, at_least=True, language="zh-hans") == shown


def test_decimal_inputs_from_strings_and_ints() -> None:
    for amount in ("2512345678.00", Decimal("2512345678.00"), 2512345678):
        assert format_cny_disclosure(amount, at_least=True, language="zh-hans") == "超25亿元"
        assert format_cny_disclosure(amount, language="zh-hans") == "25.12亿元"


def test_traditional_characters_and_english() -> None:
    assert format_cny_disclosure("2500000000", language="zh-hant") == "25億元"
    assert format_cny_disclosure("2512345678", at_least=True, language="zh-hant") == "超25億元"
    assert format_cny_disclosure("42000000", language="zh-hant") == "4,200萬元"
    assert format_cny_disclosure("2500000000", language="en") == "CNY 2.5 billion"
    assert format_cny_disclosure("2512345678", at_least=True, language="en") == (
        "over CNY 2.5 billion"
    )
    assert format_cny_disclosure("167000000", language="en") == "CNY 167 million"
    assert format_cny_disclosure("42000000", language="en") == "CNY 42 million"
    assert format_cny_disclosure("125000", language="en") == "CNY 125,000"
    assert format_cny_disclosure("999999999.99", language="en") == "CNY 1 billion"
    with translation.override("zh-hant"):
        assert format_cny_disclosure("1500000") == "150萬元"
    with translation.override("en"):
        assert format_cny_disclosure("1500000") == "CNY 1.5 million"


def test_the_exact_figure_beside_it() -> None:
    assert format_cny_disclosure_exact("2512345678", language="zh-hans") == "2,512,345,678.00元"
    assert format_cny_disclosure_exact("9999.995", language="zh-hant") == "10,000.00元"
    assert format_cny_disclosure_exact("42000000", language="en") == "CNY 42,000,000.00"


@pytest.mark.parametrize("amount", ["-1", Decimal("-0.01"), "NaN", "Infinity"])
def test_a_negative_or_missing_total_is_refused(amount: Decimal | str) -> None:
    # Ledger amounts are never negative (check constraints; reversals net to >= 0): a negative
    # total is a bug to see, never "-4,200万元" or "超-4,200万元" on a public page.
    for at_least in (False, True):
        with pytest.raises(ValueError):
            format_cny_disclosure(amount, at_least=at_least, language="zh-hans")
    with pytest.raises(ValueError):
        format_cny_disclosure_exact(amount, language="zh-hans")


def test_a_total_with_a_part() -> None:
    assert (
        format_total_with_part("167000000", "42000000", "现金", language="zh-hans")
        == "1.67亿元，其中现金4,200万元"
    )
    assert (
        format_total_with_part("167000000", "42345678", "现金", at_least=True, language="zh-hans")
        == "超1.6亿元，其中现金超4,200万元"
    )
    assert (
        format_total_with_part("167000000", "42000000", "cash", language="en")
        == "CNY 167 million, of which cash: CNY 42 million"
    )
    with pytest.raises(ValueError):
        format_total_with_part("42000000", "167000000", "现金", language="zh-hans")


_UNIT_VALUES = {
    "亿": Decimal(100_000_000),
    "億": Decimal(100_000_000),
    "万": Decimal(10_000),
    "萬": Decimal(10_000),
    " billion": Decimal(10) ** 9,
    " million": Decimal(10) ** 6,
    "": Decimal(1),
}
_UNITS = {
    "zh-hans": (Decimal(10_000), Decimal(100_000_000)),
    "zh-hant": (Decimal(10_000), Decimal(100_000_000)),
    "en": (Decimal(10) ** 6, Decimal(10) ** 9),
}
_SHOWN = {
    "zh-hans": re.compile(r"^(?P<over>超)?(?P<number>[\d,.]+)(?P<unit>亿|万|)元$"),
    "zh-hant": re.compile(r"^(?P<over>超)?(?P<number>[\d,.]+)(?P<unit>億|萬|)元$"),
    "en": re.compile(r"^(?P<over>over )?CNY (?P<number>[\d,.]+)(?P<unit> billion| million|)$"),
}


def _read_back(text: str, language: str) -> tuple[bool, Decimal, Decimal]:
    """What a reader takes from the text: whether it says "more than", the amount, the unit."""
    match = _SHOWN[language].match(text)
    assert match, text
    unit = _UNIT_VALUES[match["unit"]]
    return bool(match["over"]), Decimal(match["number"].replace(",", "")) * unit, unit


def _amounts() -> list[Decimal]:
    rng = random.Random(18)
    amounts = [Decimal(0), FEN, MAX_AMOUNT]
    for boundary in (10_000, 1_000_000, 100_000_000, 1_000_000_000):
        for step in ("-0.01", "-0.005", "0", "0.01", "-1", "1"):
            amounts.append(Decimal(boundary) + Decimal(step))
    for _ in range(3000):
        digits = rng.randint(1, 12)
        amounts.append(Decimal(rng.randint(0, 10**digits - 1)) * FEN)
    # Round figures and figures just under them: where rounding up would be tempting.
    for _ in range(1000):
        amount = Decimal(rng.randint(1, 99)) * Decimal(10) ** rng.randint(0, 8)
        amounts += [amount, amount - FEN]
    return [amount for amount in amounts if 0 <= amount <= MAX_AMOUNT]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_a_floored_figure_never_exceeds_the_truth(language: str) -> None:
    for amount in _amounts():
        over, shown, _unit = _read_back(
            format_cny_disclosure(amount, at_least=True, language=language), language
        )
        assert shown <= amount, amount
        # 超 exactly when the figure is below the truth; and no further below it than its
        # two significant digits allow.
        assert over == (shown < amount), amount
        assert amount - shown < max(amount / 10, FEN), amount


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_a_rounded_figure_is_within_half_its_last_digit(language: str) -> None:
    for amount in _amounts():
        over, shown, unit = _read_back(format_cny_disclosure(amount, language=language), language)
        assert not over
        assert abs(shown - amount) <= unit * FEN / 2, amount
        # Never 10000万 (or 1000 million): the next unit up.
        larger = [size for size in _UNITS[language] if size > unit]
        assert not larger or shown < min(larger), amount


def test_template_filters() -> None:
    template = Template(
        "{% load money %}{{ total|cny_disclosure_floor }}（{{ total|cny_disclosure_exact }}）"
        " {{ total|cny_disclosure }} {{ missing|cny_disclosure }}"
    )
    context = Context({"total": Decimal("2512345678.00"), "missing": None})
    with translation.override("zh-hans"):
        assert template.render(context) == "超25亿元（2,512,345,678.00元） 25.12亿元 0元"
    with translation.override("en"):
        assert template.render(context) == (
            "over CNY 2.5 billion（CNY 2,512,345,678.00） CNY 2.51 billion CNY 0"
        )
