"""The yearly charity report (年度公益报告) as PDF: the year's totals in 万/亿 with their exact
figures, cash and goods, organized and reported, by campaign, the goods received and handed
out, the sponsorship programme in figures, the honors received and the donors who agreed to
be named. Beneficiaries appear only as a count: the report may be handed to anyone."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone, translation

from shanghui.charity.models import Disbursement, Distribution, Donation, GiftKind, Honor
from shanghui.charity.selectors.dashboard import Split, by_campaign
from shanghui.charity.selectors.disclosure import RollEntry
from shanghui.charity.totals import Totals, association_donations, ledger_rows, rows_totals
from shanghui.core.pdf import render_pdf
from shanghui.core.types import Tenant

REPORT_CAMPAIGNS = 30
REPORT_ROLL = 100
REPORT_ITEMS = 30


@dataclass(frozen=True)
class ItemLine:
    item: str
    unit: str
    received: Decimal
    distributed: Decimal


@dataclass
class YearlyReport:
    association: Tenant
    year: int
    totals: Totals
    organized: Decimal
    reported: Decimal
    gifts: int
    reversals: int
    campaigns: list[Split] = field(default_factory=list)
    items: list[ItemLine] = field(default_factory=list)
    schools: int = 0
    students: int = 0
    sponsorship_paid: Decimal = Decimal(0)
    honors: list[Honor] = field(default_factory=list)
    honors_given: int = 0
    roll: list[RollEntry] = field(default_factory=list)
    generated_on: date | None = None


def _items(association: Tenant, year: int) -> tuple[list[ItemLine], int]:
    received = (
        association_donations(association)
        .filter(donated_on__year=year, kind=GiftKind.GOODS)
        .values("item", "unit")
        .annotate(quantity=Sum("quantity"))
        .order_by("-quantity", "item")
    )
    handed = Distribution.objects.filter(association_id=association.pk, distributed_on__year=year)
    out = {
        (row["item"], row["unit"]): row["quantity"]
        for row in handed.values("item", "unit").annotate(quantity=Sum("quantity")).order_by()
    }
    lines = [
        ItemLine(row["item"], row["unit"], row["quantity"], out.pop((row["item"], row["unit"]), 0))
        for row in received
        if row["quantity"]
    ]
    lines += [ItemLine(item, unit, Decimal(0), qty) for (item, unit), qty in out.items() if qty]
    schools = handed.filter(reverses__isnull=True).values("recipient_id").distinct().count()
    return lines[:REPORT_ITEMS], schools


def _roll(association: Tenant, year: int) -> list[RollEntry]:
    reversed_ids = Donation.objects.filter(
        association_id=association.pk, reverses__isnull=False
    ).values("reverses_id")
    rows = (
        association_donations(association)
        .filter(donated_on__year=year, name_public=True, anonymous=False, reverses__isnull=True)
        .exclude(pk__in=reversed_ids)
        .values("donor_name")
        .annotate(total=Sum("amount"), gifts=Count("id"))
        .order_by("-total", "donor_name")[:REPORT_ROLL]
    )
    return [RollEntry(row["donor_name"], row["total"], row["gifts"]) for row in rows]


def yearly_report(association: Tenant, year: int) -> YearlyReport:
    """The figures of ``association``'s report for ``year``: sums of the ledger's entries
    dated in that year (a reversal counts in the year it was booked)."""
    rows = [row for row in ledger_rows(association) if row.year == year]
    paid = Disbursement.objects.filter(association_id=association.pk, paid_on__year=year).aggregate(
        students=Count("sponsorship__beneficiary_id", distinct=True),
        amount=Sum("amount"),
    )
    items, schools = _items(association, year)
    honors = Honor.objects.filter(
        association_id=association.pk, awarded_on__year=year, revoked_at__isnull=True
    )
    return YearlyReport(
        association=association,
        year=year,
        totals=rows_totals(rows),
        organized=rows_totals(r for r in rows if r.channel == Donation.Channel.ORGANIZED).total,
        reported=rows_totals(r for r in rows if r.channel == Donation.Channel.REPORTED).total,
        gifts=sum(row.gifts for row in rows),
        reversals=sum(row.reversals for row in rows),
        campaigns=by_campaign(association, rows, REPORT_CAMPAIGNS),
        items=items,
        schools=schools,
        students=paid["students"] or 0,
        sponsorship_paid=paid["amount"] or Decimal(0),
        honors=list(honors.filter(direction=Honor.Direction.RECEIVED).order_by("awarded_on")),
        honors_given=honors.filter(direction=Honor.Direction.GIVEN).count(),
        roll=_roll(association, year),
        generated_on=timezone.localdate(),
    )


def yearly_report_pdf(association: Tenant, year: int) -> bytes:
    """年度公益报告 of ``association`` for ``year`` as PDF (the CJK font embedded): a Chinese
    document whatever the language of the person who asks for it (its amounts too)."""
    with translation.override("zh-hans"):
        report = yearly_report(association, year)
        return render_pdf("charity/pdf/yearly_report.html", {"report": report})
