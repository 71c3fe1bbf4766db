"""Building ledgers for the disclosure tests: entries written as the ledger's services write
them (``ledger_changed`` told), dated in the past."""

from datetime import date
from decimal import Decimal

from shanghui.charity.models import (
    Campaign,
    CharitySettings,
    Donation,
    DonorKind,
    GiftKind,
    ValueBasis,
)
from shanghui.charity.totals import ledger_changed
from shanghui.core.types import Tenant


def campaign(association: Tenant, title: str, *, public: bool = True, **extra: object) -> Campaign:
    return Campaign.objects.create(
        association_id=association.pk,
        title=title,
        starts_on=extra.pop("starts_on", date(2020, 1, 1)),  # type: ignore[arg-type]
        status=Campaign.Status.ACTIVE,
        is_public=public,
        **extra,
    )


def gift(
    association: Tenant,
    amount: str | Decimal,
    *,
    on: date = date(2020, 2, 1),
    goods: bool = False,
    campaign: Campaign | None = None,
    donor: str = "爱心企业",
    channel: str = Donation.Channel.ORGANIZED,
    name_public: bool = False,
    anonymous: bool = False,
    note: str = "",
) -> Donation:
    fields: dict[str, object] = {"kind": GiftKind.CASH}
    if goods:
        fields = {
            "kind": GiftKind.GOODS,
            "item": "书包",
            "quantity": Decimal("10"),
            "unit": "个",
            "value_basis": ValueBasis.MARKET,
        }
    donation = Donation.objects.create(
        association_id=association.pk,
        campaign=campaign,
        donor_kind=DonorKind.OUTSIDE,
        donor_name=donor,
        amount=Decimal(amount),
        donated_on=on,
        channel=channel,
        name_public=name_public,
        anonymous=anonymous,
        note=note,
        **fields,
    )
    ledger_changed(association)
    return donation


def reverse(association: Tenant, donation: Donation, *, on: date | None = None) -> Donation:
    reversal = Donation.objects.create(
        association_id=association.pk,
        campaign=donation.campaign,
        donor_kind=donation.donor_kind,
        donor_name=donation.donor_name,
        kind=donation.kind,
        amount=-donation.amount,
        item=donation.item,
        quantity=-donation.quantity if donation.quantity is not None else None,
        unit=donation.unit,
        value_basis=donation.value_basis,
        channel=donation.channel,
        anonymous=donation.anonymous,
        donated_on=on or donation.donated_on,
        reverses=donation,
    )
    ledger_changed(association)
    return reversal


def disclose(association: Tenant, on: bool = True, intro: str = "") -> None:
    CharitySettings.objects.update_or_create(
        association_id=association.pk,
        defaults={"disclose_publicly": on, "public_intro": intro},
    )
