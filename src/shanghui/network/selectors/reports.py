"""The association's 供需对接 report: per month of a year, listings published, conversations
(about its members' listings, and started by its members), matches (conversations started
from a match suggestion) and deals with their value (对接成功数, 金额; a deal either side said
at the follow-up did not close is not counted) — and the 对接会
(matchmaking events) of the events module.

Read in the association's tenant context: conversations and deals are platform rows whose
party policy lets either of their two associations read (count) them, never their messages."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.money import FEN
from shanghui.events.models import Event
from shanghui.events.selectors import upcoming, visible_events
from shanghui.network.models import Conversation, Deal, Listing

MONTHS = range(1, 13)
FIRST_YEAR = 2000


def report_year(raw: str | None) -> int:
    """The year asked for, or this year for anything that is not a plausible one."""
    this_year = timezone.localdate().year
    try:
        year = int(raw or this_year)
    except ValueError:
        return this_year
    return year if FIRST_YEAR <= year <= this_year + 1 else this_year


@dataclass
class ReportMonth:
    month: int
    listings: int = 0
    conversations_as_poster: int = 0
    conversations_as_inquirer: int = 0
    matches: int = 0
    deals: int = 0
    deal_value: Decimal = Decimal(0)


@dataclass
class NetworkReport:
    year: int
    months: list[ReportMonth]
    total: ReportMonth = field(default_factory=lambda: ReportMonth(month=0))


def _year_range(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def _by_month(qs: QuerySet[Any], date_field: str, **aggregates: Any) -> dict[int, dict[str, Any]]:
    rows = (
        qs.annotate(m=ExtractMonth(date_field, tzinfo=timezone.get_current_timezone()))
        .values("m")
        .annotate(**aggregates)
        .order_by("m")
    )
    return {row["m"]: row for row in rows}


def network_report(*, association: Association, year: int) -> NetworkReport:
    """The year's counts for ``association`` (call in its tenant context). A deal between two
    of its own members counts once; its value likewise."""
    start, end = _year_range(year)
    listings = _by_month(
        Listing.objects.filter(
            association=association, published_at__gte=start, published_at__lt=end
        ),
        "published_at",
        n=Count("id"),
    )
    conversations = _by_month(
        Conversation.objects.filter(
            Q(poster_association=association) | Q(inquirer_association=association),
            created_at__gte=start,
            created_at__lt=end,
        ),
        "created_at",
        poster=Count("id", filter=Q(poster_association=association)),
        inquirer=Count("id", filter=Q(inquirer_association=association)),
        matches=Count("id", filter=Q(from_match=True)),
    )
    deals = _by_month(
        Deal.objects.filter(
            Q(poster_association=association) | Q(inquirer_association=association),
            marked_at__gte=start,
            marked_at__lt=end,
        ).exclude(  # a side said at the follow-up that it did not close
            Q(poster_answer=Deal.Answer.NOT_CLOSED) | Q(inquirer_answer=Deal.Answer.NOT_CLOSED)
        ),
        "marked_at",
        n=Count("id"),
        value=Sum("value"),
    )
    months = []
    total = ReportMonth(month=0)
    for month in MONTHS:
        row = ReportMonth(
            month=month,
            listings=listings.get(month, {}).get("n", 0),
            conversations_as_poster=conversations.get(month, {}).get("poster", 0),
            conversations_as_inquirer=conversations.get(month, {}).get("inquirer", 0),
            matches=conversations.get(month, {}).get("matches", 0),
            deals=deals.get(month, {}).get("n", 0),
            deal_value=Decimal(deals.get(month, {}).get("value") or 0).quantize(FEN),
        )
        months.append(row)
        for name in (
            "listings",
            "conversations_as_poster",
            "conversations_as_inquirer",
            "matches",
            "deals",
            "deal_value",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return NetworkReport(year=year, months=months, total=total)


def dashboard_figures(association: Association) -> dict[str, Any]:
    """The 工作台's 供需对接 figures: this year's deals and their value."""
    report = network_report(association=association, year=timezone.localdate().year)
    return {
        "network_figures": {
            "deals": report.total.deals,
            "deal_value": report.total.deal_value,
            "conversations": report.total.conversations_as_poster
            + report.total.conversations_as_inquirer,
        }
    }


def matchmaking_events(
    *, association: Association, role: Role | None, user: User | None, limit: int = 5
) -> list[Event]:
    """The coming 对接会 (events of kind matchmaking) the viewer may see, soonest first —
    through the events module's own selectors."""
    qs = visible_events(association=association, role=role, user=user)
    return list(upcoming(qs.filter(kind=Event.Kind.MATCHMAKING))[:limit])


def matchmaking_events_of_year(*, association: Association, year: int) -> list[Event]:
    """The association's 对接会 of ``year`` for the office report (drafts excluded)."""
    start, end = _year_range(year)
    return list(
        Event.objects.filter(
            association=association,
            kind=Event.Kind.MATCHMAKING,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .exclude(status=Event.Status.DRAFT)
        .order_by("starts_at", "id")
    )
