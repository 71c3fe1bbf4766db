"""Headline figures of an association's membership for the back-office dashboard."""

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.core.industries import industry_display_name
from shanghui.core.regions import region_display_name
from shanghui.members.models import Level, Member
from shanghui.members.todos import application_counts

IN_GOOD_STANDING = (Member.Status.ACTIVE, Member.Status.IN_ARREARS, Member.Status.EXPIRED)
TOP = 10


@dataclass(frozen=True)
class Series:
    labels: list[str]
    values: list[int]


@dataclass(frozen=True)
class MembershipFigures:
    total: int
    in_good_standing: int
    in_arrears: int
    renewal_rate: float | None  # share of members who joined before this year still active
    by_level: Series
    by_industry: Series
    by_region: Series
    by_hometown: Series
    growth: Series  # joins per month, last 24 months


def _series(rows: Sequence[tuple[Any, int]], label: Callable[[Any], object]) -> Series:
    return Series(labels=[str(label(key)) for key, _n in rows], values=[n for _k, n in rows])


def membership_figures(association: Association) -> MembershipFigures:
    members = Member.objects.filter(association=association)
    listed = members.filter(status__in=IN_GOOD_STANDING)
    totals = members.aggregate(
        total=Count("id"),
        listed=Count("id", filter=Q(status__in=IN_GOOD_STANDING)),
        arrears=Count("id", filter=Q(status=Member.Status.IN_ARREARS)),
    )
    year_start = date(timezone.localdate().year, 1, 1)
    veterans = members.filter(joined_on__lt=year_start).exclude(status=Member.Status.APPLYING)
    renewal = veterans.aggregate(
        all=Count("id"), active=Count("id", filter=Q(status=Member.Status.ACTIVE))
    )
    levels = dict(Level.objects.filter(association=association).values_list("id", "name"))
    by_level = list(
        listed.values_list("level_id")
        .annotate(n=Count("id"))
        .order_by("level__rank")
        .values_list("level_id", "n")
    )

    def top(field_expr: Any, name: str) -> list[tuple[str, int]]:
        return list(
            listed.annotate(key=field_expr)
            .exclude(key="")
            .values_list("key")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("key", "n")[:TOP]
        )

    since = date(year_start.year - 1, 1, 1)
    growth = list(
        members.filter(joined_on__gte=since)
        .annotate(month=TruncMonth("joined_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by("month")
        .values_list("month", "n")
    )
    return MembershipFigures(
        total=totals["total"],
        in_good_standing=totals["listed"],
        in_arrears=totals["arrears"],
        renewal_rate=round(renewal["active"] / renewal["all"], 3) if renewal["all"] else None,
        by_level=_series(by_level, lambda key: levels.get(key, "未定级")),
        by_industry=_series(top(Substr("industry_code", 1, 2), "industry"), industry_display_name),
        by_region=_series(
            top(Substr("region_code", 1, 4), "region"), lambda k: region_display_name(f"{k}00") or k
        ),
        by_hometown=_series(
            top(Substr("hometown_code", 1, 4), "hometown"),
            lambda k: region_display_name(f"{k}00") or k,
        ),
        growth=_series(growth, lambda month: month.strftime("%Y-%m")),
    )


def dashboard_figures(association: Association) -> dict[str, Any]:
    """The membership's figures on the back office's 工作台 (``core.contributions.DASHBOARD``):
    members by status — 申请中 being the applications to join still open, not members with
    that status — and the headline figures with their charts."""
    by_status = dict(
        Member.objects.filter(association=association)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    member_total = sum(by_status.values())
    by_status[Member.Status.APPLYING] = application_counts(association).in_progress
    applications_url = reverse(
        "members:office_applications", kwargs={"association_slug": association.slug}
    )
    statuses = [
        (
            label,
            by_status.get(value, 0),
            applications_url if value == Member.Status.APPLYING else "",
        )
        for value, label in Member.Status.choices
    ]
    figures = membership_figures(association)
    return {
        "figures": figures,
        "chart_data": {
            name: asdict(getattr(figures, name))
            for name in ("by_level", "by_industry", "by_region", "by_hometown", "growth")
        },
        "member_total": member_total,
        "statuses": statuses,
    }
