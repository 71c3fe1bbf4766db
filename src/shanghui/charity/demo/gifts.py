"""The demo ledger's gifts: the 2020 epidemic, the 助学 fund, the goods drives and their
distributions, this year's campaign with its pledges, twenty years of history, and honors."""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from shanghui.associations.models import Association
from shanghui.charity.demo.base import (
    BAGS,
    BOOK_SET,
    BOOK_SETS,
    EPIDEMIC_CASH,
    EPIDEMIC_GOODS,
    FOUNDED,
    FUND,
    HISTORY,
    REPORTED_SHARE,
    SCHOOLS,
    SEED_TODAY,
    TOTAL,
    Ledger,
    cash_gift,
    day,
    donor_of,
    goods_gift,
    split,
)
from shanghui.charity.models import (
    Campaign,
    Distribution,
    Donation,
    DonorKind,
    GiftKind,
    Honor,
    Partner,
    Pledge,
    ValueBasis,
)
from shanghui.core.numbering import number_next
from shanghui.members.models import Member


def epidemic(
    ledger: Ledger,
    rng: random.Random,
    members: list[Member],
    campaign: Campaign,
    partners: dict[str, Partner],
) -> None:
    first, last = date(2020, 1, 24), date(2020, 4, 30)
    recipients = [
        partners[n]
        for n in ("湖北省慈善总会", "武汉市红十字会", "江西省红十字会", "广东省红十字会")
    ]
    for i, amount in enumerate(split(rng, EPIDEMIC_CASH, 420)):
        recipient = rng.choice(recipients)
        ledger.add(
            campaign=campaign,
            donated_on=day(rng, first, last),
            recipient=recipient,
            recipient_name=recipient.name,
            channel=Donation.Channel.ORGANIZED if i % 5 else Donation.Channel.REPORTED,
            official_receipt_no=f"HB2020-{i + 1:05d}",
            name_public=rng.random() < 0.7,
            **donor_of(members[i % len(members)]),
            **cash_gift(amount),
        )
    goods = [
        ("医用口罩", "个", Decimal("2.50")),
        ("医用防护服", "套", Decimal("120.00")),
        ("消毒液", "箱", Decimal("80.00")),
        ("呼吸机", "台", Decimal("85000.00")),
        ("医用手套", "盒", Decimal("45.00")),
    ]
    values = split(rng, EPIDEMIC_GOODS, 150, step=1000)
    for i, value in enumerate(values):
        item, unit, each = goods[i % len(goods)]
        quantity = max(1, int(value / each))
        recipient = rng.choice(recipients)
        ledger.add(
            campaign=campaign,
            donated_on=day(rng, first, last),
            recipient=recipient,
            recipient_name=recipient.name,
            name_public=True,
            **donor_of(members[(i * 7) % len(members)]),
            **{**goods_gift(item, unit, quantity, each, ValueBasis.INVOICE), "amount": value},
        )


def fund(
    ledger: Ledger, rng: random.Random, campaign: Campaign, partners: dict[str, Partner]
) -> None:
    """50万元 a school year for three years, shared by the six schools of the three counties."""
    schools = [partners[name] for name, _region in SCHOOLS[:6]]
    shares = [Decimal(n) for n in (100_000, 100_000, 80_000, 80_000, 70_000, 70_000)]
    assert sum(shares) * 3 == FUND
    for year in (2019, 2020, 2021):
        for school, amount in zip(schools, shares, strict=True):
            ledger.add(
                campaign=campaign,
                donated_on=date(year, 9, rng.randint(5, 15)),
                recipient=school,
                recipient_name=school.name,
                donor_kind=DonorKind.OUTSIDE,
                donor_name="广东省江西商会慈善基金",
                name_public=True,
                **cash_gift(amount),
            )


def drives(
    ledger: Ledger,
    rng: random.Random,
    members: list[Member],
    campaigns: dict[str, Campaign],
    partners: dict[str, Partner],
) -> None:
    for key, item, unit, total, each, size in (
        ("bags", "书包", "个", BAGS, Decimal("85"), 200),
        ("books", BOOK_SET, "套", BOOK_SETS, Decimal("268"), 150),
    ):
        campaign = campaigns[key]
        left = total
        i = 0
        while left > 0:
            quantity = min(left, size * rng.randint(1, 4))
            left -= quantity
            ledger.add(
                campaign=campaign,
                donated_on=day(rng, campaign.starts_on, campaign.ends_on or SEED_TODAY),
                recipient_name="商会统一采购发放",
                name_public=True,
                **donor_of(members[(i * 13 + 5) % len(members)]),
                **goods_gift(item, unit, quantity, each, ValueBasis.INVOICE),
            )
            i += 1


def current(
    ledger: Ledger,
    rng: random.Random,
    members: list[Member],
    campaign: Campaign,
    partners: dict[str, Partner],
    admin: Any,
    first_pledger: Any,
) -> None:
    """This year's campaign: members pledge and some have given. The first member's pledge
    was made by ``first_pledger`` on their phone (the demo member), the others taken down by
    the secretariat."""
    recipient = partners["江西省慈善总会"]
    pledges = []
    for i, member in enumerate(members[:12]):
        amount = Decimal(rng.choice([50_000, 100_000, 200_000, 300_000, 500_000]))
        pledge = Pledge(
            association=ledger.association,
            campaign=campaign,
            kind=GiftKind.CASH,
            amount=amount,
            due_on=date(2026, 12, 31),
            pledged_by=first_pledger if i == 0 else admin,
            status=Pledge.Status.FULFILLED if i % 3 == 1 else Pledge.Status.OPEN,
            **donor_of(member),
        )
        pledges.append(pledge)
    Pledge.objects.bulk_create(pledges)
    for pledge in pledges:
        if pledge.status == Pledge.Status.FULFILLED:
            ledger.add(
                campaign=campaign,
                pledge=pledge,
                donated_on=day(rng, date(2026, 4, 1), SEED_TODAY),
                recipient=recipient,
                recipient_name=recipient.name,
                name_public=True,
                donor_kind=DonorKind.MEMBER,
                donor_member=pledge.donor_member,
                donor_name=pledge.donor_name,
                donor_uscc=pledge.donor_uscc,
                **cash_gift(pledge.amount),
            )


def history(
    ledger: Ledger,
    rng: random.Random,
    members: list[Member],
    campaigns: dict[str, Campaign],
    partners: dict[str, Partner],
) -> list[Donation]:
    """The rest of the 超25亿元 across the chamber's twenty years: the historical campaigns
    and the gifts members made themselves and reported. Returns the two gifts 中山 also has."""
    rest = TOTAL - ledger.total - Decimal("2500000.00")  # the two twins below
    weights = sum(h[3] for h in HISTORY) + REPORTED_SHARE
    parts: list[tuple[Campaign | None, date, date, str, str, str, Decimal, Decimal]] = []
    spent = Decimal(0)
    for title, starts, ends, share, to, item, unit, each in HISTORY:
        amount = (rest * share / weights).quantize(Decimal(1))
        spent += amount
        parts.append((campaigns[title], starts, ends, to, item, unit, each, amount))
    parts.append((None, FOUNDED, SEED_TODAY, "", "", "", Decimal(0), rest - spent))
    for campaign, starts, ends, recipient_name, item, unit, each, amount in parts:
        recipient = partners.get(recipient_name)
        count = max(20, int(amount / 2_400_000))
        for i, value in enumerate(split(rng, amount, count, step=1000)):
            member = members[rng.randrange(len(members))]
            reported = campaign is None or i % 4 == 0
            in_kind = item and i % 3 == 0 and value >= each
            gift = cash_gift(value)
            if in_kind:
                gift = goods_gift(item, unit, int(value / each), each, ValueBasis.MARKET)
                gift["amount"] = value
            ledger.add(
                campaign=campaign,
                donated_on=day(rng, starts, ends),
                recipient=recipient,
                recipient_name=recipient.name
                if recipient
                else rng.choice(
                    ["赣州市慈善总会", "吉安市教育基金会", "上饶市红十字会", "家乡村委会"]
                ),
                channel=Donation.Channel.REPORTED if reported else Donation.Channel.ORGANIZED,
                name_public=rng.random() < 0.6,
                **donor_of(member),
                **gift,
            )
    # Two gifts 中山 has in its own ledger too (see _zhongshan).
    twin_donor = members[min(20, len(members) - 1)]
    twins = [
        ledger.add(
            campaign=None,
            donated_on=on,
            recipient_name=to,
            channel=Donation.Channel.REPORTED,
            **donor_of(twin_donor),
            **cash_gift(amount),
        )
        for on, to, amount in (
            (date(2020, 2, 12), "湖北省慈善总会", Decimal("2000000.00")),
            (date(2022, 6, 20), "江西省红十字会", Decimal("500000.00")),
        )
    ]
    return twins


def distributions(
    association: Association,
    rng: random.Random,
    campaigns: dict[str, Campaign],
    partners: dict[str, Partner],
    admin: Any,
) -> None:
    """Most schoolbags and book sets handed out to schools, a few hundred still in stock."""
    schools = [partners[name] for name, _region in SCHOOLS]
    rows = []
    for key, item, unit, total in (
        ("bags", "书包", "个", BAGS),
        ("books", BOOK_SET, "套", BOOK_SETS),
    ):
        campaign = campaigns[key]
        per_school = (total - 400) // len(schools)
        for i, school in enumerate(schools):
            rows.append(
                Distribution(
                    association=association,
                    campaign=campaign,
                    recipient=school,
                    item=item,
                    quantity=Decimal(per_school),
                    unit=unit,
                    recorded_by=admin,
                    distributed_on=(campaign.ends_on or SEED_TODAY) - timedelta(days=10 * i),
                    note=rng.choice(["校长代表学校签收", "县教育局陪同发放", ""]),
                )
            )
    Distribution.objects.bulk_create(rows)


def honors(
    association: Association,
    rng: random.Random,
    members: list[Member],
    campaigns: dict[str, Campaign],
    admin: Any,
) -> None:
    rows = [
        Honor(
            association=association,
            direction=Honor.Direction.RECEIVED,
            title="抗击新冠肺炎疫情先进组织",
            awarded_by="中华全国工商业联合会",
            awarded_on=date(2020, 9, 8),
            campaign=campaigns["epidemic"],
            is_public=True,
            description="表彰商会在抗击新冠肺炎疫情中组织会员企业捐款捐物、驰援一线。",
            created_by=admin,
        ),
        Honor(
            association=association,
            direction=Honor.Direction.RECEIVED,
            title="广东扶贫济困日活动爱心单位",
            awarded_by="广东省扶贫开发领导小组",
            awarded_on=date(2019, 6, 30),
            is_public=True,
            created_by=admin,
        ),
    ]
    for i, member in enumerate(members[:6]):
        year = 2020 if i < 4 else 2025
        rows.append(
            Honor(
                association=association,
                direction=Honor.Direction.GIVEN,
                title="抗疫爱心企业" if year == 2020 else "助学爱心企业",
                awarded_by=association.name,
                awarded_on=date(year, 12, 18),
                member=member,
                recipient_name=member.name,
                shown_on_card=i % 2 == 0,
                is_public=True,
                campaign=campaigns["epidemic" if year == 2020 else "sponsorship"],
                certificate_no=number_next(
                    association, "charity.certificate", year=year, prefix="RY"
                ),
                verify_token=f"{rng.getrandbits(128):032x}",
                created_by=admin,
            )
        )
    Honor.objects.bulk_create(rows)
