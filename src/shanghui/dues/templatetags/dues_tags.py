"""Money in dues pages: exact figures (¥1,234.50) and the 万/亿 form with the exact figure on
hover."""

from datetime import date
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
    exact = format_cny(value or 0)
    return format_html(
        '<span title="{}" aria-label="{}">{}</span>', exact, exact, format_cny_short(value or 0)
    )


@register.filter
def days_before(earlier: date, later: date) -> int:
    """Whole days from ``earlier`` to ``later`` (how long a bill is overdue)."""
    return (later - earlier).days
