from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shanghui.core.money import amount_in_words, format_cny, format_cny_short, to_fen
from shanghui.core.phone import mask_mobile, normalize_mobile


def test_rounding_is_half_up_to_the_fen() -> None:
    assert to_fen("2.675") == Decimal("2.68")
    assert to_fen("2.665") == Decimal("2.67")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1234.5", "壹仟贰佰叁拾肆元伍角整"),
        ("1234", "壹仟贰佰叁拾肆元整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("100000000", "壹亿元整"),
        ("10.005", "壹拾元零壹分"),
    ],
)
def test_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(amount) == words


def test_large_amounts_in_wan_and_yi() -> None:
    assert format_cny_short(Decimal("8500")) == "¥8,500"
    assert format_cny_short(Decimal("125000")) == "¥12.5万"
    assert format_cny_short(Decimal("320000000")) == "¥3.2亿"
    assert format_cny(Decimal("1234.5")) == "¥1,234.50"


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+86 138-1234-5678",
        "008613812345678",
        "86 138 1234 5678",
        "13812345678\n",  # pasted with the line's end: never stored with it
        " 13812345678 ",
    ],
)
def test_mobile_numbers_normalize(raw: str) -> None:
    assert normalize_mobile(raw) == "13812345678"


@pytest.mark.parametrize(
    "raw", ["12812345678", "1381234567", "138123456789", "abc", "+1 4155550100"]
)
def test_invalid_mobile_numbers(raw: str) -> None:
    with pytest.raises(ValidationError):
        normalize_mobile(raw)


def test_masking() -> None:
    assert mask_mobile("13812345678") == "138****5678"
