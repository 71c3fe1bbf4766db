"""How a member is shown to a given viewer. Whether personal fields are unmasked is decided by
the caller with the one rule, ``accounts.permissions.personal_data_unmasked``; a phone its
owner chose to show to members, and the viewer's own, are shown in any case. Pages and the API
both use this."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from shanghui.accounts.models import Role
from shanghui.core.chinese import index_letter
from shanghui.core.http import RowUrl
from shanghui.core.industries import industry_display_name
from shanghui.core.phone import mask_mobile
from shanghui.core.regions import region_display_name
from shanghui.core.uploads import picture_version
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
    photo_version: str  # for ?v= in the photo's URL (core.uploads.picture_response)


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
    logo_version: str  # for ?v= in the logo's URL (core.uploads.picture_response)
    representatives: list[RepresentativeView]


@dataclass(frozen=True)
class Labels:
    """The display labels of the members' kinds and statuses in the active language, worked
    out once per page: ``get_<field>_display`` rebuilds the choices with their lazy labels on
    every call (~200 translations for a page of 20 members)."""

    kinds: dict[str, str]
    statuses: dict[str, str]


def page_labels() -> Labels:
    return Labels(
        kinds={value: str(label) for value, label in Member.Kind.choices},
        statuses={value: str(label) for value, label in Member.Status.choices},
    )


@dataclass(frozen=True)
class RepresentativeRow:
    """What a list shows of one representative or contact: read as plain values for a whole
    page at once (``selectors.page_representatives``)."""

    id: int
    kind: str
    title: str
    name: str
    phone: str
    show_phone: bool
    user_id: int | None
    photo_id: int | None


def member_views(
    members: Iterable[Member],
    *,
    viewer_role: Role | None,
    unmasked: bool,
    representatives: dict[int, list[RepresentativeRow]] | None = None,
) -> list[MemberView]:
    """``member_view`` of each of a page of members, with the labels looked up once and, when
    given, the page's representatives read as values (``selectors.page_representatives``)
    rather than as prefetched models."""
    found = page_labels()
    return [
        member_view(
            m,
            viewer_role=viewer_role,
            unmasked=unmasked,
            labels=found,
            representatives=None if representatives is None else representatives.get(m.pk, []),
        )
        for m in members
    ]


def _representative_view(
    row: RepresentativeRow, *, viewer_id: int | None, unmasked: bool
) -> RepresentativeView:
    visible = unmasked or row.show_phone or (viewer_id is not None and row.user_id == viewer_id)
    return RepresentativeView(
        id=row.id,
        kind=row.kind,
        name=row.name,
        title=row.title,
        phone=row.phone if visible else mask_mobile(row.phone),
        phone_masked=not visible and bool(row.phone),
        has_photo=row.photo_id is not None,
        photo_version=picture_version(row.photo_id),
    )


def member_view(
    member: Member,
    *,
    viewer_role: Role | None,
    unmasked: bool,
    labels: Labels | None = None,
    representatives: list[RepresentativeRow] | None = None,
) -> MemberView:
    """``unmasked``: the caller's ``personal_data_unmasked(role, …)`` — and when it is true
    for the secretariat, the caller has audited the read (``core.privacy``). ``labels`` and
    ``representatives``: the page's, when it presents several members (``member_views``);
    otherwise the member's prefetched representatives (``selectors.with_representatives``)."""
    viewer_id = viewer_role.user_id if viewer_role else None
    if representatives is None:
        representatives = [
            RepresentativeRow(
                id=rep.pk,
                kind=rep.kind,
                title=rep.title,
                name=rep.person.name,
                phone=rep.person.phone,
                show_phone=rep.person.show_phone,
                user_id=rep.person.user_id,
                photo_id=rep.person.photo_id,
            )
            for rep in member.representatives.all()
        ]
    reps = [
        _representative_view(row, viewer_id=viewer_id, unmasked=unmasked) for row in representatives
    ]
    if labels is None:
        kind_label, status_label = member.get_kind_display(), member.get_status_display()
    else:
        kind_label = labels.kinds.get(member.kind, member.kind)
        status_label = labels.statuses.get(member.status, member.status)
    return MemberView(
        id=member.pk,
        member_no=member.member_no,
        name=member.name,
        kind=member.kind,
        kind_label=str(kind_label),
        status=member.status,
        status_label=str(status_label),
        uscc=member.uscc,
        legal_representative=member.legal_representative,
        industry=industry_display_name(member.industry_code) if member.industry_code else "",
        region=region_display_name(member.region_code),
        hometown=region_display_name(member.hometown_code),
        address=member.address,
        introduction=member.introduction,
        level=member.level.name if member.level else "",
        main_products=member.main_products,
        website=member.website,
        joined_on=member.joined_on.isoformat() if member.joined_on else "",
        letter=index_letter(member.sort_key),
        has_logo=member.logo_id is not None,
        logo_version=picture_version(member.logo_id),
        representatives=reps,
    )


# The badge of each status in the back office's lists (``badge--<tone>``).
STATUS_TONES: dict[str, str] = {
    Member.Status.ACTIVE: "success",
    Member.Status.IN_ARREARS: "warning",
    Member.Status.APPLYING: "info",
    Member.Status.EXPELLED: "danger",
}


class OfficeRow(TypedDict):
    """One row of the back office's member list, worked out for its cells: the template
    engine costs a few microseconds per variable and per ``{% if %}``, and 50 rows of the full
    ``MemberView`` with the badge chosen in the template were a fifth of the page's time. A
    dict, not a dataclass: the engine tries ``row[name]`` before ``getattr`` for every
    variable, and the failed subscript of an object costs more than the lookup (50 rows:
    1.5 ms against 2.1). Only for that page's markup; the API keeps ``MemberView``."""

    href: str
    member_no: str
    name: str
    individual_label: str  # the kind's badge, only for individual members
    tone: str
    status_label: str
    industry: str  # "—" when none
    hometown: str  # "—" when none
    rep_name: str
    rep_phone: str
    has_rep: bool


# The member fields ``office_rows`` reads: the list loads no more (``member_page_source``).
OFFICE_ROW_FIELDS = ("id", "member_no", "name", "kind", "status", "industry_code", "hometown_code")


def office_rows(
    members: Iterable[Member],
    *,
    viewer_role: Role | None,
    unmasked: bool,
    representatives: dict[int, list[RepresentativeRow]],
    member_url: RowUrl,
) -> list[OfficeRow]:
    """The back office's rows of a page of members: what ``member_views`` shows of them in
    that list (the first representative, masked by the same rule), and nothing else."""
    labels = page_labels()
    viewer_id = viewer_role.user_id if viewer_role else None
    rows = []
    for m in members:
        first = representatives.get(m.pk)
        rep = (
            _representative_view(first[0], viewer_id=viewer_id, unmasked=unmasked)
            if first
            else None
        )
        rows.append(
            OfficeRow(
                href=f"{member_url.head}{m.pk}{member_url.tail}",
                member_no=m.member_no,
                name=m.name,
                individual_label=labels.kinds.get(m.kind, m.kind)
                if m.kind == Member.Kind.INDIVIDUAL
                else "",
                tone=STATUS_TONES.get(m.status, "muted"),
                status_label=labels.statuses.get(m.status, m.status),
                industry=(industry_display_name(m.industry_code) if m.industry_code else "") or "—",
                hometown=region_display_name(m.hometown_code) or "—",
                rep_name=rep.name if rep else "",
                rep_phone=rep.phone if rep else "",
                has_rep=rep is not None,
            )
        )
    return rows


class DirectoryRow(TypedDict):
    """One contact of the member directory, worked out for its markup (as ``OfficeRow``, a
    dict):
    the card's address, the logo's thumbnail or the name's first character, the first
    representative and the line under the name. Only for that page; the API keeps
    ``MemberView``."""

    href: str
    letter: str  # the A–Z group (``regroup``) and the "load more" link's ``after``
    logo_src: str  # "" without a logo: the avatar shows ``initial``
    initial: str
    name: str
    rep_name: str
    rep_title: str
    has_rep: bool
    sub: str  # "industry · hometown", either alone, or ""


# The member fields ``directory_rows`` reads, and ``sort_key`` the "load more" cursor holds.
DIRECTORY_ROW_FIELDS = ("id", "name", "sort_key", "logo_id", "industry_code", "hometown_code")


def directory_rows(
    members: Iterable[Member],
    *,
    representatives: dict[int, list[RepresentativeRow]],
    card_url: RowUrl,
    logo_url: RowUrl,
) -> list[DirectoryRow]:
    """The directory's rows of a page of members. It shows no phone number, so nothing here
    is masked; the representative is the first of ``representatives`` as on the card."""
    rows = []
    for m in members:
        first = representatives.get(m.pk)
        rep = first[0] if first else None
        logo = m.logo_id
        industry = industry_display_name(m.industry_code) if m.industry_code else ""
        hometown = region_display_name(m.hometown_code)
        rows.append(
            DirectoryRow(
                href=f"{card_url.head}{m.pk}{card_url.tail}",
                letter=index_letter(m.sort_key),
                logo_src=(
                    f"{logo_url.head}{m.pk}{logo_url.tail}?size=thumb&v={picture_version(logo)}"
                    if logo is not None
                    else ""
                ),
                initial=m.name[:1],
                name=m.name,
                rep_name=rep.name if rep else "",
                rep_title=rep.title if rep else "",
                has_rep=rep is not None,
                sub=" · ".join(part for part in (industry, hometown) if part),
            )
        )
    return rows
