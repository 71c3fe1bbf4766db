"""Reading goods distributions (物资发放): what a campaign received in goods, what it handed
out, what is left in stock, and the access helpers every lookup driven by user input goes
through.

Stock is never stored: it is the goods the ledger received for the campaign (through the
association — a member's own gift, reported, never passed through its hands) minus what the
distributions handed out, both sums computed in the database, so a reversal on either side
nets out as it does in the totals."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from shanghui.charity.models import Campaign, Distribution, Donation, GiftKind, Partner
from shanghui.core.http import id_or_404
from shanghui.core.types import Tenant

ZERO = Decimal("0.00")
_QUANTITY = DecimalField(max_digits=16, decimal_places=2)


def _cents(value: object) -> Decimal:
    """A sum as the database gives it (SQLite drops the scale: 100, not 100.00)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class StockRow:
    """One item of a campaign: received, handed out, left."""

    item: str
    unit: str
    received: Decimal
    distributed: Decimal

    @property
    def in_stock(self) -> Decimal:
        return self.received - self.distributed


def _received_goods(association: Tenant, campaign_id: int) -> QuerySet[Donation]:
    return Donation.objects.filter(
        association_id=association.pk,
        campaign_id=campaign_id,
        kind=GiftKind.GOODS,
        channel=Donation.Channel.ORGANIZED,
    )


def campaign_stock(association: Tenant, campaign: Campaign) -> list[StockRow]:
    """Every item the campaign received or handed out, by name, with what is left. Two
    grouped sums; an item whose receipts were all reversed and never handed out is left
    out."""
    received: dict[str, tuple[Decimal, str]] = {}
    for row in (
        _received_goods(association, campaign.pk)
        .values("item")
        .annotate(total=Coalesce(Sum("quantity"), Value(ZERO), output_field=_QUANTITY))
        .order_by("item")
    ):
        received[row["item"]] = (_cents(row["total"]), "")
    units = dict(
        _received_goods(association, campaign.pk)
        .exclude(unit="")
        .order_by("item", "id")
        .values_list("item", "unit")
    )
    distributed = {
        row["item"]: _cents(row["total"])
        for row in Distribution.objects.filter(
            association_id=association.pk, campaign_id=campaign.pk
        )
        .values("item")
        .annotate(total=Coalesce(Sum("quantity"), Value(ZERO), output_field=_QUANTITY))
        .order_by("item")
    }
    rows = []
    for item in sorted(set(received) | set(distributed)):
        got = received.get(item, (ZERO, ""))[0]
        out = distributed.get(item, ZERO)
        if got == 0 and out == 0:
            continue
        rows.append(StockRow(item=item, unit=units.get(item, ""), received=got, distributed=out))
    return rows


def item_stock(association: Tenant, campaign: Campaign, item: str) -> Decimal:
    """What is left of ``item`` in the campaign's stock (the caller holds the campaign's lock
    when it is about to hand some out)."""
    got = (
        _received_goods(association, campaign.pk)
        .filter(item=item)
        .aggregate(total=Coalesce(Sum("quantity"), Value(ZERO), output_field=_QUANTITY))["total"]
    )
    out = Distribution.objects.filter(
        association_id=association.pk, campaign_id=campaign.pk, item=item
    ).aggregate(total=Coalesce(Sum("quantity"), Value(ZERO), output_field=_QUANTITY))["total"]
    return _cents(got) - _cents(out)


def item_unit(association: Tenant, campaign: Campaign, item: str) -> str:
    return (
        _received_goods(association, campaign.pk)
        .filter(item=item)
        .exclude(unit="")
        .order_by("id")
        .values_list("unit", flat=True)
        .first()
        or ""
    )


def goods_campaigns(association: Tenant) -> QuerySet[Campaign]:
    """The campaigns that received goods through the association or handed some out."""
    received = Donation.objects.filter(
        association_id=association.pk,
        kind=GiftKind.GOODS,
        channel=Donation.Channel.ORGANIZED,
        campaign_id=OuterRef("pk"),
    )
    handed = Distribution.objects.filter(association_id=association.pk, campaign_id=OuterRef("pk"))
    return Campaign.objects.filter(association_id=association.pk).filter(
        Exists(received) | Exists(handed)
    )


def distributions_list(
    association: Tenant, *, campaign: Campaign | None = None
) -> QuerySet[Distribution]:
    """Distributions (and their reversals), newest first, with what each names."""
    qs = Distribution.objects.filter(association_id=association.pk).select_related(
        "campaign", "recipient", "recorded_by"
    )
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign.pk)
    return qs.order_by("-distributed_on", "-id")


def reversed_ids(distributions: list[Distribution]) -> set[int]:
    """Which of ``distributions`` a reversal has taken back (one query)."""
    ids = [d.pk for d in distributions if d.reverses_id is None]
    if not ids:
        return set()
    return set(
        Distribution.objects.filter(reverses_id__in=ids).values_list("reverses_id", flat=True)
    )


def partner_choices(association: Tenant) -> QuerySet[Partner]:
    """The partners goods may go to: schools first, then the rest by name."""
    return (
        Partner.objects.filter(association_id=association.pk)
        .annotate(
            school_first=Case(
                When(kind=Partner.Kind.SCHOOL, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("school_first", "name", "id")
    )


# --- Access -----------------------------------------------------------------------------


def access_goods_campaign(*, association: Tenant, campaign_id: object) -> Campaign:
    """One campaign of ``association`` (the secretariat's distribution pages); the same 404
    for a missing id and another association's."""
    campaign = Campaign.objects.filter(
        association_id=association.pk, pk=id_or_404(campaign_id)
    ).first()
    if campaign is None:
        raise Http404
    return campaign


def access_distribution(*, association: Tenant, distribution_id: object) -> Distribution:
    """One distribution of ``association`` (secretariat only: the caller checked
    ``MANAGE_CHARITY``); the same 404 for a missing id and another association's."""
    found = (
        Distribution.objects.filter(association_id=association.pk, pk=id_or_404(distribution_id))
        .select_related("campaign", "recipient", "recorded_by", "reverses")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_partner_choice(*, association: Tenant, partner_id: object) -> Partner:
    """A partner picked in a form or named in the API body; 404-alike for anything else."""
    found = Partner.objects.filter(association_id=association.pk, pk=id_or_404(partner_id)).first()
    if found is None:
        raise Http404
    return found
