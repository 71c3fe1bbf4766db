"""Small builders for the ledger's tests."""

from datetime import date
from decimal import Decimal
from typing import Any

from shanghui.associations.models import Association
from shanghui.charity.models import Campaign, Donation, DonorKind, GiftKind, Partner
from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side


def campaign(association: Association, title: str = "2020 抗击新冠肺炎疫情") -> Campaign:
    with tenant_context(association):
        return Campaign.objects.create(
            association=association,
            title=title,
            starts_on=date(2020, 1, 25),
            status=Campaign.Status.ACTIVE,
        )


def partner(association: Association, name: str = "广东省红十字会") -> Partner:
    with tenant_context(association):
        return Partner.objects.create(
            association=association, name=name, kind=Partner.Kind.RED_CROSS
        )


def cash(side: Side, amount: str = "50000", **kwargs: Any) -> Donation:
    a = side.association
    with tenant_context(a):
        return donation_record(
            association=a,
            actor=side.admin,
            donor=DonorInput(kind=DonorKind.MEMBER, member=side.member),
            gift=GiftInput(kind=GiftKind.CASH, amount=Decimal(amount)),
            donated_on=kwargs.pop("donated_on", date(2026, 2, 1)),
            **kwargs,
        )


def goods(side: Side, **kwargs: Any) -> Donation:
    a = side.association
    with tenant_context(a):
        return donation_record(
            association=a,
            actor=side.admin,
            donor=DonorInput(kind=DonorKind.OUTSIDE, name="深圳爱心文具厂"),
            gift=GiftInput(
                kind=GiftKind.GOODS,
                amount=Decimal("120000"),
                item="书包",
                quantity=Decimal("10000"),
                unit="个",
                value_basis="invoice",
            ),
            donated_on=kwargs.pop("donated_on", date(2026, 3, 1)),
            **kwargs,
        )
