"""Deterministic generators of realistic demo records: company and person names, mobile numbers,
unified social credit codes, Guangdong addresses, Jiangxi hometowns, industries.

Pure Python (no database): the same seed gives the same records on every machine, so the demo
and its tests agree. Every generator draws from one ``random.Random`` seeded with a string.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Generic, TypeVar

from shanghui.core.industries import industry_name
from shanghui.core.regions import children, get_region
from shanghui.core.uscc import ALPHABET, uscc_check_char

LAST_JOIN = date(2026, 10, 31)
T = TypeVar("T")

# --- weighted choice -------------------------------------------------------------------------


class Weighted(Generic[T]):
    """Weighted choice over fixed options, with the cumulative table built once."""

    def __init__(self, options: Sequence[T], weights: Sequence[float]) -> None:
        self.options = list(options)
        self.cumulative = list(accumulate(weights))

    @classmethod
    def of(cls, table: dict[T, float]) -> Weighted[T]:
        return cls(list(table), list(table.values()))

    def pick(self, rng: random.Random) -> T:
        return self.options[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


# --- people ------------------------------------------------------------------------------------

# Roughly by frequency, tilted toward Jiangxi and Guangdong (刘 陈 曾 钟 赖 廖 温). Surnames with a
# special reading (曾 单 解 仇 区 查 覃 乐 缪 翟 冼) appear on purpose: search must read them right.
SURNAMES = Weighted.of(
    {
        "王": 6.0, "李": 6.5, "张": 6.0, "刘": 6.5, "陈": 6.5, "杨": 3.0, "黄": 3.2, "赵": 2.0,
        "吴": 2.2, "周": 2.0, "徐": 1.6, "孙": 1.3, "马": 1.0, "朱": 1.3, "胡": 1.6, "郭": 1.2,
        "何": 1.3, "高": 1.0, "林": 1.4, "罗": 1.5, "郑": 1.0, "梁": 1.2, "谢": 1.3, "宋": 0.6,
        "唐": 0.7, "许": 0.7, "韩": 0.5, "冯": 0.6, "邓": 0.9, "曹": 0.5, "彭": 0.8, "曾": 1.2,
        "肖": 0.9, "田": 0.4, "董": 0.4, "袁": 0.5, "潘": 0.5, "于": 0.3, "蒋": 0.4, "蔡": 0.5,
        "余": 0.6, "杜": 0.4, "叶": 0.6, "程": 0.5, "苏": 0.4, "魏": 0.4, "吕": 0.3, "丁": 0.3,
        "任": 0.3, "沈": 0.3, "姚": 0.3, "卢": 0.4, "姜": 0.3, "崔": 0.2, "钟": 0.8, "谭": 0.4,
        "陆": 0.3, "汪": 0.4, "范": 0.3, "金": 0.3, "石": 0.3, "廖": 0.7, "贾": 0.2, "夏": 0.3,
        "韦": 0.2, "付": 0.3, "方": 0.3, "白": 0.2, "邹": 0.4, "孟": 0.2, "熊": 0.5, "秦": 0.2,
        "邱": 0.5, "江": 0.3, "尹": 0.2, "薛": 0.2, "段": 0.2, "雷": 0.3, "侯": 0.2, "龙": 0.2,
        "史": 0.2, "陶": 0.2, "黎": 0.3, "贺": 0.2, "顾": 0.2, "毛": 0.2, "郝": 0.1, "龚": 0.3,
        "邵": 0.2, "万": 0.3, "钱": 0.1, "严": 0.2, "武": 0.1, "戴": 0.2, "莫": 0.2, "孔": 0.1,
        "向": 0.1, "汤": 0.2, "赖": 0.6, "温": 0.4, "傅": 0.3, "饶": 0.2, "聂": 0.2,
        "单": 0.08, "解": 0.06, "仇": 0.06, "区": 0.08, "查": 0.04, "覃": 0.1, "乐": 0.04,
        "缪": 0.04, "翟": 0.06, "冼": 0.06, "欧阳": 0.15, "司马": 0.02, "上官": 0.02, "诸葛": 0.01,
    }
)  # fmt: skip

MALE_CHARS = (
    "伟强军勇杰涛斌明超华平刚辉鹏飞波林峰磊俊建国文志海东亮宇浩凯晨坤鑫龙兵清荣春发金祥"
    "生德光新永庆良宏毅锋博睿泽阳健忠诚胜立仁义江河山松柏云成旭昌伦彬"
)
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪慧琳洁颖萍红梅莉兰凤倩佳欣怡蓉晶露璐瑶琴云秀英丹妍雯晓"


def person_name(rng: random.Random, *, male_share: float = 0.5) -> str:
    chars = MALE_CHARS if rng.random() < male_share else FEMALE_CHARS
    given = rng.choice(chars)
    if rng.random() < 0.75:
        given += rng.choice(chars)
    return SURNAMES.pick(rng) + given


MOBILE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198",
    "199",
]  # fmt: skip
RESERVED_MOBILE_PREFIX = "1380000"  # the demo sign-in accounts live here


def mobile(rng: random.Random, taken: set[str]) -> str:
    """An 11-digit mainland mobile number not in ``taken`` (which it joins)."""
    while True:
        number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if number not in taken and not number.startswith(RESERVED_MOBILE_PREFIX):
            taken.add(number)
            return number


# --- regions -----------------------------------------------------------------------------------

# Towns and sub-districts of the two prefectures without counties.
TOWNS = {
    "441900": ["长安镇", "虎门镇", "塘厦镇", "常平镇", "厚街镇", "樟木头镇",
               "凤岗镇", "大朗镇", "寮步镇", "南城街道", "东城街道"],
    "442000": ["小榄镇", "古镇镇", "火炬开发区", "石岐街道", "东区街道", "南头镇",
               "坦洲镇", "三乡镇", "黄圃镇", "横栏镇"],
}  # fmt: skip


def _leaf_codes(code: str) -> list[str]:
    """County-level codes under a province or prefecture; 东莞 and 中山, which have no
    counties, stand for themselves, as does a county."""
    leaves: list[str] = []
    for child in children(code):
        leaves += [child.code] if child.level == 3 else _leaf_codes(child.code)
    return leaves or [code]


class RegionSampler:
    """Picks a county-level code: first an area by weight, then one of its counties evenly."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.areas = Weighted.of(weights)
        self.leaves = {area: _leaf_codes(area) for area in weights}

    def pick(self, rng: random.Random) -> str:
        return rng.choice(self.leaves[self.areas.pick(rng)])


# Where 江西 people in 广东 come from: mostly 赣州, 吉安, 上饶 and 抚州.
JIANGXI_HOMETOWNS = RegionSampler(
    {
        "360700": 34, "360800": 17, "361100": 12, "361000": 10, "360900": 8, "360400": 6,
        "360100": 4, "360300": 3, "360500": 2, "360600": 2, "360200": 2,
    }
)  # fmt: skip
# Members of 广东 associations that are not hometown chambers.
MIXED_HOMETOWNS = RegionSampler(
    {
        "440000": 55, "430000": 10, "360000": 7, "450000": 6, "420000": 6, "510000": 5,
        "350000": 5, "410000": 6,
    }
)  # fmt: skip


def jiangxi_hometown(rng: random.Random) -> str:
    """A Jiangxi county, weighted toward 赣州, 吉安, 上饶 and 抚州 as among 江西 people in 广东."""
    return JIANGXI_HOMETOWNS.pick(rng)


ROADS = [
    "建设路", "人民路", "解放路", "中山路", "东风路", "新华路", "环城路", "工业大道", "科技路",
    "创业路", "兴业路", "长安路", "迎宾大道", "滨江路", "沿江路", "花园路", "南环路", "北环路",
    "金沙路", "光明路", "幸福路", "振兴路", "永福路", "东江大道", "华南路", "广场路", "体育路",
    "文明路", "学府路", "湖滨路", "银湖路", "龙岗大道", "宝安大道", "黄埔大道", "天河路",
    "珠江路", "松山湖大道", "岐江路", "新城大道", "商业街", "高新路", "创新路", "育才路",
    "青年路",
]  # fmt: skip
BUILDINGS = ["国际大厦", "商务中心", "科技大厦", "金融中心", "创新园", "广场", "中心大厦", "产业园"]


def address(rng: random.Random, region_code: str, *, factory: bool = False) -> str:
    """A street address inside the county ``region_code`` ("深圳市南山区科技路18号A栋1203室")."""
    region = get_region(region_code)
    if region is None:
        raise ValueError(f"unknown region {region_code}")
    if region.level == 3:
        parent = get_region(region.parent_code or "")
        place = (parent.name if parent and parent.level == 2 else "") + region.name
    else:
        place = region.name + rng.choice(TOWNS.get(region_code, [""]))
    street = f"{rng.choice(ROADS)}{rng.randint(1, 899)}号"
    if factory:
        return f"{place}{street}{rng.randint(1, 12)}栋厂房"
    roll = rng.random()
    if roll < 0.45:
        return (
            f"{place}{street}{rng.choice(BUILDINGS)}{rng.randint(2, 38)}{rng.randint(1, 20):02d}室"
        )
    if roll < 0.7:
        building = rng.choice("ABCDE")
        return f"{place}{street}{building}栋{rng.randint(1, 28)}{rng.randint(1, 12):02d}室"
    return place + street


# --- credit codes ------------------------------------------------------------------------------

# GB 11714 organisation code check digit: letters count from A = 10 over the whole Latin alphabet.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_BODY_CHARS = ALPHABET  # body characters stay inside the GB 32100 alphabet


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def org_code(body8: str) -> str:
    """The 9-character organisation code: 8 characters and the GB 11714 check character."""
    check = 11 - sum(_org_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    return body8 + ("X" if check == 10 else "0" if check == 11 else str(check))


def uscc(prefix: str, region_code: str, body8: str) -> str:
    """A complete, valid code from the two-character registration type (``"91"`` company,
    ``"92"`` sole proprietor, ``"51"`` social organisation, ``"N2"`` village collective …),
    the registering authority's region and the organisation code body."""
    first17 = prefix + region_code + org_code(body8)
    return first17 + uscc_check_char(first17)


def org_body(rng: random.Random, *, new_style: str = "") -> str:
    """Eight characters: ``new_style`` ("MA", "MJ" …) then six GB 32100 characters for codes
    issued since 2015; otherwise an old eight-digit organisation code."""
    if new_style:
        return new_style + "".join(rng.choice(_BODY_CHARS) for _ in range(6))
    return rng.choice("567") + f"{rng.randrange(10**7):07d}"


# --- companies ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trade:
    """An industry word in a company name, its GB/T 4754 division and what the company does."""

    word: str
    code: str
    business: str
    weight: float
    factory: bool = False


TRADES: tuple[Trade, ...] = (
    Trade("电子科技", "39", "电子元器件的研发、生产和销售", 6, True),
    Trade("电子", "39", "电子产品及配件的生产加工", 3, True),
    Trade("光电科技", "39", "LED照明与光电显示产品的研发和生产", 2, True),
    Trade("通信技术", "39", "通信设备和网络终端的研发与销售", 1.5),
    Trade("智能科技", "65", "智能硬件与物联网解决方案", 3),
    Trade("信息技术", "65", "软件开发和信息系统集成服务", 3),
    Trade("软件", "65", "企业管理软件的研发与实施", 1.5),
    Trade("网络科技", "64", "互联网平台运营和电商服务", 2.5),
    Trade("五金制品", "33", "五金配件和金属结构件的加工制造", 4, True),
    Trade("塑胶制品", "29", "注塑件和塑胶包装制品的生产", 3, True),
    Trade("模具", "35", "精密模具的设计和制造", 2, True),
    Trade("机械设备", "34", "通用机械设备的生产和维修", 2.5, True),
    Trade("精密机械", "34", "精密零部件的数控加工", 1.5, True),
    Trade("自动化设备", "35", "工业自动化设备的研发和集成", 1.5, True),
    Trade("照明电器", "38", "照明灯具和电器产品的生产", 2, True),
    Trade("新能源科技", "38", "锂电池及储能系统的研发和生产", 2, True),
    Trade("新材料", "26", "功能性化工新材料的研发和生产", 1.2, True),
    Trade("家具", "21", "办公及家居家具的设计和制造", 2.5, True),
    Trade("服饰", "18", "服装的设计、生产和外贸出口", 2.5, True),
    Trade("鞋业", "19", "鞋类产品的生产和出口", 1.5, True),
    Trade("纺织", "17", "面料纺织和印染加工", 1, True),
    Trade("食品", "14", "休闲食品和调味品的生产与销售", 1.5, True),
    Trade("茶业", "15", "江西名优茶叶的加工与销售", 0.8),
    Trade("生态农业", "01", "果蔬种植与农产品直供", 1),
    Trade("医疗器械", "35", "医疗器械的研发、生产和销售", 1.2, True),
    Trade("生物科技", "27", "生物制剂和保健产品的研发", 1),
    Trade("包装", "22", "纸质包装和印刷品的生产", 1.2, True),
    Trade("印刷", "23", "商业印刷和包装印刷服务", 0.6, True),
    Trade("陶瓷", "30", "建筑陶瓷和日用陶瓷的生产", 0.8, True),
    Trade("玩具", "24", "塑胶玩具和礼品的生产出口", 0.6, True),
    Trade("建筑工程", "48", "市政道路和土木工程施工", 3),
    Trade("建设工程", "47", "房屋建筑工程总承包", 2.5),
    Trade("装饰工程", "50", "建筑装饰和室内装修工程", 3),
    Trade("机电安装工程", "49", "机电设备安装和消防工程", 1),
    Trade("建材", "51", "钢材、水泥等建筑材料的批发", 2),
    Trade("贸易", "51", "进出口贸易和大宗商品批发", 4),
    Trade("商贸", "51", "日用消费品的批发和分销", 3),
    Trade("供应链管理", "72", "供应链管理和进出口代理服务", 2),
    Trade("物流", "58", "仓储配送和国内货运代理", 3),
    Trade("运输", "54", "道路货物运输", 1.5),
    Trade("餐饮管理", "62", "连锁餐饮门店的经营和管理", 2.5),
    Trade("酒店管理", "61", "酒店和公寓的经营管理", 1),
    Trade("房地产开发", "70", "住宅和商业地产开发", 1),
    Trade("物业管理", "70", "住宅小区和写字楼的物业服务", 1.5),
    Trade("投资", "72", "实业投资和资产管理", 1.5),
    Trade("实业", "72", "实业投资和多元化经营", 1.5),
    Trade("融资担保", "69", "中小企业融资担保服务", 0.4),
    Trade("企业管理咨询", "72", "企业管理咨询和财税服务", 2),
    Trade("广告", "72", "广告策划和品牌推广", 1.2),
    Trade("文化传媒", "87", "影视制作和新媒体运营", 1.2),
    Trade("教育科技", "65", "在线教育平台和培训课程开发", 1),
    Trade("大药房", "52", "药品和医疗器械零售连锁", 0.8),
    Trade("环保科技", "77", "污水处理和环境治理工程", 1),
    Trade("检测技术", "74", "产品质量检测和认证服务", 0.6),
    Trade("人力资源", "72", "人力资源外包和劳务派遣", 1.2),
    Trade("汽车服务", "81", "汽车维修保养和美容服务", 1),
    Trade("汽车销售", "52", "品牌汽车销售和售后服务", 0.6),
    Trade("家政服务", "80", "家政保洁和月嫂培训服务", 0.6),
    Trade("健康管理", "84", "体检和健康管理服务", 0.6),
    Trade("旅游", "72", "国内旅游和出入境旅游服务", 0.6),
    Trade("电力工程", "44", "电力设施安装和光伏电站运维", 0.6),
)

# 字号 (trade names): two characters, one from each list.
BRAND_HEADS = (
    "华恒鑫瑞盛宏嘉德信泰隆兴达源丰凯骏祥赣洪庐章润伟博创启远海天金联新永正"
    "中明锦美众佳聚汇星宝诚富昌顺安康和立益荣豪粤南东江贡井弘卓越捷腾翔致睿迅亿万百通"
)
BRAND_TAILS = (
    "达兴盛源丰泰信华通利发隆昌成祥和安鑫创宏辉海天远德嘉美力"
    "宇晟琪扬峰航城邦业瑞诚禾润森佳腾迪威普锐"
)
COMPANY_FORMS = Weighted.of(
    {"有限公司": 88, "股份有限公司": 5, "有限责任公司": 4, "集团有限公司": 3}
)
SHOPS = (
    ("五金商行", "52"), ("便利店", "52"), ("建材经营部", "51"), ("餐馆", "62"),
    ("服装店", "52"), ("茶行", "52"), ("电器商行", "52"), ("汽车修理厂", "81"),
)  # fmt: skip


def brand(rng: random.Random) -> str:
    while True:
        head, tail = rng.choice(BRAND_HEADS), rng.choice(BRAND_TAILS)
        if head != tail:
            return head + tail


def place_prefix(rng: random.Random, region_code: str) -> str:
    """Where a company name starts: mostly its prefecture ("东莞市"), sometimes its county
    ("博罗县"), sometimes "广东"."""
    region = get_region(region_code)
    if region is None:
        raise ValueError(f"unknown region {region_code}")
    parent = get_region(region.parent_code or "") if region.level == 3 else None
    roll = rng.random()
    if roll < 0.05:
        return "广东"
    if region.level == 3 and roll < 0.12 and region.name[-1] in "县市":
        return region.name
    return (parent or region).name


# --- members -----------------------------------------------------------------------------------


@dataclass(slots=True)
class PersonRecord:
    name: str
    phone: str
    hometown_code: str
    show_phone: bool
    title: str
    is_contact: bool = False


@dataclass(slots=True)
class MemberRecord:
    kind: str  # Member.Kind value
    name: str
    uscc: str
    legal_representative: str
    industry_code: str
    region_code: str
    address: str
    hometown_code: str
    introduction: str
    status: str
    joined_on: date
    member_no: str = ""
    people: list[PersonRecord] = field(default_factory=list)


@dataclass(frozen=True)
class MemberProfile:
    """What the members of one association look like."""

    seed: str
    member_no_prefix: str
    regions: dict[str, float]
    first_join: date
    jiangxi: bool = True  # hometown chamber of 江西 people
    trade_codes: frozenset[str] = frozenset()  # empty: every trade
    trade_boost: dict[str, float] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)  # special kinds, by quota


# Special kinds of members and their default share; the rest are companies ("91").
DEFAULT_SHARES = {
    "individual": 0.03,
    "sole_proprietor": 0.02,  # 个体工商户, 92…
    "private_school": 0.003,  # 民办非企业单位, 52…
    "cooperative": 0.003,  # 农民专业合作社, 93…
    "village_collective": 0.0,  # 村级集体经济组织, N2…
}
STATUSES = Weighted.of(
    {"active": 82, "arrears": 8, "expired": 5, "withdrawn": 4.5, "expelled": 0.5}
)
LEADER_TITLES = Weighted.of(
    {
        "董事长": 30, "总经理": 28, "执行董事": 8, "董事长兼总经理": 10, "执行董事兼总经理": 8,
        "创始人": 4, "副总经理": 6, "总裁": 4, "合伙人": 2,
    }
)  # fmt: skip
CONTACT_TITLES = [
    "办公室主任", "行政经理", "总经理助理", "董事会秘书", "副总经理", "财务总监", "市场部经理",
    "综合部主管",
]  # fmt: skip
PROFESSIONS = (
    ("执业律师", "商事诉讼和企业法律顾问"), ("注册会计师", "审计和税务筹划"),
    ("高校教师", "企业管理教学与研究"), ("主治医师", "临床医疗"),
    ("自由职业者", "品牌策划和文化创意"), ("建筑设计师", "建筑和景观设计"),
)  # fmt: skip
VILLAGES = [
    "石牌", "猎德", "冼村", "棠下", "车陂", "珠村", "员村", "龙洞", "凌塘", "长湴", "新塘",
    "岑村", "东圃", "黄村",
]  # fmt: skip


class MemberGenerator:
    """Generates the members of one association. Company names, phone numbers and credit codes
    are unique within it."""

    def __init__(self, profile: MemberProfile) -> None:
        self.profile = profile
        self.rng = random.Random(profile.seed)
        self.regions = RegionSampler(profile.regions)
        trades = [t for t in TRADES if not profile.trade_codes or t.code in profile.trade_codes]
        self.trades = Weighted(
            trades, [t.weight * profile.trade_boost.get(t.code, 1.0) for t in trades]
        )
        self.names: set[str] = set()
        self.phones: set[str] = set()
        self.codes: set[str] = set()
        years = list(range(profile.first_join.year, LAST_JOIN.year + 1))
        # More members every year, as a growing chamber has.
        self.join_years = Weighted(years, [1 + i for i in range(len(years))])

    def hometown(self) -> str:
        if self.profile.jiangxi:
            return jiangxi_hometown(self.rng)
        return MIXED_HOMETOWNS.pick(self.rng)

    def joined_on(self) -> date:
        year = self.join_years.pick(self.rng)
        start = max(self.profile.first_join, date(year, 1, 1))
        end = min(LAST_JOIN, date(year, 12, 31))
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def code(self, prefix: str, region_code: str, new_style: str) -> str:
        while True:
            value = uscc(prefix, region_code, org_body(self.rng, new_style=new_style))
            if value not in self.codes:
                self.codes.add(value)
                return value

    def unique_name(self, make: Callable[[], str]) -> str:
        while True:
            name = make()
            if name not in self.names:
                self.names.add(name)
                return name

    def person(
        self, hometown: str, title: str, *, male_share: float, contact: bool
    ) -> PersonRecord:
        return PersonRecord(
            name=person_name(self.rng, male_share=male_share),
            phone=mobile(self.rng, self.phones),
            hometown_code=hometown,
            show_phone=self.rng.random() < 0.15,
            title=title,
            is_contact=contact,
        )

    def kinds(self, count: int) -> list[str]:
        shares = {**DEFAULT_SHARES, **self.profile.shares}
        kinds: list[str] = []
        for kind, share in shares.items():
            quota = round(count * share)
            if quota == 0 and share >= 0.01:  # small demo sizes still show every kind
                quota = 1
            kinds += [kind] * quota
        kinds = kinds[:count] + ["company"] * max(0, count - len(kinds))
        self.rng.shuffle(kinds)
        return kinds

    def members(self, count: int) -> list[MemberRecord]:
        """``count`` members ordered by join date and numbered "GDJX-000001" … in that order."""
        records = [self.member(kind) for kind in self.kinds(count)]
        records.sort(key=lambda r: r.joined_on)
        for number, record in enumerate(records, start=1):
            record.member_no = f"{self.profile.member_no_prefix}-{number:06d}"
        return records

    def member(self, kind: str) -> MemberRecord:
        if kind == "individual":
            return self.individual()
        region = self.regions.pick(self.rng)
        joined = self.joined_on()
        status = "active" if joined.year == LAST_JOIN.year else STATUSES.pick(self.rng)
        hometown = self.hometown()
        leader = self.person(hometown, "", male_share=0.8, contact=False)
        name, code, industry, intro, factory = self.organisation(kind, region, joined, leader)
        leader.title = self.leader_title(kind)
        people = [leader]
        if kind == "company" and self.rng.random() < 0.4:
            other = jiangxi_hometown(self.rng) if self.rng.random() < 0.6 else self.hometown()
            title = self.rng.choice(CONTACT_TITLES)
            people.append(self.person(other, title, male_share=0.45, contact=True))
        legal = leader.name if self.rng.random() < 0.85 else person_name(self.rng, male_share=0.8)
        return MemberRecord(
            kind="enterprise",
            name=name,
            uscc=code,
            legal_representative=legal,
            industry_code=industry,
            region_code=region,
            address=address(self.rng, region, factory=factory),
            hometown_code=hometown,
            introduction=intro,
            status=status,
            joined_on=joined,
            people=people,
        )

    def leader_title(self, kind: str) -> str:
        return {
            "sole_proprietor": "经营者",
            "private_school": "理事长",
            "cooperative": "理事长",
            "village_collective": "社长",
        }.get(kind) or LEADER_TITLES.pick(self.rng)

    def organisation(
        self, kind: str, region: str, joined: date, leader: PersonRecord
    ) -> tuple[str, str, str, str, bool]:
        """(name, credit code, industry division, one-sentence introduction, is a factory)."""
        rng = self.rng
        place = region_place(region)
        if kind == "sole_proprietor":
            shop, industry = rng.choice(SHOPS)
            name = self.unique_name(lambda: f"{place}{brand(rng)}{shop}")
            intro = f"{leader.name}经营的个体工商户，{joined.year}年入会。"
            return name, self.code("92", region, "MA"), industry, intro, False
        if kind == "private_school":
            name = self.unique_name(lambda: f"{place}{brand(rng)}职业培训学校")
            intro = (
                "经人力资源和社会保障部门批准设立的民办职业培训学校，开展电工、焊工和电商技能培训。"
            )
            return name, self.code("52", region, "MJ"), "83", intro, False
        if kind == "cooperative":
            crop = rng.choice(["果蔬", "脐橙", "茶叶", "水产", "花卉"])
            name = self.unique_name(lambda: f"{place}{brand(rng)}{crop}种植专业合作社")
            intro = f"由当地农户联合成立的农民专业合作社，主要种植和销售{crop}。"
            return name, self.code("93", region, "MA"), "01", intro, False
        if kind == "village_collective":
            name = self.unique_name(
                lambda: f"{place}{rng.choice(VILLAGES)}第{rng.randint(1, 99)}经济合作社"
            )
            intro = "村级集体经济组织，经营集体物业租赁和商业配套。"
            return name, self.code("N2", region, "MF"), "72", intro, False
        return self.company(region, joined)

    def company(self, region: str, joined: date) -> tuple[str, str, str, str, bool]:
        rng = self.rng
        trade = self.trades.pick(rng)
        name = self.unique_name(
            lambda: place_prefix(rng, region) + brand(rng) + trade.word + COMPANY_FORMS.pick(rng)
        )
        founded = rng.randint(max(1993, joined.year - 15), joined.year)
        code = self.code("91", region, "MA" if founded >= 2016 else "")
        staff = rng.choice([20, 30, 50, 80, 100, 150, 200, 300, 500, 1000])
        intro = rng.choice(INTRO_TEMPLATES).format(
            year=founded, business=trade.business, staff=staff, industry=industry_name(trade.code)
        )
        return name, code, trade.code, intro, trade.factory and rng.random() < 0.6

    def individual(self) -> MemberRecord:
        region = self.regions.pick(self.rng)
        hometown = self.hometown()
        person = self.person(hometown, "", male_share=0.6, contact=False)
        joined = self.joined_on()
        profession, field_ = self.rng.choice(PROFESSIONS)
        years = self.rng.choice(["五年", "八年", "十年", "十余年", "二十余年"])
        return MemberRecord(
            kind="individual",
            name=person.name,
            uscc="",
            legal_representative="",
            industry_code="",
            region_code=region,
            address="",
            hometown_code=hometown,
            introduction=f"{profession}，从事{field_}工作{years}。",
            status="active" if joined.year == LAST_JOIN.year else STATUSES.pick(self.rng),
            joined_on=joined,
            people=[person],
        )


INTRO_TEMPLATES = (
    "公司成立于{year}年，专注于{business}。",
    "成立于{year}年，主要从事{business}，现有员工{staff}余人。",
    "公司主营{business}，业务覆盖珠三角及港澳地区。",
    "{year}年创立的{industry}企业，致力于{business}。",
    "公司从事{business}，是商会会员中的骨干企业之一。",
)


def region_place(region_code: str) -> str:
    """Prefecture plus county, as at the start of a shop's name ("广州市天河区")."""
    region = get_region(region_code)
    if region is None:
        raise ValueError(f"unknown region {region_code}")
    if region.level != 3:
        return region.name
    parent = get_region(region.parent_code or "")
    return (parent.name if parent and parent.level == 2 else "") + region.name
