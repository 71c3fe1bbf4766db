"""Money is Decimal in CNY, rounded half-up to the fen before anything else is done with it."""

from decimal import ROUND_HALF_UP, Decimal

import cn2an

FEN = Decimal("0.01")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def to_fen(amount: Decimal | int | str) -> Decimal:
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def _trim(value: Decimal, places: int) -> str:
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_cny(amount: Decimal | int | str) -> str:
    """¥1,234.50 — exact, for tables, receipts and exports."""
    return f"¥{to_fen(amount):,.2f}"


def format_cny_short(amount: Decimal | int | str) -> str:
    """How a Chinese reader expects large amounts: ¥8,500 · ¥12.5万 · ¥3.2亿."""
    value = to_fen(amount)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= YI:
        return f"{sign}¥{_trim(value / YI, 2)}亿"
    if value >= WAN:
        return f"{sign}¥{_trim(value / WAN, 2)}万"
    return f"{sign}¥{value:,.2f}".replace(".00", "")


def amount_in_words(amount: Decimal | int | str) -> str:
    """人民币大写: 1234.5 → 壹仟贰佰叁拾肆元伍角整 (for receipts)."""
    value = to_fen(amount)
    words: str = cn2an.an2cn(f"{value:f}", "rmb")
    # Banking convention: amounts that stop at 元 or 角 end with 整.
    if (value * 100) % 10 == 0 and not words.endswith("整"):
        words += "整"
    return words
