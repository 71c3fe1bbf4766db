"""Figures on the campaign and pledge pages (``{% load campaign_tags %}``): exact money
(¥1,234.50), the 万/亿 form with the exact amount on hover, and quantities without needless
decimals (10,000 个, 2.5 吨)."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from shanghui.core.money import format_cny, format_cny_short

register = template.Library()


@register.filter
def cny(value: Decimal | int | str | None) -> str:
    """¥1,234.50; a reversal reads -¥300.00."""
    amount = Decimal(value or 0)
    return f"-{format_cny(-amount)}" if amount < 0 else format_cny(amount)


@register.filter
def cny_short(value: Decimal | int | str | None) -> SafeString:
    """¥12.5万, with the exact amount in a tooltip and for screen readers."""
    exact = cny(value)
    return format_html(
        '<span title="{}" aria-label="{}">{}</span>', exact, exact, format_cny_short(value or 0)
    )


@register.filter
def qty(value: Decimal | int | str | None) -> str:
    """10,000 · 2.5 · -300 (a reversal)."""
    number = Decimal(value or 0)
    text = f"{number:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
