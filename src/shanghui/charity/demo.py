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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from shanghui.associations.models import Association
from shanghui.charity.models import (
    AcademicRecord,
    Beneficiary,
    Campaign,
    CampaignPartner,
    CharitySettings,
    Disbursement,
    Distribution,
    Donation,
    DonorKind,
    GiftKind,
    Honor,
    Partner,
    Pledge,
    Sponsorship,
    ValueBasis,
    Visit,
)
from shanghui.charity.services.donations import (
    DonorInput,
    GiftInput,
    donation_record,
    donation_reverse,
)
from shanghui.core.demo import GDJX, ZSJX, DemoContext
from shanghui.core.encryption import blind_index, field_encrypt
from shanghui.core.numbering import number_next
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.org.models import FigureSharingConsent

SEED_TODAY = date(2026, 11, 28)  # the demo's "now", as the dues seed's
FOUNDED = date(2006, 9, 16)

# The figures the chamber reports (元).
TOTAL = Decimal("2536184200.00")  # 超25亿元
EPIDEMIC_CASH = Decimal("42000000.00")  # 4,200万元
EPIDEMIC_GOODS = Decimal("125012345.60")  # with the cash: 1.67亿元
FUND = Decimal("1500000.00")  # 150万元 助学 fund for 乳源, 阳江, 陆河
BAGS = 10_600  # schoolbags
BOOK_SETS = 10_200  # sets of 13 classics
BOOK_SET = "名著（13册套装）"
PER_TERM = Decimal("3000.00")

PARTNERS = [
    ("广东省红十字会", Partner.Kind.RED_CROSS, "440000", True),
    ("武汉市红十字会", Partner.Kind.RED_CROSS, "420100", True),
    ("湖北省慈善总会", Partner.Kind.CHARITY_FEDERATION, "420000", True),
    ("江西省慈善总会", Partner.Kind.CHARITY_FEDERATION, "360000", True),
    ("广东省慈善总会", Partner.Kind.CHARITY_FEDERATION, "440000", True),
    ("江西省红十字会", Partner.Kind.RED_CROSS, "360000", True),
]
# Schools: (name, region). The first six are in the three counties of the 助学 fund.
SCHOOLS = [
    ("乳源瑶族自治县高级中学", "440232"),
    ("乳源瑶族自治县第一中学", "440232"),
    ("阳江市阳东区第一中学", "441704"),
    ("阳春市第一中学", "441781"),
    ("陆河县河田中学", "441523"),
    ("陆河县新田中学", "441523"),
    ("于都县第二中学", "360731"),
    ("兴国县平川中学", "360732"),
    ("瑞金市第二中学", "360781"),
    ("寻乌县第二中学", "360734"),
    ("会昌县会昌中学", "360733"),
    ("宁都县宁师中学", "360730"),
]
# Historical campaigns that, with the members' own reported gifts, make up the rest:
# (title, first day, last day, share of the rest, recipient, goods item, unit, value each).
HISTORY = [
    (
        "2008 汶川地震抗震救灾",
        date(2008, 5, 13),
        date(2008, 8, 31),
        6,
        "广东省红十字会",
        "帐篷",
        "顶",
        Decimal("1200"),
    ),
    (
        "2010 江西抚河抗洪救灾",
        date(2010, 6, 22),
        date(2010, 9, 30),
        4,
        "江西省红十字会",
        "棉被",
        "床",
        Decimal("150"),
    ),
    (
        "赣南苏区振兴·精准扶贫",
        date(2013, 3, 1),
        date(2020, 12, 31),
        18,
        "江西省慈善总会",
        "",
        "",
        Decimal(0),
    ),
    (
        "广东扶贫济困日",
        date(2010, 6, 30),
        date(2025, 6, 30),
        14,
        "广东省慈善总会",
        "",
        "",
        Decimal(0),
    ),
    (
        "乡村振兴·赣鄱行",
        date(2021, 3, 1),
        date(2025, 12, 31),
        16,
        "江西省慈善总会",
        "",
        "",
        Decimal(0),
    ),
    (
        "2024 梅州抗洪救灾",
        date(2024, 6, 17),
        date(2024, 8, 31),
        3,
        "广东省红十字会",
        "矿泉水",
        "箱",
        Decimal("30"),
    ),
]
REPORTED_SHARE = 39  # members' own gifts reported to the chamber, outside any campaign
SURNAMES = "陈林黄张李王吴刘蔡杨许郑谢罗邓钟赖曾温邱叶廖彭"
GIVEN = [
    "思雨",
    "子涵",
    "浩然",
    "雨欣",
    "俊杰",
    "佳怡",
    "宇航",
    "欣怡",
    "志强",
    "晓琳",
    "梓萱",
    "文博",
    "嘉豪",
    "诗涵",
    "明轩",
    "婷婷",
    "家乐",
    "雅琪",
    "振宇",
    "秋月",
]
GRADES = ["高一", "高二", "高三", "大一", "大二", "大三", "大四"]
UNIVERSITIES = ["华南理工大学", "南昌大学", "广东工业大学", "江西师范大学", "暨南大学"]
FAMILIES = [
    "父亲因病去世，母亲务农，家有两个弟妹在读",
    "父母在外务工收入微薄，与祖父母同住",
    "父亲残疾，母亲打零工，家庭为建档立卡户",
    "单亲家庭，母亲患慢性病需长期服药",
]


@dataclass
class _Ledger:
    """The gdjx ledger rows being built, and the sum they reach."""

    association: Association
    recorded_by: Any
    rows: list[Donation]
    total: Decimal = Decimal("0.00")

    def add(self, **fields: Any) -> Donation:
        row = Donation(association=self.association, recorded_by=self.recorded_by, **fields)
        self.rows.append(row)
        self.total += row.amount
        return row


def _donor(member: Member) -> dict[str, Any]:
    return {
        "donor_kind": DonorKind.MEMBER,
        "donor_member": member,
        "donor_name": member.name,
        "donor_uscc": member.uscc,
    }


def _cash(amount: Decimal) -> dict[str, Any]:
    return {"kind": GiftKind.CASH, "amount": amount}


def _goods(item: str, unit: str, quantity: int, each: Decimal, basis: str) -> dict[str, Any]:
    return {
        "kind": GiftKind.GOODS,
        "amount": (each * quantity).quantize(Decimal("0.01")),
        "item": item,
        "unit": unit,
        "quantity": Decimal(quantity),
        "value_basis": basis,
    }


def _day(rng: random.Random, first: date, last: date) -> date:
    last = min(last, SEED_TODAY)
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _split(rng: random.Random, total: Decimal, parts: int, step: int = 100) -> list[Decimal]:
    """``total`` in ``parts`` random amounts, multiples of ``step`` 元 except the last, which
    makes the sum exact."""
    weights = [rng.paretovariate(1.3) for _ in range(parts)]
    # The largest share goes last: what rounding left over never makes it negative.
    top = weights.index(max(weights))
    weights[top], weights[-1] = weights[-1], weights[top]
    scale = total / Decimal(sum(weights))
    amounts = [
        max(Decimal(step), (Decimal(w) * scale / step).quantize(Decimal(1)) * step)
        for w in weights[:-1]
    ]
    return [*amounts, total - sum(amounts, Decimal(0))]


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
        partners = _partners(gdjx)
        campaigns = _campaigns(gdjx, partners, admin)
        ledger = _Ledger(gdjx, admin, [])
        _epidemic(ledger, rng, members, campaigns["epidemic"], partners)
        _fund(ledger, rng, campaigns["fund"], partners)
        _drives(ledger, rng, members, campaigns, partners)
        sponsorship_rows = _sponsorships(ledger, rng, members, campaigns["sponsorship"], partners)
        _current(ledger, rng, members, campaigns["current"], partners, admin)
        twins = _history(ledger, rng, members, campaigns, partners)
        Donation.objects.bulk_create(ledger.rows, batch_size=500)
        _sponsorship_rest(gdjx, *sponsorship_rows)
        _distributions(gdjx, rng, campaigns, partners, admin)
        _honors(gdjx, rng, members, campaigns, admin)
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


def _partners(association: Association) -> dict[str, Partner]:
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


def _campaigns(
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


def _epidemic(
    ledger: _Ledger,
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
    for i, amount in enumerate(_split(rng, EPIDEMIC_CASH, 420)):
        recipient = rng.choice(recipients)
        ledger.add(
            campaign=campaign,
            donated_on=_day(rng, first, last),
            recipient=recipient,
            recipient_name=recipient.name,
            channel=Donation.Channel.ORGANIZED if i % 5 else Donation.Channel.REPORTED,
            official_receipt_no=f"HB2020-{i + 1:05d}",
            name_public=rng.random() < 0.7,
            **_donor(members[i % len(members)]),
            **_cash(amount),
        )
    goods = [
        ("医用口罩", "个", Decimal("2.50")),
        ("医用防护服", "套", Decimal("120.00")),
        ("消毒液", "箱", Decimal("80.00")),
        ("呼吸机", "台", Decimal("85000.00")),
        ("医用手套", "盒", Decimal("45.00")),
    ]
    values = _split(rng, EPIDEMIC_GOODS, 150, step=1000)
    for i, value in enumerate(values):
        item, unit, each = goods[i % len(goods)]
        quantity = max(1, int(value / each))
        recipient = rng.choice(recipients)
        ledger.add(
            campaign=campaign,
            donated_on=_day(rng, first, last),
            recipient=recipient,
            recipient_name=recipient.name,
            name_public=True,
            **_donor(members[(i * 7) % len(members)]),
            **{**_goods(item, unit, quantity, each, ValueBasis.INVOICE), "amount": value},
        )


def _fund(
    ledger: _Ledger, rng: random.Random, campaign: Campaign, partners: dict[str, Partner]
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
                **_cash(amount),
            )


def _drives(
    ledger: _Ledger,
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
                donated_on=_day(rng, campaign.starts_on, campaign.ends_on or SEED_TODAY),
                recipient_name="商会统一采购发放",
                name_public=True,
                **_donor(members[(i * 13 + 5) % len(members)]),
                **_goods(item, unit, quantity, each, ValueBasis.INVOICE),
            )
            i += 1


def _terms(starts: date, ends: date) -> Iterator[tuple[str, date]]:
    """School terms (学期) from ``starts`` until ``ends``: their name and payment date."""
    year = starts.year
    while True:
        for name, due in (
            (f"{year}年秋季学期", date(year, 9, 10)),
            (f"{year + 1}年春季学期", date(year + 1, 3, 1)),
        ):
            if due < starts:
                continue
            if due > ends:
                return
            yield name, due
        year += 1


def _id_number(rng: random.Random, region: str, born: date) -> str:
    body = f"{region}{born:%Y%m%d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _sponsorships(
    ledger: _Ledger,
    rng: random.Random,
    members: list[Member],
    campaign: Campaign,
    partners: dict[str, Partner],
) -> tuple[
    list[Beneficiary], list[Sponsorship], list[Disbursement], list[Visit], list[AcademicRecord]
]:
    """55 students: five of a 2017 cohort who graduated and found work, ten of each cohort
    since 2021. Paid terms are booked in the ledger as the sponsor's gifts."""
    association = ledger.association
    encrypting = bool(settings.FIELD_ENCRYPTION_KEYS and settings.FIELD_BLIND_INDEX_KEY)
    sponsors = members[1:12] or members
    students, sponsorships, disbursements, visits, records = [], [], [], [], []
    cohorts = [(2017, 5)] + [(year, 10) for year in range(2021, 2026)]
    n = 0
    for cohort, size in cohorts:
        for _ in range(size):
            school_name, region = SCHOOLS[n % 6]
            school = partners[school_name]
            university = UNIVERSITIES[n % len(UNIVERSITIES)]
            in_university = date(cohort + 3, 9, 1)
            born = date(cohort - 15, rng.randint(1, 12), rng.randint(1, 28))
            starts = date(cohort, 9, 1)
            graduated = cohort == 2017
            student = Beneficiary(
                association=association,
                name=SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)],
                gender=rng.choice("mf"),
                birth_date=born,
                region_code=region,
                school=school if cohort >= 2024 else None,
                school_name=school_name if cohort >= 2024 else university,
                stage=Beneficiary.Stage.EMPLOYED
                if graduated
                else (
                    Beneficiary.Stage.HIGH_SCHOOL
                    if cohort >= 2024
                    else Beneficiary.Stage.UNIVERSITY
                ),
                grade="" if graduated else GRADES[SEED_TODAY.year - cohort],
                guardian_name=SURNAMES[n % len(SURNAMES)] + "建国",
                guardian_relation=rng.choice(["父亲", "母亲", "祖父", "祖母"]),
                guardian_phone=f"139{rng.randint(10_000_000, 99_999_999)}",
                guardian_consent_on=starts,
                sensitive_consent_on=starts,
                consent_note="监护人签署纸质同意书（含敏感个人信息单独同意），原件存秘书处",
                graduated_on=date(2024, 6, 30) if graduated else None,
                outcome="本科毕业，入职深圳一家电子科技企业，从事嵌入式开发" if graduated else "",
                ended_on=date(2024, 6, 30) if graduated else None,
            )
            if encrypting:
                number = _id_number(rng, region, born)
                field_encrypt(student, "id_number", number)
                student.id_number_index = blind_index(number)
                field_encrypt(student, "family_situation", FAMILIES[n % len(FAMILIES)])
            students.append(student)
            sponsor = sponsors[n % len(sponsors)]
            ends = date(cohort + 7, 6, 30)
            sponsorship = Sponsorship(
                association=association,
                beneficiary=student,
                sponsor_member=sponsor,
                sponsor_name=sponsor.name,
                campaign=campaign,
                starts_on=starts,
                expected_end_on=ends,
                amount_per_term=PER_TERM,
                status=Sponsorship.Status.COMPLETED if graduated else Sponsorship.Status.ACTIVE,
            )
            sponsorships.append(sponsorship)
            for term, due in _terms(starts, min(ends, date(SEED_TODAY.year + 1, 3, 1))):
                # Three terms of this autumn still unpaid: the missed-payment alerts.
                late = due.year == SEED_TODAY.year and due.month == 9 and n % 17 == 3
                paid = due <= SEED_TODAY and not late
                gift = None
                if paid:
                    to = school if due < in_university else None
                    gift = ledger.add(
                        campaign=campaign,
                        donated_on=due,
                        recipient=to,
                        recipient_name=to.name if to else university,
                        name_public=True,
                        **_donor(sponsor),
                        **_cash(PER_TERM),
                    )
                disbursements.append(
                    Disbursement(
                        association=association,
                        sponsorship=sponsorship,
                        term=term,
                        due_on=due,
                        amount=PER_TERM,
                        paid_on=due if paid else None,
                        reference=f"ZX{due:%Y%m}-{n + 1:03d}" if paid else "",
                        donation=gift,
                    )
                )
            for year in range(cohort, SEED_TODAY.year + 1):
                if graduated and year > 2024:
                    break
                visits.append(
                    Visit(
                        association=association,
                        beneficiary=student,
                        visited_on=date(year, 11, rng.randint(1, 25)),
                        visitors="商会助学委员会 曾晓燕、" + sponsor.name[:6] + "代表",
                        notes=rng.choice(
                            [
                                "学生学习认真，成绩稳步提升；家中老人身体尚可。送去冬衣和学习用品。",
                                "与班主任交流，学生担任班干部，性格开朗。家庭经济仍较困难。",
                                "学生已适应大学生活，课余勤工俭学；叮嘱注意身体、按时报平安。",
                            ]
                        ),
                    )
                )
                records.append(
                    AcademicRecord(
                        association=association,
                        beneficiary=student,
                        term=f"{year}-{year + 1}学年第一学期",
                        school_name=school_name if year < in_university.year else university,
                        summary=rng.choice(
                            [
                                "年级排名前10%",
                                "年级排名前30%，数学进步明显",
                                "获校三好学生",
                                "成绩中上，英语需加强",
                            ]
                        ),
                        recorded_on=date(year, 11, 28),
                    )
                )
            n += 1
    return students, sponsorships, disbursements, visits, records


def _sponsorship_rest(
    association: Association,
    students: list[Beneficiary],
    sponsorships: list[Sponsorship],
    disbursements: list[Disbursement],
    visits: list[Visit],
    records: list[AcademicRecord],
) -> None:
    """After the ledger: the rows that point at the students and at their ledger entries
    (``bulk_create`` takes each foreign key from the object saved meanwhile)."""
    del association
    Beneficiary.objects.bulk_create(students)
    Sponsorship.objects.bulk_create(sponsorships)
    Disbursement.objects.bulk_create(disbursements, batch_size=500)
    Visit.objects.bulk_create(visits)
    AcademicRecord.objects.bulk_create(records)


def _current(
    ledger: _Ledger,
    rng: random.Random,
    members: list[Member],
    campaign: Campaign,
    partners: dict[str, Partner],
    admin: Any,
) -> None:
    """This year's campaign: members pledge (the demo member too) and some have given."""
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
            pledged_by=admin,
            status=Pledge.Status.FULFILLED if i % 3 == 1 else Pledge.Status.OPEN,
            **_donor(member),
        )
        pledges.append(pledge)
    Pledge.objects.bulk_create(pledges)
    for pledge in pledges:
        if pledge.status == Pledge.Status.FULFILLED:
            ledger.add(
                campaign=campaign,
                pledge=pledge,
                donated_on=_day(rng, date(2026, 4, 1), SEED_TODAY),
                recipient=recipient,
                recipient_name=recipient.name,
                name_public=True,
                donor_kind=DonorKind.MEMBER,
                donor_member=pledge.donor_member,
                donor_name=pledge.donor_name,
                donor_uscc=pledge.donor_uscc,
                **_cash(pledge.amount),
            )


def _history(
    ledger: _Ledger,
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
        for i, value in enumerate(_split(rng, amount, count, step=1000)):
            member = members[rng.randrange(len(members))]
            reported = campaign is None or i % 4 == 0
            goods = item and i % 3 == 0 and value >= each
            gift = (
                {**_goods(item, unit, int(value / each), each, ValueBasis.MARKET), "amount": value}
                if goods
                else _cash(value)
            )
            ledger.add(
                campaign=campaign,
                donated_on=_day(rng, starts, ends),
                recipient=recipient,
                recipient_name=recipient.name
                if recipient
                else rng.choice(
                    ["赣州市慈善总会", "吉安市教育基金会", "上饶市红十字会", "家乡村委会"]
                ),
                channel=Donation.Channel.REPORTED if reported else Donation.Channel.ORGANIZED,
                name_public=rng.random() < 0.6,
                **_donor(member),
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
            **_donor(twin_donor),
            **_cash(amount),
        )
        for on, to, amount in (
            (date(2020, 2, 12), "湖北省慈善总会", Decimal("2000000.00")),
            (date(2022, 6, 20), "江西省红十字会", Decimal("500000.00")),
        )
    ]
    return twins


def _distributions(
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


def _honors(
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
                _donor(member)
                if member
                else {"donor_kind": DonorKind.OUTSIDE, "donor_name": "中山爱心企业"}
            )
            rows.append(
                Donation(
                    association=zsjx,
                    donated_on=_day(rng, date(2012, 1, 1), SEED_TODAY),
                    recipient_name=rng.choice(["中山市慈善总会", "中山市红十字会"]),
                    reported_to_parent=i == 0,
                    name_public=True,
                    **donor,
                    **_cash(Decimal(rng.randint(5, 300) * 1000)),
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
                    **_cash(twin.amount),
                )
            )
        Donation.objects.bulk_create(rows)
