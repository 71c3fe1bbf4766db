"""Exact amounts on the ledger's pages (``{% load charity_ledger %}``): ``{{ amount|yuan }}``
reads ¥1,234.50, negative for a reversal (−¥1,234.50)."""

from decimal import Decimal

from django import template

from shanghui.core.money import format_cny

register = template.Library()


@register.filter
def yuan(value: Decimal | int | str | None) -> str:
    amount = Decimal(value or 0)
    return f"−{format_cny(-amount)}" if amount < 0 else format_cny(amount)


@register.filter
def qty(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 10,000 · 2.5."""
    if value is None:
        return ""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
