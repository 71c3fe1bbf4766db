"""Disclosed amounts that may be negative (``{% load charity_money %}``).

A year's or a campaign's sum can dip below zero when a gift of an earlier year is reversed in
this one (a reversal is dated when it is booked). ``core.money``'s disclosure formats refuse
negative amounts, rightly for a published total; here such a sum is shown as the signed
exact figure instead of failing the page."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from shanghui.core.money import (
    format_cny,
    format_cny_disclosure,
    format_cny_disclosure_exact,
    format_total_with_part,
)

register = template.Library()


def disclosed(amount: Decimal | int | str | None, *, at_least: bool = False) -> str:
    """1.67亿元 (超25亿元 with ``at_least``); a negative sum as its exact signed figure."""
    value = Decimal(amount or 0)
    if value < 0:
        return f"-{format_cny(-value)}"
    return format_cny_disclosure(value, at_least=at_least)


def disclosed_exact(amount: Decimal | int | str | None) -> str:
    value = Decimal(amount or 0)
    return f"-{format_cny(-value)}" if value < 0 else format_cny_disclosure_exact(value)


@register.filter
def charity_amount(value: Decimal | int | str | None) -> str:
    return disclosed(value)


@register.filter
def charity_amount_floor(value: Decimal | int | str | None) -> str:
    return disclosed(value, at_least=True)


@register.filter
def charity_amount_exact(value: Decimal | int | str | None) -> str:
    return disclosed_exact(value)


def with_cash(totals: Any, *, at_least: bool = False) -> str:
    """A total and the cash in it, 1.67亿元，其中现金4,200万元 — or the total alone when it is
    all cash or all goods (or a sum dipped below zero)."""
    total, cash = Decimal(totals.total), Decimal(totals.cash)
    if 0 < cash < total and totals.goods > 0:
        return format_total_with_part(total, cash, _("现金"), at_least=at_least)
    return disclosed(total, at_least=at_least)


@register.filter
def charity_with_cash(totals: Any) -> str:
    return with_cash(totals)


@register.filter
def charity_with_cash_floor(totals: Any) -> str:
    return with_cash(totals, at_least=True)


@register.filter
def charity_quantity(value: Decimal | int | str | None) -> str:
    """10,000 · 2.5: a count of items with thousands separators, no trailing zeros."""
    number = Decimal(value or 0)
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
