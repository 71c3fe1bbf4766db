"""Demo seed: specialised committees and group-member units; every association's usual posts;
and for the provincial chamber its organisation — the current 第六届理事会 with its posts
filled from the members' representatives, the past 第五届, committee members, branches, a
published organisation chart. Its group members include 中山市江西商会, linked to its own
tenant on the platform, which consents to share its member count with the provincial chamber
(but not with the federation)."""

import random
from collections.abc import Iterator
from datetime import date, timedelta

from shanghui.associations.models import Association
from shanghui.core.cache_versions import bump
from shanghui.core.demo import GDJX, GDSL, SZDZ, THSH, ZSJX, DemoContext
from shanghui.core.demo_data import org_body, uscc
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, Representative
from shanghui.members.selectors import COMMITTEES_VERSION
from shanghui.org.models import (
    Appointment,
    Branch,
    Committee,
    CommitteeMembership,
    FigureSharingConsent,
    GroupMember,
    OrgSettings,
    Post,
    Term,
)
from shanghui.org.services.posts import DEFAULT_POSTS

COMMITTEES: dict[str, list[tuple[str, str]]] = {
    GDJX.slug: [
        (
            "青年企业家委员会",
            "凝聚45岁以下的赣籍青年企业家，开展创业交流、导师结对和青年人才培养。",
        ),
        ("女企业家委员会", "服务女性会员，组织巾帼创业沙龙、家庭教育讲座和公益关爱活动。"),
        ("金融委员会", "联络银行、证券和投资机构，为会员企业提供融资对接和金融知识培训。"),
        ("法律服务委员会", "由执业律师会员组成，为会员提供法律咨询、合同审查和纠纷调解。"),
        ("房地产委员会", "服务房地产开发、物业和中介企业，开展政策解读与项目合作。"),
        ("电子信息委员会", "联系电子制造和软件企业，推动产业链配套和技术合作。"),
        ("新能源委员会", "聚焦锂电、光伏和储能产业，组织赣粤新能源产业对接。"),
        ("医疗健康委员会", "服务医药、医疗器械和健康管理企业，组织义诊和健康讲座。"),
        ("文化旅游委员会", "推介江西红色旅游和赣南文化，开展文旅项目合作。"),
        ("教育培训委员会", "联络教育机构和职业院校，开展校企合作和赣籍子女升学服务。"),
        ("现代农业委员会", "推动赣南脐橙、井冈蜜柚等江西农产品进入粤港澳大湾区市场。"),
        ("商贸物流委员会", "服务贸易、供应链和物流企业，搭建赣粤物流通道合作平台。"),
        ("建筑工程委员会", "服务建筑施工、装饰和工程设计企业，开展资质政策和安全生产培训。"),
        ("餐饮酒店委员会", "联系赣菜餐饮和酒店企业，举办赣菜美食节和行业交流。"),
        ("智能制造委员会", "推动会员企业数字化转型，组织智能工厂参观和技术对接。"),
        ("公益慈善委员会", "统筹商会扶贫助学、助老助残和应急救灾等公益慈善项目。"),
    ],
    ZSJX.slug: [
        ("青年企业家委员会", "组织中山赣籍青年企业家交流学习。"),
        ("女企业家委员会", "服务女性会员，开展巾帼创业交流。"),
        ("公益慈善委员会", "组织助学和救灾等公益活动。"),
    ],
    SZDZ.slug: [
        ("半导体专业委员会", "服务集成电路设计、封测和设备材料企业。"),
        ("智能终端专业委员会", "服务手机、可穿戴设备和智能家居企业。"),
        ("软件与信息服务专业委员会", "服务软件开发、云计算和数据服务企业。"),
        ("人才发展委员会", "开展工程师培训、职称评审和校企合作。"),
    ],
    THSH.slug: [
        ("楼宇经济委员会", "联系辖区商业楼宇和物业企业，服务楼宇招商。"),
        ("金融服务委员会", "对接金融机构，服务辖区中小企业融资。"),
        ("青年企业家委员会", "组织辖区青年企业家交流学习。"),
    ],
    GDSL.slug: [
        ("异地商会工作委员会", "协调省内各异地商会的交流与合作。"),
        ("商会建设指导委员会", "推动会员商会规范化建设和党建工作。"),
    ],
}

# (name, region, slug of the platform association it is, or "").
GROUP_MEMBERS: dict[str, list[tuple[str, str, str]]] = {
    GDJX.slug: [
        ("广州市江西商会", "440100", ""),
        ("深圳市江西商会", "440300", ""),
        ("东莞市江西商会", "441900", ""),
        ("佛山市江西商会", "440600", ""),
        ("中山市江西商会", "442000", ZSJX.slug),
        ("珠海市江西商会", "440400", ""),
        ("惠州市江西商会", "441300", ""),
        ("江门市江西商会", "440700", ""),
        ("汕头市江西商会", "440500", ""),
        ("湛江市江西商会", "440800", ""),
        ("肇庆市江西商会", "441200", ""),
        ("清远市江西商会", "441800", ""),
        ("韶关市江西商会", "440200", ""),
        ("河源市江西商会", "441600", ""),
        ("茂名市江西商会", "440900", ""),
        ("梅州市江西商会", "441400", ""),
        ("揭阳市江西商会", "445200", ""),
        ("阳江市江西商会", "441700", ""),
        ("深圳市宝安区江西商会", "440306", ""),
        ("深圳市龙岗区江西商会", "440307", ""),
        ("广州市白云区江西商会", "440111", ""),
        ("佛山市南海区江西商会", "440605", ""),
        ("惠州市惠阳区江西商会", "441303", ""),
        ("广州市赣州商会", "440100", ""),
        ("深圳市赣州商会", "440300", ""),
        ("东莞市赣州商会", "441900", ""),
        ("广东省吉安商会", "440000", ""),
        ("深圳市吉安商会", "440300", ""),
        ("广东省上饶商会", "440000", ""),
        ("深圳市抚州商会", "440300", ""),
        ("东莞市于都商会", "441900", ""),
        ("深圳市宜春商会", "440300", ""),
        ("佛山市南康商会", "440600", ""),
        ("广州市九江商会", "440100", ""),
        ("深圳市瑞金商会", "440300", ""),
    ],
    GDSL.slug: [
        ("广东省江西商会", "440000", GDJX.slug),
        ("中山市江西商会", "442000", ZSJX.slug),
        ("广州市天河区商会", "440106", THSH.slug),
        ("广东省湖南商会", "440000", ""),
        ("广东省湖北商会", "440000", ""),
        ("广东省福建商会", "440000", ""),
        ("广东省四川商会", "440000", ""),
        ("广东省广西商会", "440000", ""),
        ("广东省河南商会", "440000", ""),
        ("广州市越秀区商会", "440104", ""),
        ("深圳市福田区商会", "440304", ""),
        ("佛山市顺德区商会", "440606", ""),
    ],
}


def seed(ctx: DemoContext) -> None:
    for slug, association in ctx.associations.items():
        rng = random.Random(f"shanghui-demo:org:{slug}")
        committees = [
            Committee(association=association, name=name, description=text, sort_order=i)
            for i, (name, text) in enumerate(COMMITTEES.get(slug, []), start=1)
        ]
        groups = []
        for name, region, linked_slug in GROUP_MEMBERS.get(slug, []):
            linked = ctx.associations.get(linked_slug) if linked_slug else None
            code = linked.uscc if linked else uscc("51", region, org_body(rng, new_style="MJ"))
            start = max(
                date(2008, 1, 1),
                association.founded_on or date.min,
                linked.founded_on if linked and linked.founded_on else date.min,
            )
            joined = start + timedelta(days=rng.randrange((date(2026, 6, 30) - start).days))
            groups.append(
                GroupMember(
                    association=association,
                    name=name,
                    linked_association=linked,
                    uscc=code,
                    region_code=region,
                    joined_on=joined,
                )
            )
        with tenant_context(association):
            Committee.objects.bulk_create(committees)
            bump(association.pk, COMMITTEES_VERSION)
            GroupMember.objects.bulk_create(groups)
            Post.objects.bulk_create(
                Post(
                    association=association,
                    name=name,
                    sort_order=10 * i,
                    is_council=council,
                    is_secretariat=secretariat,
                )
                for i, (name, council, secretariat) in enumerate(DEFAULT_POSTS, start=1)
            )
    provincial = ctx.associations[GDJX.slug]
    with tenant_context(provincial):
        _seed_structure(provincial)
    with tenant_context(ctx.associations[ZSJX.slug]):
        FigureSharingConsent.objects.create(
            association=ctx.associations[ZSJX.slug],
            parent=provincial,
            shares_figures_with_parent=True,
        )


# The provincial chamber's terms: (number, name, first day, last day).
PAST_TERM = (5, "第五届理事会", date(2017, 12, 9), date(2022, 12, 9))
CURRENT_TERM = (6, "第六届理事会", date(2022, 12, 10), date(2027, 12, 9))
# Holders per post: the current term, then the past one.
CURRENT_SEATS = {
    "名誉会长": 2, "会长": 1, "执行会长": 1, "常务副会长": 8, "副会长": 30, "秘书长": 1,
    "常务副秘书长": 1, "副秘书长": 2, "理事": 120, "监事长": 1, "监事": 3, "顾问": 3,
}  # fmt: skip
PAST_SEATS = {
    "会长": 1, "常务副会长": 6, "副会长": 24, "秘书长": 1, "副秘书长": 2, "理事": 90,
    "监事长": 1, "监事": 3,
}  # fmt: skip
BRANCHES = [("深圳分会", "440300"), ("东莞分会", "441900"), ("佛山分会", "440600"),
            ("惠州分会", "441300")]  # fmt: skip
POOL = 700


def _representatives(association: Association) -> list[tuple[int, int]]:
    """(person id, member id) of the representatives of active member enterprises, in a
    deterministic order — the people a chamber appoints."""
    return list(
        Representative.objects.filter(
            association=association,
            kind=Representative.Kind.REPRESENTATIVE,
            member__status=Member.Status.ACTIVE,
            member__kind=Member.Kind.ENTERPRISE,
        )
        .order_by("member_id", "id")
        .values_list("person_id", "member_id")[:POOL]
    )


def _seats(
    pool: list[tuple[int, int]], seats: dict[str, int], first: tuple[int, int] | None = None
) -> Iterator[tuple[str, int, int]]:
    """(post name, person id, member id), each person once, until posts or people run out.
    ``first`` takes the first 常务副会长 seat (the demo member account)."""
    people = iter(pool)
    for post, count in seats.items():
        for i in range(count):
            if post == "常务副会长" and i == 0 and first is not None:
                yield post, *first
                continue
            nxt = next(people, None)
            if nxt is None:
                return
            yield post, *nxt


def _seed_structure(association: Association) -> None:
    rng = random.Random("shanghui-demo:org:structure")
    posts = {p.name: p for p in Post.objects.filter(association=association)}
    pool = _representatives(association)
    # The demo member account's person sits as a 常务副会长, so signing in shows them there.
    demo_seat = (
        Representative.objects.filter(association=association, person__phone=GDJX.member_phone)
        .values_list("person_id", "member_id")
        .first()
    )
    pool = [seat for seat in pool if seat != demo_seat]
    rng.shuffle(pool)

    terms = {}
    for (number, name, starts_on, ends_on), current in ((PAST_TERM, False), (CURRENT_TERM, True)):
        terms[number] = Term.objects.create(
            association=association,
            name=name,
            number=number,
            starts_on=starts_on,
            ends_on=ends_on,
            is_current=current,
        )
    current_seats = list(_seats(pool, CURRENT_SEATS, demo_seat))
    # The past term: about half of today's office holders served then too.
    past_pool = pool[: len(current_seats) // 2] + pool[len(current_seats) :]
    rng.shuffle(past_pool)
    past_seats = list(_seats(past_pool, PAST_SEATS))
    Appointment.objects.bulk_create(
        [
            Appointment(
                association=association,
                term=terms[CURRENT_TERM[0]],
                post=posts[post],
                person_id=person_id,
                member_id=member_id,
                starts_on=CURRENT_TERM[2],
            )
            for post, person_id, member_id in current_seats
        ]
        + [
            Appointment(
                association=association,
                term=terms[PAST_TERM[0]],
                post=posts[post],
                person_id=person_id,
                member_id=member_id,
                starts_on=PAST_TERM[2],
                ends_on=PAST_TERM[3],
            )
            for post, person_id, member_id in past_seats
        ]
    )
    _seed_committees(association, pool, rng)
    Branch.objects.bulk_create(
        Branch(association=association, name=name, region_code=region, leader_id=leader)
        for (name, region), (leader, _member) in zip(BRANCHES, pool[-len(BRANCHES) :], strict=False)
    )
    OrgSettings.objects.create(association=association, publish_chart=True)


def _seed_committees(
    association: Association, pool: list[tuple[int, int]], rng: random.Random
) -> None:
    memberships = []
    for committee in Committee.objects.filter(association=association).order_by("sort_order"):
        size = min(len(pool), rng.randint(12, 20))
        people = rng.sample(pool, size)
        for i, (person_id, _member_id) in enumerate(people):
            role = (
                CommitteeMembership.Role.CHAIR
                if i == 0
                else CommitteeMembership.Role.VICE_CHAIR
                if i <= 3
                else CommitteeMembership.Role.MEMBER
            )
            memberships.append(
                CommitteeMembership(
                    association=association, committee=committee, person_id=person_id, role=role
                )
            )
    CommitteeMembership.objects.bulk_create(memberships)
