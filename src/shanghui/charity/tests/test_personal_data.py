"""A person's individual gifts, their pledges and their consent to be named join their
personal-data export; nobody else's do."""

from datetime import date
from decimal import Decimal

import pytest

from shanghui.accounts.personal_data import personal_data, personal_data_xlsx
from shanghui.charity.models import Campaign, DonorKind, GiftKind, Pledge
from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import PersonFactory
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db


def test_gifts_pledges_and_consents_are_exported(side_a: Side, side_b: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        campaign = Campaign.objects.create(
            association=a, title="乳源·阳江·陆河助学", starts_on=date(2025, 1, 1)
        )
        gift = donation_record(
            association=a,
            actor=side_a.admin,
            donor=DonorInput(kind=DonorKind.INDIVIDUAL, person=side_a.person),
            gift=GiftInput(kind=GiftKind.CASH, amount=Decimal("5000")),
            donated_on=date(2025, 9, 1),
            campaign=campaign,
            name_public=True,
        )
        someone = PersonFactory(association=a, name="另一位乡贤")
        donation_record(
            association=a,
            actor=side_a.admin,
            donor=DonorInput(kind=DonorKind.INDIVIDUAL, person=someone),
            gift=GiftInput(kind=GiftKind.CASH, amount=Decimal("7777")),
            donated_on=date(2025, 9, 2),
            campaign=campaign,
        )
        Pledge.objects.create(
            association=a,
            campaign=campaign,
            donor_kind=DonorKind.MEMBER,
            donor_member=side_a.member,
            donor_name=side_a.member.name,
            kind=GiftKind.CASH,
            amount=Decimal("20000"),
            due_on=date(2026, 12, 31),
            pledged_by=side_a.member_user,
        )
    exported = personal_data(side_a.member_user)
    [row] = exported["个人捐赠"]
    assert (row["商协会"], row["公益项目"]) == (a.name, "乳源·阳江·陆河助学")
    assert row["金额（元）"] == gift.amount
    [pledge] = exported["认捐"]
    assert (pledge["认捐方"], pledge["本人登记"]) == (side_a.member.name, True)
    assert pledge["状态"] == "待履行"
    [consent] = exported["捐赠署名同意"]
    assert consent["同意在光荣榜公开署名"] is True and consent["匿名"] is False
    assert personal_data_xlsx(side_a.member_user)  # every value fits a spreadsheet cell
    # B's member (another person in another association) sees none of it.
    assert all(not personal_data(side_b.member_user)[t] for t in ("个人捐赠", "认捐"))
