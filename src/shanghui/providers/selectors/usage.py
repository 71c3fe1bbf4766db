"""How an association's members use the offers it chose (``Perm.CHOOSE_OFFERS``): per offer
and per month, from the association's own ``OfferApplication`` rows only — never from the
provider's leads or its notes on them, which are the provider's."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from shanghui.core.types import Tenant
from shanghui.providers.models import Offer, OfferApplication, OfferChoice
from shanghui.providers.selectors.offers import attach_offers


@dataclass
class OfferUsage:
    offer_id: int
    title: str  # "" when the provider withdrew the offer (the association reads no more)
    provider_name: str
    chosen: bool
    applications: int = 0
    withdrawn: int = 0
    ratings: int = 0
    average: Decimal | None = None


@dataclass
class MonthUsage:
    month: date
    applications: int
    ratings: int


@dataclass
class Usage:
    offers: list[OfferUsage] = field(default_factory=list)
    months: list[MonthUsage] = field(default_factory=list)
    applications: int = 0
    members: int = 0


def _applications(association: Tenant) -> QuerySet[OfferApplication]:
    return OfferApplication.objects.filter(association_id=association.pk)


def usage(association: Tenant, *, months: int = 12) -> Usage:
    """Per offer (chosen now or applied to before): applications, withdrawn consents,
    ratings and their average; per month over the last ``months``: applications and
    ratings; and the totals."""
    rows = (
        _applications(association)
        .values("offer_id", "provider__name")
        .annotate(
            applications=Count("id"),
            withdrawn=Count("id", filter=Q(withdrawn_at__isnull=False)),
            ratings=Count("rating"),
            average=Avg("rating"),
        )
        .order_by()
    )
    chosen = set(
        OfferChoice.objects.filter(association_id=association.pk).values_list("offer_id", flat=True)
    )
    offers = Offer.objects.select_related("provider").in_bulk(
        chosen | {row["offer_id"] for row in rows}
    )
    by_offer: dict[int, OfferUsage] = {}
    for row in rows:
        offer = offers.get(row["offer_id"])
        by_offer[row["offer_id"]] = OfferUsage(
            offer_id=row["offer_id"],
            title=offer.title if offer else "",
            provider_name=row["provider__name"],
            chosen=row["offer_id"] in chosen,
            applications=row["applications"],
            withdrawn=row["withdrawn"],
            ratings=row["ratings"],
            average=Decimal(str(row["average"])).quantize(Decimal("0.1"))
            if row["average"] is not None
            else None,
        )
    for offer_id in chosen - set(by_offer):
        offer = offers.get(offer_id)
        if offer is not None:
            by_offer[offer_id] = OfferUsage(
                offer_id=offer_id,
                title=offer.title,
                provider_name=offer.provider.name,
                chosen=True,
            )
    result = Usage(
        offers=sorted(by_offer.values(), key=lambda u: (-u.applications, -u.offer_id)),
        months=_months(association, months),
    )
    result.applications = sum(u.applications for u in result.offers)
    result.members = (
        _applications(association)
        .exclude(member__isnull=True)
        .values("member_id")
        .distinct()
        .count()
    )
    return result


def _months(association: Tenant, months: int) -> list[MonthUsage]:
    today = timezone.localdate()
    first = date(today.year, today.month, 1)
    for _i in range(months - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    since = timezone.make_aware(datetime.combine(first, time.min))
    applied = dict(
        _applications(association)
        .filter(consented_at__gte=since)
        .annotate(month=TruncMonth("consented_at"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    rated = dict(
        _applications(association)
        .filter(rated_at__gte=since)
        .annotate(month=TruncMonth("rated_at"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )

    def key(moment: datetime | date) -> date:
        return timezone.localdate(moment) if isinstance(moment, datetime) else moment

    applied = {key(k): v for k, v in applied.items()}
    rated = {key(k): v for k, v in rated.items()}
    out = []
    month = first
    while month <= today:
        out.append(MonthUsage(month, applied.get(month, 0), rated.get(month, 0)))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return out


def recent_ratings(association: Tenant, *, limit: int = 50) -> list[OfferApplication]:
    """The latest ratings the association's members gave, with their comments (the
    offers attached as in ``offers.attach_offers``)."""
    rows = list(
        _applications(association)
        .filter(rating__isnull=False)
        .select_related("provider", "member")
        .order_by("-rated_at", "-id")[:limit]
    )
    return attach_offers(rows)
