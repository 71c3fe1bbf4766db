"""Public totals in the reader's language (``{% load money %}``): ``{{ total|cny_disclosure }}``
reads 1.67亿元, ``{{ total|cny_disclosure_floor }}`` 超25亿元 (floored, never above the truth),
and ``{{ total|cny_disclosure_exact }}`` the exact 2,512,345,678.00元 shown beside either."""

from decimal import Decimal

from django import template

from shanghui.core.money import format_cny_disclosure, format_cny_disclosure_exact

register = template.Library()


@register.filter
def cny_disclosure(value: Decimal | int | str | None) -> str:
    return format_cny_disclosure(value or 0)


@register.filter
def cny_disclosure_floor(value: Decimal | int | str | None) -> str:
    return format_cny_disclosure(value or 0, at_least=True)


@register.filter
def cny_disclosure_exact(value: Decimal | int | str | None) -> str:
    return format_cny_disclosure_exact(value or 0)
