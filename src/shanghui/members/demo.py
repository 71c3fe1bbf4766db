"""Demo seed: the member enterprises, individual members and their representatives of every
demo association, and the demo member account, who represents one real member enterprise."""

import io
import random
import re
from collections.abc import Callable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from shanghui.accounts.demo import demo_user
from shanghui.accounts.models import Role, User
from shanghui.accounts.services.account import current_privacy_notice
from shanghui.accounts.services.roles import role_grant
from shanghui.associations.models import Association
from shanghui.core.bulk import insert_rows, large_writes, next_ids
from shanghui.core.cache_versions import bump
from shanghui.core.demo import (
    DEMO_ASSOCIATIONS,
    GDJX,
    GDSL,
    SZDZ,
    THSH,
    ZSJX,
    DemoAssociation,
    DemoContext,
)
from shanghui.core.demo_data import (
    LAST_JOIN,
    MemberGenerator,
    MemberProfile,
    MemberRecord,
    PersonRecord,
)
from shanghui.core.pdf import FONT_REGULAR
from shanghui.core.storage.files import file_attach
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import image_normalized, picture_put
from shanghui.members.models import (
    Level,
    Member,
    MembershipApplication,
    MembershipPolicy,
    MemberStatusChange,
    Person,
    Representative,
)
from shanghui.members.search_index import search_index_pending
from shanghui.members.selectors import LEVELS_VERSION, MEMBERS_VERSION
from shanghui.members.services.members import member_search_fields, person_search_fields
from shanghui.members.services.pictures import LOGO_HOLDER

BATCH = 1000

# Where members of a province-wide body are registered: the Pearl River Delta first.
GUANGDONG_CITIES = {
    "440100": 22, "440300": 24, "441900": 14, "440600": 10, "441300": 7, "442000": 4,
    "440400": 3, "440700": 3, "441200": 2, "441800": 2, "440200": 1.5, "440500": 1.5,
    "440800": 1, "440900": 1, "441600": 1, "441400": 1, "445200": 0.5, "441700": 0.5,
    "441500": 0.5, "445100": 0.5, "445300": 0.5,
}  # fmt: skip
ELECTRONICS = frozenset({"39", "38", "40", "34", "35", "65", "64", "51", "72", "74", "29", "33"})

PROFILES: dict[str, MemberProfile] = {
    GDJX.slug: MemberProfile(
        seed="shanghui-demo:gdjx",
        member_no_prefix=GDJX.member_no_prefix,
        regions=GUANGDONG_CITIES,
        first_join=GDJX.founded_on,
    ),
    ZSJX.slug: MemberProfile(
        seed="shanghui-demo:zsjx",
        member_no_prefix=ZSJX.member_no_prefix,
        regions={"442000": 1},
        first_join=ZSJX.founded_on,
        trade_boost={"38": 3, "21": 2},  # 古镇 lighting and 中山 furniture
    ),
    SZDZ.slug: MemberProfile(
        seed="shanghui-demo:szdz",
        member_no_prefix=SZDZ.member_no_prefix,
        regions={"440300": 1},
        first_join=SZDZ.founded_on,
        jiangxi=False,
        trade_codes=ELECTRONICS,
        trade_boost={"39": 4, "65": 2, "38": 2},
        shares={"individual": 0.02, "sole_proprietor": 0.0, "cooperative": 0.0},
    ),
    THSH.slug: MemberProfile(
        seed="shanghui-demo:thsh",
        member_no_prefix=THSH.member_no_prefix,
        regions={"440106": 1},
        first_join=THSH.founded_on,
        jiangxi=False,
        trade_boost={"72": 2, "70": 2, "65": 2, "62": 2, "69": 3},
        shares={"village_collective": 0.03, "cooperative": 0.0},
    ),
    GDSL.slug: MemberProfile(
        seed="shanghui-demo:gdsl",
        member_no_prefix=GDSL.member_no_prefix,
        regions=GUANGDONG_CITIES,
        first_join=GDSL.founded_on,
        jiangxi=False,
    ),
}


def demo_members(demo: DemoAssociation, count: int) -> list[MemberRecord]:
    """The deterministic member records of a demo association, with the demo member account's
    person seated as the leader of the first active company."""
    records = MemberGenerator(PROFILES[demo.slug]).members(count)
    seat = next(r for r in records if r.status == "active" and r.uscc.startswith("91"))
    leader = seat.people[0]
    leader.name, leader.phone, leader.title = demo.member_name, demo.member_phone, "董事长"
    leader.show_phone = True
    seat.legal_representative = demo.member_name
    return records


def seed(ctx: DemoContext) -> None:
    notice = current_privacy_notice()
    for demo in DEMO_ASSOCIATIONS:
        association = ctx.associations[demo.slug]
        user = demo_user(phone=demo.member_phone, name=demo.member_name, notice=notice)
        ctx.users[demo.member_phone] = user
        records = demo_members(demo, ctx.member_count(demo))
        label = f"{demo.short_name} 会员"
        with tenant_context(association), large_writes():
            levels = _levels_and_policy(association, demo, len(records))
            level_of = _level_draw(levels, demo)
            for start in range(0, len(records), BATCH):
                _insert(association, records[start : start + BATCH], user, level_of)
                ctx.progress(label, min(start + BATCH, len(records)), len(records))
            # Bulk writes, past the services: the member lists' cached choices start again.
            bump(association.pk, MEMBERS_VERSION, LEVELS_VERSION)
            search_index_pending(association=association)
            role_grant(association=association, actor=None, user=user, kind=Role.Kind.MEMBER)
            _history(association)
            _applications(association, demo)
            _logos(association)


def _person_row(record: PersonRecord, user: User) -> dict[str, object]:
    fields = person_search_fields(record.name)  # core.chinese caches each name's pinyin
    return {
        "name": record.name,
        "phone": record.phone,
        "hometown_code": record.hometown_code,
        "show_phone": record.show_phone,
        "user_id": user.pk if record.phone == user.phone else None,
        "search_text": fields[0],
        "sort_key": fields[1],
    }


def _member_row(record: MemberRecord, level_id: int) -> dict[str, object]:
    search_text, sort_key = member_search_fields(
        record.name, record.uscc, person=record.kind == Member.Kind.INDIVIDUAL
    )
    return {
        "kind": record.kind,
        "name": record.name,
        "member_no": record.member_no,
        "uscc": record.uscc,
        "legal_representative": record.legal_representative,
        "industry_code": record.industry_code,
        "region_code": record.region_code,
        "address": record.address,
        "hometown_code": record.hometown_code,
        "introduction": record.introduction,
        "status": record.status,
        "joined_on": record.joined_on,
        "level_id": level_id,
        "search_text": search_text,
        "sort_key": sort_key,
    }


def _insert(
    association: Association,
    records: list[MemberRecord],
    user: User,
    level_of: Callable[[], int],
) -> None:
    """Members, their people and representations, written as the Excel import writes them
    (``core.bulk.insert_rows``); their search tokens follow (``search_index_pending``)."""
    member_ids = next_ids(Member, len(records))
    insert_rows(
        Member,
        [
            {"id": pk, **_member_row(r, level_of())}
            for pk, r in zip(member_ids, records, strict=True)
        ],
        association=association,
    )
    pairs = [(pk, p) for pk, r in zip(member_ids, records, strict=True) for p in r.people]
    person_ids = next_ids(Person, len(pairs))
    insert_rows(
        Person,
        [{"id": pk, **_person_row(p, user)} for pk, (_m, p) in zip(person_ids, pairs, strict=True)],
        association=association,
    )
    insert_rows(
        Representative,
        (
            {
                "member_id": member_id,
                "person_id": person_id,
                "kind": Representative.Kind.CONTACT
                if person.is_contact
                else Representative.Kind.REPRESENTATIVE,
                "title": person.title,
            }
            for person_id, (member_id, person) in zip(person_ids, pairs, strict=True)
        ),
        association=association,
    )


# The usual ladder of a chamber, with the share of members at each level.
STANDARD_LEVELS = [
    ("会长单位", 1, Decimal("50000"), 0.002),
    ("常务副会长单位", 2, Decimal("30000"), 0.01),
    ("副会长单位", 3, Decimal("10000"), 0.05),
    ("理事单位", 4, Decimal("5000"), 0.15),
    ("会员单位", 5, Decimal("1000"), 1.0),
]


def _levels_and_policy(association: Association, demo: DemoAssociation, count: int) -> list[Level]:
    levels = Level.objects.bulk_create(
        Level(association=association, name=name, rank=rank, annual_fee=fee)
        for name, rank, fee, _share in STANDARD_LEVELS
    )
    MembershipPolicy.objects.create(
        association=association,
        member_no_pattern=f"{demo.member_no_prefix}-{{number:06d}}",
        next_number=count + 1,
        required_referrers=1 if demo.slug == GDJX.slug else 0,
        referrer_min_level=levels[3] if demo.slug == GDJX.slug else None,
    )
    return levels


def _level_draw(levels: list[Level], demo: DemoAssociation) -> Callable[[], int]:
    """Each call the level of the next member, in the order they are created: the usual
    ladder's shares, drawn from a seeded generator so that the demo is the same every time."""
    rng = random.Random(f"shanghui-demo:levels:{demo.slug}")

    def draw() -> int:
        value = rng.random()
        return next(
            level.pk
            for level, (*_rest, share) in zip(levels, STANDARD_LEVELS, strict=True)
            if value < share
        )

    return draw


LOGO_COUNT = 24
LOGO_COLOURS = ("#c0392b", "#1f6fb2", "#1e8449", "#b9770e", "#6c3483", "#117a65", "#a04000")
# A company's distinctive words follow the place it is registered in: 赣州稀土集团 → 稀土.
_PLACE_END = re.compile(r"^.{1,6}?[省市区县]")


def _logos(association: Association) -> None:
    """Logos for the enterprises of the two highest levels, as the demo's directory and cards
    would show them: the company's two distinctive characters on a coloured square, drawn with
    the embedded CJK font and stored through the same check and re-encoding as an upload."""
    font = ImageFont.truetype(str(FONT_REGULAR), 220)
    leaders = Member.objects.filter(
        association=association, kind=Member.Kind.ENTERPRISE, level__rank__lte=2
    ).order_by("member_no")[:LOGO_COUNT]
    for index, member in enumerate(leaders):
        words = _PLACE_END.sub("", member.name)[:2] or member.name[:2]
        picture = Image.new("RGB", (600, 600), LOGO_COLOURS[index % len(LOGO_COLOURS)])
        draw = ImageDraw.Draw(picture)
        draw.text((300, 300), words, font=font, fill="white", anchor="mm")
        out = io.BytesIO()
        picture.save(out, format="PNG")
        logo = image_normalized(SimpleUploadedFile("logo.png", out.getvalue()), field="logo")
        file_attach(member, "logo", picture_put(association, logo, holder=LOGO_HOLDER))


def _history(association: Association) -> None:
    """Every demo member joined once; the ones no longer active got there in one later step."""
    rows: list[dict[str, object]] = []
    for member_id, status, joined_on in Member.objects.filter(association=association).values_list(
        "id", "status", "joined_on"
    ):
        rows.append(
            {
                "member_id": member_id,
                "from_status": "",
                "to_status": Member.Status.ACTIVE,
                "reason": "入会",
                "effective_on": joined_on or LAST_JOIN,
            }
        )
        if status != Member.Status.ACTIVE:
            rows.append(
                {
                    "member_id": member_id,
                    "from_status": Member.Status.ACTIVE,
                    "to_status": status,
                    "reason": HISTORY_REASONS.get(status, ""),
                    "effective_on": max(joined_on or LAST_JOIN, LAST_JOIN.replace(month=1, day=1)),
                }
            )
    insert_rows(MemberStatusChange, rows, association=association)


HISTORY_REASONS: dict[str, str] = {
    Member.Status.IN_ARREARS: "会费逾期未缴",
    Member.Status.EXPIRED: "会籍到期未续",
    Member.Status.WITHDRAWN: "企业申请退会",
    Member.Status.EXPELLED: "违反章程，理事会决议除名",
}


def _applications(association: Association, demo: DemoAssociation) -> None:
    rng = random.Random(f"shanghui-demo:applications:{demo.slug}")
    names = [
        "赣州市南康家具制造有限公司",
        "吉安市井冈山红色文化旅游有限公司",
        "九江市庐山云雾茶业有限公司",
        "景德镇市陶瓷艺术品有限公司",
        "上饶市婺源乡村民宿有限公司",
    ]
    applicants = ["曾伟", "单丽", "解军", "仇敏", "区强"]
    MembershipApplication.objects.bulk_create(
        MembershipApplication(
            association=association,
            kind=Member.Kind.ENTERPRISE,
            name=f"{name[:-4]}{demo.short_name[:2]}分公司",
            applicant_name=applicant,
            applicant_phone=f"186{rng.randrange(10**8):08d}",
            applicant_title="总经理",
            introduction="希望加入商会，与乡友企业交流合作。",
        )
        for name, applicant in zip(names, applicants, strict=True)
    )
