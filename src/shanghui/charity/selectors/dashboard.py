"""The back office's charity dashboard (统计): totals by year, by campaign, by donor, cash and
goods, organized and reported — all sums of the ledger's grouped rows (``totals.ledger_rows``,
one scan, cached until the ledger changes) plus one grouped query for the top donors."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from shanghui.charity.models import Campaign, Donation
from shanghui.charity.totals import (
    LEDGER,
    ZERO,
    LedgerRow,
    Totals,
    association_donations,
    ledger_rows,
    roomy_aggregation,
    rows_totals,
)
from shanghui.core.cache_versions import cached
from shanghui.core.types import Tenant

TOP_DONORS = 10
TOP_CAMPAIGNS = 12


@dataclass(frozen=True)
class Split:
    """A share of the totals: cash and goods in 元."""

    label: str
    cash: Decimal = ZERO
    goods: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.cash + self.goods


@dataclass(frozen=True)
class DonorTotal:
    name: str
    donor_kind: str
    anonymous: bool
    total: Decimal
    gifts: int


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboard shows for ``year`` (None: every year). ``by_year`` always covers
    every year, the rest the chosen one."""

    year: int | None
    years: list[int]
    totals: Totals
    organized: Decimal
    reported: Decimal
    gifts: int  # gifts recorded in the period (reversals not counted)
    reversals: int  # reversals booked in the period
    by_year: list[Split] = field(default_factory=list)
    by_campaign: list[Split] = field(default_factory=list)
    top_donors: list[DonorTotal] = field(default_factory=list)

    def chart_data(self) -> dict[str, Any]:
        """The series of the page's charts (``static/shanghui/charts.js``), amounts in 万元
        rounded to the 元's hundredth — a chart's axis reads 万, its tooltip the figure."""
        return {
            "by_year": _stacked(self.by_year),
            "by_campaign": _stacked(self.by_campaign),
            "top_donors": {
                "labels": [d.name for d in self.top_donors],
                "values": [_wan(d.total) for d in self.top_donors],
            },
            "kinds": {
                "labels": [_("现金"), _("物资")],
                "values": [_wan(self.totals.cash), _wan(self.totals.goods)],
            },
            "channels": {
                "labels": [_("经商会组织"), _("会员企业自行捐赠（报备）")],
                "values": [_wan(self.organized), _wan(self.reported)],
            },
        }


def _wan(amount: Decimal) -> float:
    return float((amount / Decimal(10_000)).quantize(Decimal("0.0001")))


def _stacked(splits: list[Split]) -> dict[str, Any]:
    return {
        "labels": [s.label for s in splits],
        "series": [
            {"name": _("现金"), "values": [_wan(s.cash) for s in splits]},
            {"name": _("物资"), "values": [_wan(s.goods) for s in splits]},
        ],
    }


def _split(label: str, rows: list[LedgerRow]) -> Split:
    totals = rows_totals(rows)
    return Split(label, totals.cash, totals.goods)


def ledger_years(rows: list[LedgerRow]) -> list[int]:
    """The years with entries, latest first."""
    return sorted({row.year for row in rows}, reverse=True)


def by_campaign(association: Tenant, rows: list[LedgerRow], limit: int) -> list[Split]:
    """The campaigns' totals, largest first (at most ``limit``, the rest summed as 其他),
    gifts to no campaign as 未关联项目."""
    grouped: dict[int | None, list[LedgerRow]] = defaultdict(list)
    for row in rows:
        grouped[row.campaign_id].append(row)
    titles = dict(
        Campaign.objects.filter(
            association_id=association.pk, pk__in=[pk for pk in grouped if pk is not None]
        ).values_list("id", "title")
    )
    splits = sorted(
        (
            _split(titles.get(pk, "") if pk is not None else _("未关联项目"), group)
            for pk, group in grouped.items()
        ),
        key=lambda s: (-s.total, s.label),
    )
    if len(splits) > limit:
        rest = splits[limit - 1 :]
        other = Split(
            _("其他项目"), sum((s.cash for s in rest), ZERO), sum((s.goods for s in rest), ZERO)
        )
        splits = [*splits[: limit - 1], other]
    return splits


def _top_donors(association: Tenant, year: int | None) -> list[DonorTotal]:
    roomy_aggregation()
    donations = association_donations(association)
    if year is not None:
        # A range on donated_on: the (association, donated_on) index.
        donations = donations.filter(donated_on__year=year)
    rows = (
        donations.values("donor_kind", "donor_member_id", "donor_group_member_id", "donor_name")
        .annotate(
            total=Sum("amount"),
            gifts=Count("id", filter=Q(reverses__isnull=True)) - Count("reverses"),
            hidden=Count("id", filter=Q(anonymous=True)),
        )
        .filter(total__gt=0)
        .order_by("-total", "donor_name")[:TOP_DONORS]
    )
    return [
        DonorTotal(
            name=row["donor_name"],
            donor_kind=row["donor_kind"],
            anonymous=bool(row["hidden"]),
            total=row["total"],
            gifts=row["gifts"],
        )
        for row in rows
    ]


def top_donors(association: Tenant, year: int | None) -> list[DonorTotal]:
    """The donors who gave most (net of reversals) in ``year`` or ever, from the cache until
    the ledger changes."""
    return cached(
        association.pk,
        (LEDGER,),
        f"charity.top_donors.{year or 'all'}",
        lambda: _top_donors(association, year),
    )


def dashboard_figures(association: Tenant, year: int | None) -> DashboardFigures:
    """The dashboard of ``association`` for ``year`` (None: all years). Every amount is a sum
    of the ledger, reversals included (``charity/tests/test_disclosure_totals.py``)."""
    rows = ledger_rows(association)
    chosen = [row for row in rows if year is None or row.year == year]
    by_year: dict[int, list[LedgerRow]] = defaultdict(list)
    for row in rows:
        by_year[row.year].append(row)
    return DashboardFigures(
        year=year,
        years=ledger_years(rows),
        totals=rows_totals(chosen),
        organized=rows_totals(r for r in chosen if r.channel == Donation.Channel.ORGANIZED).total,
        reported=rows_totals(r for r in chosen if r.channel == Donation.Channel.REPORTED).total,
        gifts=sum(row.gifts for row in chosen),
        reversals=sum(row.reversals for row in chosen),
        by_year=[_split(str(y), by_year[y]) for y in sorted(by_year)],
        by_campaign=by_campaign(association, chosen, TOP_CAMPAIGNS),
        top_donors=top_donors(association, year),
    )
