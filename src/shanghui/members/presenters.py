"""How a member is shown to a given viewer: personal fields are masked for everyone but the
secretariat, unless the person chose to show them. Pages and the API both use this."""

from dataclasses import dataclass

from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.core.chinese import index_letter
from shanghui.core.industries import industry_name
from shanghui.core.phone import mask_mobile
from shanghui.core.regions import region_full_name
from shanghui.members.models import Member


@dataclass(frozen=True)
class RepresentativeView:
    id: int
    kind: str
    name: str
    title: str
    phone: str
    phone_masked: bool
    has_photo: bool


@dataclass(frozen=True)
class MemberView:
    id: int
    member_no: str
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    uscc: str
    legal_representative: str
    industry: str
    region: str
    hometown: str
    address: str
    introduction: str
    level: str
    main_products: str
    website: str
    joined_on: str
    letter: str
    has_logo: bool
    representatives: list[RepresentativeView]


def member_view(member: Member, *, viewer_role: Role | None, masked: bool = False) -> MemberView:
    """``masked=True`` masks personal fields even for the secretariat: the back office shows
    them masked until a clerk reveals them, and the reveal is audit-logged."""
    sees_personal = has_perm(viewer_role, Perm.VIEW_PERSONAL_DATA) and not masked
    reps = []
    for rep in member.representatives.all():
        person = rep.person
        visible = sees_personal or person.show_phone
        reps.append(
            RepresentativeView(
                id=rep.pk,
                kind=rep.kind,
                name=person.name,
                title=rep.title,
                phone=person.phone if visible else mask_mobile(person.phone),
                phone_masked=not visible and bool(person.phone),
                has_photo=bool(person.photo),
            )
        )
    return MemberView(
        id=member.pk,
        member_no=member.member_no,
        name=member.name,
        kind=member.kind,
        kind_label=str(member.get_kind_display()),
        status=member.status,
        status_label=str(member.get_status_display()),
        uscc=member.uscc,
        legal_representative=member.legal_representative,
        industry=industry_name(member.industry_code) if member.industry_code else "",
        region=region_full_name(member.region_code),
        hometown=region_full_name(member.hometown_code),
        address=member.address,
        introduction=member.introduction,
        level=member.level.name if member.level else "",
        main_products=member.main_products,
        website=member.website,
        joined_on=member.joined_on.isoformat() if member.joined_on else "",
        letter=index_letter(member.sort_key),
        has_logo=bool(member.logo),
        representatives=reps,
    )
