"""The totals are sums of the ledger: a reversal nets its entry out."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shanghui.charity.models import Campaign, Donation, DonorKind, GiftKind, ValueBasis
from shanghui.charity.totals import association_donations, campaign_progress, ledger_totals
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side


@pytest.mark.django_db
def test_a_reversal_nets_out_of_every_total(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        campaign = Campaign.objects.create(
            association=a, title="助学", starts_on=date(2026, 1, 1), goal_amount=Decimal("1000")
        )
        donor = {"donor_kind": DonorKind.OUTSIDE, "donor_name": "爱心人士"}
        Donation.objects.create(
            association=a,
            campaign=campaign,
            kind=GiftKind.CASH,
            amount=Decimal("300.50"),
            donated_on=date(2026, 2, 1),
            **donor,
        )
        bags = Donation.objects.create(
            association=a,
            campaign=campaign,
            kind=GiftKind.GOODS,
            amount=Decimal("200"),
            item="书包",
            quantity=Decimal("10"),
            unit="个",
            value_basis=ValueBasis.MARKET,
            donated_on=date(2026, 2, 2),
            **donor,
        )
        Donation.objects.create(
            association=a,
            campaign=campaign,
            kind=GiftKind.GOODS,
            amount=Decimal("-200"),
            item="书包",
            quantity=Decimal("-10"),
            unit="个",
            reverses=bags,
            donated_on=date(2026, 2, 3),
            **donor,
        )
        totals = ledger_totals(association_donations(a))
        progress = campaign_progress(a, campaign)
    assert (totals.cash, totals.goods, totals.entries) == (Decimal("300.50"), Decimal("0"), 1)
    assert progress.received.total == Decimal("300.50")
    assert progress.amount_percent == 30
    assert progress.items == []


@pytest.mark.django_db
def test_recorded_and_reversed_through_the_services(side_a: Side) -> None:
    from shanghui.charity.services.donations import (
        DonorInput,
        GiftInput,
        donation_record,
        donation_reverse,
    )

    a = side_a.association
    with tenant_context(a):
        gift = donation_record(
            association=a,
            actor=side_a.admin,
            donor=DonorInput(kind=DonorKind.MEMBER, member=side_a.member),
            gift=GiftInput(kind=GiftKind.CASH, amount=Decimal("5000")),
            donated_on=date(2026, 2, 1),
        )
        donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="录错金额")
        with pytest.raises(ValidationError):
            donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="again")
        totals = ledger_totals(association_donations(a))
    assert gift.donor_name == side_a.member.name
    assert (totals.total, totals.entries) == (Decimal("0"), 0)
