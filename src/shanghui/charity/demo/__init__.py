"""Demo seed: the provincial chamber's charity record, as it reports it — donations by the
chamber and its member enterprises of over 2.5 billion 元 in all (超25亿元); 1.67亿元 during
the 2020 epidemic, of which 4,200万元 in cash; 150万元 from its charity fund for poor
students of 乳源, 阳江 and 陆河; 10,000+ schoolbags and sets of 13 classic books handed out
to schools; some fifty students sponsored term by term for years, visited every year; the
全国工商联 "抗击新冠肺炎疫情先进组织" and the honors it gave its members — and disclosure on.

中山市江西商会, its group member, shares its charity totals with it and reported one gift to
both (recognised by the roll-up) and another a few days apart (listed as 可能重复).

The ledger is written with ``bulk_create`` (about 3,000 rows, checked by the ledger's CHECK
constraints as any entry is); one mistaken entry goes through ``donation_record`` and
``donation_reverse`` to show a reversal. Deterministic: one seeded random generator."""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from shanghui.associations.models import Association
from shanghui.charity.demo.base import (
    BOOK_SET,
    FUND,
    HISTORY,
    PARTNERS,
    SCHOOLS,
    SEED_TODAY,
    Ledger,
    cash_gift,
    day,
    donor_of,
)
from shanghui.charity.demo.gifts import (
    current,
    distributions,
    drives,
    epidemic,
    fund,
    history,
    honors,
)
from shanghui.charity.demo.students import sponsorship_rest, sponsorships
from shanghui.charity.models import (
    Campaign,
    CampaignPartner,
    CharitySettings,
    Donation,
    DonorKind,
    GiftKind,
    Partner,
)
from shanghui.charity.services.donations import (
    DonorInput,
    GiftInput,
    donation_record,
    donation_reverse,
)
from shanghui.core.demo import GDJX, ZSJX, DemoContext
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.org.models import FigureSharingConsent


def seed(ctx: DemoContext) -> None:
    gdjx = ctx.associations[GDJX.slug]
    rng = random.Random("shanghui-demo:charity")
    admin = ctx.users.get(GDJX.admin_phone)
    with tenant_context(gdjx):
        members = list(
            Member.objects.filter(association=gdjx, kind=Member.Kind.ENTERPRISE)
            .exclude(uscc="")
            .order_by("id")[:600]
        )
        demo_member_user = ctx.users.get(GDJX.member_phone)
        mine = (
            Member.objects.filter(
                association=gdjx, representatives__person__user=demo_member_user
            ).first()
            if demo_member_user
            else None
        )
        if mine is not None and mine in members:
            members.remove(mine)
        if mine is not None:
            members.insert(0, mine)  # the demo member's enterprise gives first
        partners = partners_create(gdjx)
        campaigns = campaigns_create(gdjx, partners, admin)
        ledger = Ledger(gdjx, admin, [])
        epidemic(ledger, rng, members, campaigns["epidemic"], partners)
        fund(ledger, rng, campaigns["fund"], partners)
        drives(ledger, rng, members, campaigns, partners)
        sponsorship_rows = sponsorships(ledger, rng, members, campaigns["sponsorship"], partners)
        pledger = demo_member_user if mine is not None else admin
        current(ledger, rng, members, campaigns["current"], partners, admin, pledger)
        twins = history(ledger, rng, members, campaigns, partners)
        Donation.objects.bulk_create(ledger.rows, batch_size=500)
        sponsorship_rest(gdjx, *sponsorship_rows)
        distributions(gdjx, rng, campaigns, partners, admin)
        honors(gdjx, rng, members, campaigns, admin)
        _a_corrected_entry(gdjx, admin, members, campaigns["current"])
        CharitySettings.objects.create(
            association=gdjx,
            disclose_publicly=True,
            public_intro=(
                "商会成立以来，商会及会员企业累计捐款捐物超25亿元。2020年抗击新冠肺炎疫情期间"
                "捐款捐物1.67亿元，其中现金4,200万元，获全国工商联授予“抗击新冠肺炎疫情先进组织”"
                "称号；商会慈善基金出资150万元资助乳源、阳江、陆河三地贫困学生。"
            ),
        )
    _zhongshan(ctx, gdjx, twins)


def partners_create(association: Association) -> dict[str, Partner]:
    rows = [
        Partner(
            association=association,
            name=name,
            kind=kind,
            region_code=region,
            issues_official_receipts=receipts,
        )
        for name, kind, region, receipts in PARTNERS
    ] + [
        Partner(association=association, name=name, kind=Partner.Kind.SCHOOL, region_code=region)
        for name, region in SCHOOLS
    ]
    Partner.objects.bulk_create(rows)
    return {p.name: p for p in Partner.objects.filter(association=association)}


def campaigns_create(
    association: Association, partners: dict[str, Partner], admin: Any
) -> dict[str, Campaign]:
    def make(key: str, title: str, starts: date, ends: date | None, **fields: Any) -> None:
        made[key] = Campaign(
            association=association,
            title=title,
            starts_on=starts,
            ends_on=ends,
            created_by=admin,
            **{"status": Campaign.Status.CLOSED, "is_public": True, **fields},
        )

    made: dict[str, Campaign] = {}
    make(
        "epidemic",
        "2020 抗击新冠肺炎疫情",
        date(2020, 1, 24),
        date(2020, 6, 30),
        summary="商会号召会员企业捐款捐物，驰援湖北、江西、广东三地抗疫一线。",
        region_codes=["420000", "360000", "440000"],
    )
    make(
        "fund",
        "乳源·阳江·陆河助学",
        date(2019, 9, 1),
        date(2022, 7, 31),
        summary="商会慈善基金出资150万元，资助乳源、阳江、陆河三地家庭困难的学生。",
        goal_amount=FUND,
        region_codes=["440232", "441700", "441523"],
    )
    make(
        "bags",
        "小书包·大爱心",
        date(2018, 3, 1),
        date(2019, 12, 31),
        summary="为赣南、粤北山区小学生送去新书包。",
        goal_item="书包",
        goal_quantity=Decimal(10_000),
        goal_unit="个",
    )
    make(
        "books",
        "名著进校园",
        date(2019, 3, 1),
        date(2021, 6, 30),
        summary="每套13册中外名著，送进山区中学图书室。",
        goal_item=BOOK_SET,
        goal_quantity=Decimal(10_000),
        goal_unit="套",
    )
    make(
        "sponsorship",
        "春蕾圆梦·结对助学",
        date(2017, 9, 1),
        None,
        status=Campaign.Status.ACTIVE,
        summary="会员企业与贫困学生结对，从高中资助到大学毕业，每年走访。",
    )
    make(
        "current",
        "2026 赣南老区助学",
        date(2026, 3, 1),
        date(2026, 12, 31),
        status=Campaign.Status.ACTIVE,
        goal_amount=Decimal(5_000_000),
        pledge_deadline=date(2026, 12, 31),
        public_fundraising_url="https://example.org/jxcszh/2026-zhuxue",
        summary="为赣南原中央苏区县的寒门学子筹集助学金，欢迎会员企业认捐。",
        region_codes=["360700"],
    )
    for title, starts, ends, *_rest in HISTORY:
        make(title, title, starts, ends)
    Campaign.objects.bulk_create(made.values())
    links = {
        "epidemic": ["湖北省慈善总会", "武汉市红十字会", "江西省红十字会", "广东省红十字会"],
        "fund": [name for name, _region in SCHOOLS[:6]],
        "current": ["江西省慈善总会"],
    }
    CampaignPartner.objects.bulk_create(
        CampaignPartner(association=association, campaign=made[key], partner=partners[name])
        for key, names in links.items()
        for name in names
    )
    return made


def _a_corrected_entry(
    association: Association, admin: Any, members: list[Member], campaign: Campaign
) -> None:
    """A gift entered twice by mistake and reversed: the ledger keeps both lines."""
    member = members[-1]
    twice = donation_record(
        association=association,
        actor=admin,
        donor=DonorInput(kind=DonorKind.MEMBER, member=member),
        gift=GiftInput(kind=GiftKind.CASH, amount=Decimal("80000")),
        donated_on=date(2026, 10, 9),
        campaign=campaign,
        note="与10月9日记录重复",
    )
    donation_reverse(association=association, actor=admin, donation=twice, reason="重复录入")


def _zhongshan(ctx: DemoContext, gdjx: Association, twins: list[Donation]) -> None:
    """中山's small ledger, shared with the provincial chamber: one gift marked as reported to
    it, one equal to a gift in its ledger (counted once), one three days apart (可能重复)."""
    zsjx = ctx.associations[ZSJX.slug]
    rng = random.Random("shanghui-demo:charity:zsjx")
    with tenant_context(zsjx):
        FigureSharingConsent.objects.filter(association=zsjx, parent=gdjx).update(
            shares_charity_with_parent=True
        )
        members = list(Member.objects.filter(association=zsjx).exclude(uscc="").order_by("id"))
        rows = []
        for i in range(36):
            member = members[i % len(members)] if members else None
            donor = (
                donor_of(member)
                if member
                else {"donor_kind": DonorKind.OUTSIDE, "donor_name": "中山爱心企业"}
            )
            rows.append(
                Donation(
                    association=zsjx,
                    donated_on=day(rng, date(2012, 1, 1), SEED_TODAY),
                    recipient_name=rng.choice(["中山市慈善总会", "中山市红十字会"]),
                    reported_to_parent=i == 0,
                    name_public=True,
                    **donor,
                    **cash_gift(Decimal(rng.randint(5, 300) * 1000)),
                )
            )
        exact, near = twins
        for twin, shift, recipient in (
            (exact, 0, exact.recipient_name),
            (near, 3, "江西省红十字会（抗洪救灾）"),
        ):
            rows.append(
                Donation(
                    association=zsjx,
                    donated_on=twin.donated_on + timedelta(days=shift),
                    recipient_name=recipient,
                    donor_kind=DonorKind.OUTSIDE,
                    donor_name=twin.donor_name,
                    donor_uscc=twin.donor_uscc,
                    channel=Donation.Channel.REPORTED,
                    **cash_gift(twin.amount),
                )
            )
        Donation.objects.bulk_create(rows)
