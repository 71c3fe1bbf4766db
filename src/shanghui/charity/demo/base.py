"""What the charity demo's parts share: the figures the chamber reports, its partners and
schools, the campaigns of its history, and the ledger being built."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from shanghui.associations.models import Association
from shanghui.charity.models import (
    Donation,
    DonorKind,
    GiftKind,
    Partner,
)
from shanghui.members.models import Member

SEED_TODAY = date(2026, 11, 28)  # the demo's "now", as the dues seed's


FOUNDED = date(2006, 9, 16)


TOTAL = Decimal("2536184200.00")  # 超25亿元


EPIDEMIC_CASH = Decimal("42000000.00")  # 4,200万元


EPIDEMIC_GOODS = Decimal("125012345.60")  # with the cash: 1.67亿元


FUND = Decimal("1500000.00")  # 150万元 助学 fund for 乳源, 阳江, 陆河


BAGS = 10_600  # schoolbags


BOOK_SETS = 10_200  # sets of 13 classics


BOOK_SET = "名著（13册套装）"


PARTNERS = [
    ("广东省红十字会", Partner.Kind.RED_CROSS, "440000", True),
    ("武汉市红十字会", Partner.Kind.RED_CROSS, "420100", True),
    ("湖北省慈善总会", Partner.Kind.CHARITY_FEDERATION, "420000", True),
    ("江西省慈善总会", Partner.Kind.CHARITY_FEDERATION, "360000", True),
    ("广东省慈善总会", Partner.Kind.CHARITY_FEDERATION, "440000", True),
    ("江西省红十字会", Partner.Kind.RED_CROSS, "360000", True),
]


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


@dataclass
class Ledger:
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


def donor_of(member: Member) -> dict[str, Any]:
    return {
        "donor_kind": DonorKind.MEMBER,
        "donor_member": member,
        "donor_name": member.name,
        "donor_uscc": member.uscc,
    }


def cash_gift(amount: Decimal) -> dict[str, Any]:
    return {"kind": GiftKind.CASH, "amount": amount}


def goods_gift(item: str, unit: str, quantity: int, each: Decimal, basis: str) -> dict[str, Any]:
    return {
        "kind": GiftKind.GOODS,
        "amount": (each * quantity).quantize(Decimal("0.01")),
        "item": item,
        "unit": unit,
        "quantity": Decimal(quantity),
        "value_basis": basis,
    }


def day(rng: random.Random, first: date, last: date) -> date:
    last = min(last, SEED_TODAY)
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def split(rng: random.Random, total: Decimal, parts: int, step: int = 100) -> list[Decimal]:
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
