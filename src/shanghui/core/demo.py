"""The demo's cast: the associations `manage.py seed_demo` creates and the accounts that sign
in to them. Plain data, importable without Django settings — the single source for the
command's printout and for the sign-in table in the README.

Each app adds its part of the demo in its own ``demo.py`` with a ``seed(ctx)`` function; the
command calls them in ``INSTALLED_APPS`` order inside one transaction (see
``site/management/commands/seed_demo.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from shanghui.core.types import AppAccount, AppTenant

DEMO_PASSWORD = "Shanghui2026"
PLATFORM = "平台"
OPERATOR_PHONE = "13800000000"
OPERATOR_NAME = "云商会运营"

# Size of the provincial chamber the other associations' sizes are proportional to.
FULL_SIZE = 23_000
MIN_MEMBERS = 20


@dataclass(frozen=True, slots=True)
class DemoAssociation:
    """One demo tenant, its secretariat admin and one member who represents a real member
    enterprise. ``full_members`` is its size when the provincial chamber has ``FULL_SIZE``."""

    slug: str
    name: str
    short_name: str
    kind: str  # Association.Kind value
    region_code: str
    uscc: str
    founded_on: date
    introduction: str
    member_no_prefix: str
    full_members: int
    admin_name: str
    admin_phone: str
    member_name: str
    member_phone: str

    def member_count(self, provincial_size: int) -> int:
        if self.full_members == FULL_SIZE:
            return provincial_size
        return max(MIN_MEMBERS, round(provincial_size * self.full_members / FULL_SIZE))


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """One row of the sign-in table."""

    role: str  # shown in Chinese
    association: str  # short name, or PLATFORM
    phone: str
    password: str
    name: str
    slug: str = ""  # "" for the platform operator and the providers' users
    role_kind: str = ""  # Role.Kind value; "" for the platform operator
    provider: str = ""  # the provider's slug, for a provider's back-office user


@dataclass(frozen=True, slots=True)
class DemoProvider:
    """A service provider (服务商) the operator approved, and its back-office user, who
    applied for it and so became its first administrator. Its back office is
    ``/p/<slug>/``."""

    slug: str
    name: str
    category: str  # providers.Category value
    user_name: str
    user_phone: str


GDJX = DemoAssociation(
    slug="gdjx",
    name="广东省江西商会",
    short_name="广东省江西商会",
    kind="hometown",
    region_code="440000",
    uscc="51440000MJL1765218",
    founded_on=date(2006, 9, 16),
    introduction=(
        "广东省江西商会成立于2006年9月，是经广东省民政厅登记注册、由在粤投资兴业的江西籍企业家"
        "自愿组成的非营利性社会团体。商会秉承“服务会员、团结乡贤、回报桑梓”的宗旨，搭建赣粤两地"
        "经贸交流与合作平台，现有会员企业两万余家，涵盖电子信息、智能制造、建筑工程、现代物流、"
        "金融服务等行业，下设16个专业委员会，并与省内各地市江西商会、江西各设区市在粤商会建立"
        "团体会员关系。"
    ),
    member_no_prefix="GDJX",
    full_members=FULL_SIZE,
    admin_name="曾晓燕",
    admin_phone="13800000001",
    member_name="刘建华",
    member_phone="13800000002",
)
ZSJX = DemoAssociation(
    slug="zsjx",
    name="中山市江西商会",
    short_name="中山市江西商会",
    kind="hometown",
    region_code="442000",
    uscc="51442000MJL2003178",
    founded_on=date(2011, 5, 20),
    introduction=(
        "中山市江西商会成立于2011年5月，由在中山创业发展的江西籍企业家发起成立，是广东省江西商会"
        "的团体会员单位。商会以“联谊、互助、发展、共赢”为宗旨，为会员企业提供政策咨询、融资对接、"
        "法律援助和乡情联谊等服务。"
    ),
    member_no_prefix="ZSJX",
    full_members=800,
    admin_name="单文斌",
    admin_phone="13800000003",
    member_name="钟国平",
    member_phone="13800000004",
)
SZDZ = DemoAssociation(
    slug="szdz",
    name="深圳市电子信息行业协会",
    short_name="深圳电子信息协会",
    kind="industry",
    region_code="440300",
    uscc="51440300MJL315771P",
    founded_on=date(2003, 11, 8),
    introduction=(
        "深圳市电子信息行业协会是由深圳地区从事电子元器件、通信设备、智能终端、软件和信息技术"
        "服务的企业自愿组成的行业性社会团体。协会开展行业调研、标准制定、人才培训和展会对接，"
        "反映会员诉求，促进产业链上下游协同发展。"
    ),
    member_no_prefix="SZDZ",
    full_members=400,
    admin_name="区嘉欣",
    admin_phone="13800000005",
    member_name="黄志伟",
    member_phone="13800000006",
)
THSH = DemoAssociation(
    slug="thsh",
    name="广州市天河区商会",
    short_name="天河区商会",
    kind="regional",
    region_code="440106",
    uscc="51440106MJL400853L",
    founded_on=date(2002, 3, 28),
    introduction=(
        "广州市天河区商会（天河区总商会）是在区工商联指导下，由天河区内民营企业、商业楼宇和"
        "经济联合社自愿组成的区域性商会。商会围绕天河中央商务区建设，组织政企座谈、招商推介和"
        "营商环境调研，服务辖区企业高质量发展。"
    ),
    member_no_prefix="THSH",
    full_members=300,
    admin_name="解明辉",
    admin_phone="13800000007",
    member_name="罗海峰",
    member_phone="13800000008",
)
GDSL = DemoAssociation(
    slug="gdsl",
    name="广东省商会联合会",
    short_name="广东省商联",
    kind="federation",
    region_code="440000",
    uscc="51440000MJL50699X1",
    founded_on=date(2016, 10, 12),
    introduction=(
        "广东省商会联合会由省内各类异地商会、区域商会和行业商会共同发起成立，致力于加强商会之间"
        "的交流协作，推动商会规范化建设，组织会员单位参与乡村振兴和公益慈善事业。"
    ),
    member_no_prefix="GDSL",
    full_members=150,
    admin_name="仇志刚",
    admin_phone="13800000009",
    member_name="温志强",
    member_phone="13800000010",
)

BANK = DemoProvider(
    slug="gyyh-gz",
    name="赣粤银行广州分行",
    category="bank",
    user_name="陈嘉铭",
    user_phone="13800000011",
)
HOSPITAL = DemoProvider(
    slug="renhe-gz",
    name="广州仁和医院",
    category="medical",
    user_name="林慧敏",
    user_phone="13800000012",
)
DEMO_PROVIDERS: list[DemoProvider] = [BANK, HOSPITAL]

# Creation order: the provincial chamber links to 中山 as a group member, the federation to both.
DEMO_ASSOCIATIONS: list[DemoAssociation] = [ZSJX, SZDZ, THSH, GDJX, GDSL]
PROVINCIAL = GDJX

ROLE_OPERATOR = "平台运营"
ROLE_ADMIN = "管理员（秘书处）"
ROLE_MEMBER = "会员"
ROLE_PROVIDER = "服务商后台"


def _accounts() -> list[DemoAccount]:
    rows = [DemoAccount(ROLE_OPERATOR, PLATFORM, OPERATOR_PHONE, DEMO_PASSWORD, OPERATOR_NAME)]
    for demo in sorted(DEMO_ASSOCIATIONS, key=lambda d: d.admin_phone):
        rows.append(
            DemoAccount(
                ROLE_ADMIN,
                demo.short_name,
                demo.admin_phone,
                DEMO_PASSWORD,
                demo.admin_name,
                demo.slug,
                "admin",
            )
        )
        rows.append(
            DemoAccount(
                ROLE_MEMBER,
                demo.short_name,
                demo.member_phone,
                DEMO_PASSWORD,
                demo.member_name,
                demo.slug,
                "member",
            )
        )
    for provider in DEMO_PROVIDERS:
        rows.append(
            DemoAccount(
                ROLE_PROVIDER,
                provider.name,
                provider.user_phone,
                DEMO_PASSWORD,
                provider.user_name,
                provider=provider.slug,
            )
        )
    return rows


DEMO_ACCOUNTS: list[DemoAccount] = _accounts()
DEMO_PHONES = frozenset(account.phone for account in DEMO_ACCOUNTS)


def demo_accounts_table() -> str:
    """The sign-in table as Markdown, for the README and the command's printout."""
    lines = ["| 角色 | 商协会 | 姓名 | 手机号 | 密码 |", "|---|---|---|---|---|"]
    for a in DEMO_ACCOUNTS:
        lines.append(f"| {a.role} | {a.association} | {a.name} | {a.phone} | {a.password} |")
    return "\n".join(lines)


ProgressFn = Callable[[str, int, int], None]


def _no_progress(label: str, done: int, total: int) -> None:
    return None


@dataclass
class DemoContext:
    """What the per-app ``seed(ctx)`` functions share. ``associations`` and ``users`` are
    filled by the associations app's seed (it runs first) and keyed by slug / phone."""

    provincial_size: int = FULL_SIZE
    progress: ProgressFn = _no_progress
    associations: dict[str, AppTenant] = field(default_factory=dict)
    users: dict[str, AppAccount] = field(default_factory=dict)

    def member_count(self, demo: DemoAssociation) -> int:
        return demo.member_count(self.provincial_size)
