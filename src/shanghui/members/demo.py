"""Demo seed: the member enterprises, individual members and their representatives of every
demo association, and the demo member account, who represents one real member enterprise."""

from shanghui.accounts.models import Role, User
from shanghui.accounts.services import current_privacy_notice, role_grant
from shanghui.associations.demo import demo_user
from shanghui.associations.models import Association
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
from shanghui.core.demo_data import MemberGenerator, MemberProfile, MemberRecord, PersonRecord
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, Person, Representative
from shanghui.members.services import fill_member_search_fields, fill_person_search_fields

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
        with tenant_context(association):
            for start in range(0, len(records), BATCH):
                _insert(association, records[start : start + BATCH], user)
                ctx.progress(label, min(start + BATCH, len(records)), len(records))
            role_grant(association=association, actor=None, user=user, kind=Role.Kind.MEMBER)


_person_fields: dict[str, tuple[str, str]] = {}


def _person(association: Association, record: PersonRecord, user: User) -> Person:
    person = Person(
        association=association,
        name=record.name,
        phone=record.phone,
        hometown_code=record.hometown_code,
        show_phone=record.show_phone,
        user=user if record.phone == user.phone else None,
    )
    # Names repeat (王伟 …), and pinyin is the slow part: derive each name's fields once.
    cached = _person_fields.get(record.name)
    if cached is None:
        fill_person_search_fields(person)
        _person_fields[record.name] = (person.search_text, person.sort_key)
    else:
        person.search_text, person.sort_key = cached
    return person


def _member(association: Association, record: MemberRecord) -> Member:
    member = Member(
        association=association,
        kind=record.kind,
        name=record.name,
        member_no=record.member_no,
        uscc=record.uscc,
        legal_representative=record.legal_representative,
        industry_code=record.industry_code,
        region_code=record.region_code,
        address=record.address,
        hometown_code=record.hometown_code,
        introduction=record.introduction,
        status=record.status,
        joined_on=record.joined_on,
    )
    fill_member_search_fields(member)
    return member


def _insert(association: Association, records: list[MemberRecord], user: User) -> None:
    members = Member.objects.bulk_create([_member(association, r) for r in records])
    pairs = [(m, p) for m, r in zip(members, records, strict=True) for p in r.people]
    persons = Person.objects.bulk_create([_person(association, p, user) for _m, p in pairs])
    Representative.objects.bulk_create(
        Representative(
            association=association,
            member=member,
            person=person,
            kind=Representative.Kind.CONTACT
            if record.is_contact
            else Representative.Kind.REPRESENTATIVE,
            title=record.title,
        )
        for (member, record), person in zip(pairs, persons, strict=True)
    )
