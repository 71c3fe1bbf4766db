"""Changing members: creating and editing them and their lifecycle (levels and the membership
policy are in ``policy``). The search fields are derived here, in one place, for every way a
member or person is written (forms, API, import, seed); their search tokens are written by
``search_index``."""

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.chinese import search_key, sort_key
from shanghui.core.contributions import member_changed
from shanghui.core.industries import is_valid_industry
from shanghui.core.phone import normalize_mobile
from shanghui.core.regions import is_valid_region
from shanghui.core.uscc import validate_uscc
from shanghui.members.models import Level, Member, MemberStatusChange, Person, Representative
from shanghui.members.search_index import member_tokens_save, person_tokens_save
from shanghui.members.selectors import MEMBERS_VERSION
from shanghui.members.services.policy import member_no_next


def member_search_fields(name: str, uscc: str, *, person: bool = False) -> tuple[str, str]:
    """(``search_text``, ``sort_key``) of a member: the name in characters, pinyin and
    initials, plus the credit code; the pinyin for ordering. ``person``: an individual
    member, whose name is a person's (单 shan, 曾 zeng …)."""
    text = f"{search_key(name, person=person)} {uscc.lower()}".strip()[:400]
    return text, sort_key(name, person=person)


def person_search_fields(name: str) -> tuple[str, str]:
    """(``search_text``, ``sort_key``) of a person, the surname read as a surname."""
    return search_key(name, person=True)[:200], sort_key(name, person=True)


def fill_member_search_fields(member: Member) -> None:
    member.search_text, member.sort_key = member_search_fields(
        member.name, member.uscc, person=member.kind == Member.Kind.INDIVIDUAL
    )


def fill_person_search_fields(person: Person) -> None:
    person.search_text, person.sort_key = person_search_fields(person.name)


@dataclass(frozen=True)
class RepresentativeInput:
    name: str
    phone: str = ""
    title: str = ""
    email: str = ""


@dataclass(frozen=True)
class MemberInput:
    kind: str
    name: str
    uscc: str = ""
    legal_representative: str = ""
    industry_code: str = ""
    region_code: str = ""
    address: str = ""
    hometown_code: str = ""
    introduction: str = ""
    main_products: str = ""
    website: str = ""
    size: str = ""
    level_id: int | None = None
    joined_on: date | None = None
    member_no: str = ""
    representatives: list[RepresentativeInput] = field(default_factory=list)


MEMBER_KINDS = frozenset(Member.Kind.values)


@cache
def _max_length(model: type[models.Model], field_name: str) -> int | None:
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None
    return getattr(field, "max_length", None)


def _uscc_taken(
    association: Association, uscc: str, member: Member | None, known: Collection[str] | None
) -> str:
    """Why ``uscc`` cannot be this member's, or "" when it can."""
    if known is not None:
        return str(_("该统一社会信用代码已是本会会员")) if uscc in known else ""
    taken = Member.objects.filter(association=association, uscc=uscc)
    if member is not None:
        taken = taken.exclude(pk=member.pk)
    holder = taken.only("name", "status").first()
    if holder is None:
        return ""
    if holder.status in (Member.Status.WITHDRAWN, Member.Status.EXPELLED):
        return str(
            _("该统一社会信用代码属于已%(status)s的“%(name)s”：请在会员列表中找到它并恢复会籍")
            % {"status": holder.get_status_display(), "name": holder.name}
        )
    return str(_("该统一社会信用代码已是本会会员"))


def individual_members_by_phone(
    *, association: Association, phones: Collection[str]
) -> dict[str, tuple[int, str, str, str, str]]:
    """The association's individual members whose person has one of ``phones`` (the phone is
    the person's key): ``phone → (member id, member name, member number, status, the person's
    name)``, the oldest member when there are several. One query."""
    found: dict[str, tuple[int, str, str, str, str]] = {}
    if not phones:
        return found
    rows = (
        Representative.objects.filter(
            association=association,
            person__phone__in=list(phones),
            member__kind=Member.Kind.INDIVIDUAL,
        )
        .order_by("member_id")
        .values_list(
            "person__phone",
            "member_id",
            "member__name",
            "member__member_no",
            "member__status",
            "person__name",
        )
    )
    for phone, *holder in rows:
        found.setdefault(phone, tuple(holder))  # type: ignore[arg-type]
    return found


def _individual_taken(
    holder: tuple[int, str, str, str, str],
) -> ValidationError:
    """The refusal of a second individual member for a person who already is one, naming
    the member (``params["member_id"]`` lets a page link to it)."""
    member_id, name, member_no, status, _person = holder
    if status in (Member.Status.WITHDRAWN, Member.Status.EXPELLED):
        message = _(
            "此人已是本会个人会员“%(name)s”（会员编号 %(member_no)s，已%(status)s）："
            "请在会员列表中找到它并恢复会籍，不要重复添加"
        )
    else:
        message = _("此人已是本会个人会员“%(name)s”（会员编号 %(member_no)s），不能重复添加")
    return ValidationError(
        message,
        code="individual_member_exists",
        params={
            "name": name,
            "member_no": member_no,
            "status": Member.Status(status).label,
            "member_id": member_id,
        },
    )


def representative_errors(rep: RepresentativeInput) -> dict[str, str]:
    """What is wrong with one representative's details, by field (empty when nothing is)."""
    errors: dict[str, str] = {}
    if not rep.name.strip():
        errors["name"] = _("请填写会员代表姓名")
    for name, model in (("name", Person), ("title", Representative), ("email", Person)):
        limit = _max_length(model, name)
        if limit and len(getattr(rep, name).strip()) > limit:
            errors[name] = _("最多 %(limit)d 个字") % {"limit": limit}
    if rep.phone.strip():
        try:
            normalize_mobile(rep.phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    return errors


def clean_member_input(
    *,
    association: Association,
    data: MemberInput,
    member: Member | None = None,
    taken_usccs: Collection[str] | None = None,
    individuals: dict[str, tuple[int, str, str, str, str]] | None = None,
    today: date | None = None,
) -> dict[str, object]:
    """Validates one member's data (the form, the API and the Excel import all use this).
    Returns the cleaned model fields or raises a ValidationError keyed by field.
    ``taken_usccs``: the credit codes already used in the association, when the caller has
    looked them up for many rows at once (the import); otherwise this function asks.
    An individual member whose person (by phone, the person's key) already is an individual
    member of the association is refused, naming that member; ``individuals``: those members
    by phone (``individual_members_by_phone``) when the caller has looked them up.
    ``today``: the local date, when the caller checks many rows at once."""
    errors: dict[str, list[str | ValidationError]] = {}

    def fail(name: str, message: str | ValidationError) -> None:
        errors.setdefault(name, []).append(message)

    cleaned: dict[str, object] = {
        "kind": data.kind,
        "name": data.name.strip(),
        "legal_representative": data.legal_representative.strip(),
        "industry_code": data.industry_code.strip().upper(),
        "region_code": data.region_code.strip(),
        "address": data.address.strip(),
        "hometown_code": data.hometown_code.strip(),
        "introduction": data.introduction.strip(),
        "main_products": data.main_products.strip(),
        "website": data.website.strip(),
        "size": data.size,
        "joined_on": data.joined_on,
    }
    if data.kind not in MEMBER_KINDS:
        fail("kind", _("请选择会员类型"))
    for name, value in cleaned.items():
        limit = _max_length(Member, name)
        if limit and isinstance(value, str) and len(value) > limit:
            fail(name, _("最多 %(limit)d 个字") % {"limit": limit})
    if len(str(cleaned["name"])) < 2:
        fail("name", _("请填写名称"))
    uscc = ""
    if data.uscc.strip():
        try:
            uscc = validate_uscc(data.uscc)
        except ValidationError as exc:
            fail("uscc", exc.messages[0])
    elif data.kind == Member.Kind.ENTERPRISE:
        fail("uscc", _("企业会员须填写统一社会信用代码"))
    cleaned["uscc"] = uscc
    taken = uscc and _uscc_taken(association, uscc, member, taken_usccs)
    if taken:
        fail("uscc", taken)
    industry = str(cleaned["industry_code"])
    if industry and not is_valid_industry(industry):
        fail("industry_code", _("行业代码无效"))
    for name in ("region_code", "hometown_code"):
        if cleaned[name] and not is_valid_region(str(cleaned[name])):
            fail(name, _("地区代码无效"))
    if data.size and data.size not in {"micro", "small", "medium", "large"}:
        fail("size", _("企业规模无效"))
    if data.website and not re.match(r"^https?://[^\s]+$", data.website.strip()):
        fail("website", _("网址须以 http:// 或 https:// 开头"))
    if data.joined_on and data.joined_on > (today or timezone.localdate()):
        fail("joined_on", _("入会日期不能晚于今天"))
    level = None
    if data.level_id is not None:
        level = Level.objects.filter(association=association, pk=data.level_id).first()
        if level is None:
            fail("level_id", _("会员级别不存在"))
    cleaned["level"] = level
    phones: dict[str, int] = {}  # phone → the representative's index
    for index, rep in enumerate(data.representatives):
        rep_errors = representative_errors(rep)
        for name, message in rep_errors.items():
            fail(f"representatives.{index}.{name}", message)
        if rep.phone.strip() and "phone" not in rep_errors:
            phone = normalize_mobile(rep.phone)
            if phone in phones:
                fail(f"representatives.{index}.phone", _("手机号重复"))
            phones.setdefault(phone, index)
    if data.kind == Member.Kind.INDIVIDUAL and phones:
        held = (
            individuals
            if individuals is not None
            else individual_members_by_phone(association=association, phones=phones)
        )
        for phone, index in phones.items():
            holder = held.get(phone)
            if holder is not None and (member is None or holder[0] != member.pk):
                fail(f"representatives.{index}.phone", _individual_taken(holder))
    if errors:
        raise ValidationError(errors)
    return cleaned


def person_for(association: Association, rep: RepresentativeInput) -> Person:
    """The association's record of a person: found by phone when one is given."""
    phone = normalize_mobile(rep.phone) if rep.phone.strip() else ""
    person = Person.objects.filter(association=association, phone=phone).first() if phone else None
    if person is None:
        person = Person(association=association, name=rep.name.strip()[:50], phone=phone)
        person.email = rep.email.strip()
        fill_person_search_fields(person)
        person.save()
        person_tokens_save(association=association, people=[person])
    return person


def person_for_role_holder(*, association: Association, phone: str) -> Person | None:
    """The association's record of someone who holds a role in it (secretariat staff often
    represent no member, yet are appointed 秘书长 or sit on committees): found by their
    account, else created from it. None when no account with this phone holds a role here."""
    role = (
        Role.objects.filter(association=association, user__phone=phone)
        .select_related("user")
        .first()
    )
    if role is None:
        return None
    person = Person.objects.filter(association=association, user=role.user).first()
    if person is None:
        person = person_for(association, RepresentativeInput(name=role.user.name, phone=phone))
        person.user = role.user
        person.save(update_fields=["user"])
    return person


@transaction.atomic
def member_create(
    *,
    association: Association,
    actor: User | None,
    data: MemberInput,
    status: str = Member.Status.ACTIVE,
    reason: str = "",
) -> Member:
    """Admits a member (by the secretariat, an import or an approved application): validates,
    numbers it by the association's pattern, links its representatives, records the first
    status step. All or nothing."""
    cleaned = clean_member_input(association=association, data=data)
    member = Member(association=association, status=status, **cleaned)
    member.member_no = data.member_no.strip() or member_no_next(
        association=association, joined_on=data.joined_on
    )
    if not member.joined_on and status == Member.Status.ACTIVE:
        member.joined_on = timezone.localdate()
    fill_member_search_fields(member)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise ValidationError({"member_no": _("会员编号或信用代码已被使用")}) from exc
    member_tokens_save(association=association, members=[member])
    bump(association.pk, MEMBERS_VERSION)
    for rep in data.representatives:
        person = person_for(association, rep)
        Representative.objects.get_or_create(
            association=association, member=member, person=person, defaults={"title": rep.title}
        )
    MemberStatusChange.objects.create(
        association=association,
        member=member,
        from_status="",
        to_status=status,
        reason=reason or _("入会"),
        effective_on=member.joined_on or timezone.localdate(),
        actor=actor,
    )
    audit(
        actor=actor,
        action="member.create",
        association=association,
        target=member,
        summary=member.name,
    )
    return member


@transaction.atomic
def member_update(
    *, association: Association, actor: User, member: Member, data: MemberInput
) -> Member:
    """Edits a member's details (not its status: see ``member_set_status``)."""
    cleaned = clean_member_input(association=association, data=data, member=member)
    changed = [name for name, value in cleaned.items() if getattr(member, name) != value]
    for name in changed:
        setattr(member, name, cleaned[name])
    if data.member_no.strip() and data.member_no.strip() != member.member_no:
        member.member_no = data.member_no.strip()
        changed.append("member_no")
    fill_member_search_fields(member)
    try:
        with transaction.atomic():
            member.save(update_fields=[*changed, "search_text", "sort_key"])
    except IntegrityError as exc:
        raise ValidationError({"member_no": _("会员编号已被使用")}) from exc
    if {"name", "uscc"} & set(changed):
        member_tokens_save(association=association, members=[member], replace=True)
    if changed:
        bump(association.pk, MEMBERS_VERSION)
        member_changed(member)
    audit(
        actor=actor,
        action="member.update",
        association=association,
        target=member,
        data={"fields": changed},
    )
    return member


# Which status may follow which; anything else is refused.
STATUS_FLOW: dict[str, set[str]] = {
    Member.Status.APPLYING: {Member.Status.ACTIVE, Member.Status.WITHDRAWN},
    Member.Status.ACTIVE: {
        Member.Status.IN_ARREARS,
        Member.Status.EXPIRED,
        Member.Status.WITHDRAWN,
        Member.Status.EXPELLED,
    },
    Member.Status.IN_ARREARS: {
        Member.Status.ACTIVE,
        Member.Status.EXPIRED,
        Member.Status.WITHDRAWN,
        Member.Status.EXPELLED,
    },
    Member.Status.EXPIRED: {Member.Status.ACTIVE, Member.Status.WITHDRAWN, Member.Status.EXPELLED},
    Member.Status.WITHDRAWN: {Member.Status.ACTIVE},
    Member.Status.EXPELLED: set(),
}
REASON_REQUIRED = {Member.Status.WITHDRAWN, Member.Status.EXPELLED}


@transaction.atomic
def member_set_status(
    *,
    association: Association,
    actor: User | None,
    member: Member,
    status: str,
    reason: str = "",
    effective_on: date | None = None,
) -> Member:
    """Moves a member along its lifecycle with a dated, reasoned history step. The row is
    locked so that two clerks cannot record conflicting steps."""
    member = Member.objects.select_for_update().get(association=association, pk=member.pk)
    if status not in STATUS_FLOW.get(member.status, set()):
        raise ValidationError(
            {
                "status": _("会员当前为“%(current)s”，不能改为该状态")
                % {"current": member.get_status_display()}
            }
        )
    if status in REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": _("退会或除名须填写原因")})
    effective_on = effective_on or timezone.localdate()
    MemberStatusChange.objects.create(
        association=association,
        member=member,
        from_status=member.status,
        to_status=status,
        reason=reason.strip()[:300],
        effective_on=effective_on,
        actor=actor,
    )
    member.status = status
    fields = ["status"]
    if status == Member.Status.ACTIVE and member.joined_on is None:
        member.joined_on = effective_on
        fields.append("joined_on")
    member.save(update_fields=fields)
    bump(association.pk, MEMBERS_VERSION)
    member_changed(member)
    audit(
        actor=actor,
        action=f"member.status.{status}",
        association=association,
        target=member,
        summary=reason.strip(),
    )
    return member


@transaction.atomic
def member_set_showcase(
    *, association: Association, actor: User, member: Member, showcase: bool
) -> Member:
    """Whether an enterprise member is shown on the association's public site (官网会员风采):
    its name, logo, industry and products, never a person's data. The secretariat sets it
    with the enterprise's consent (MANAGE_MEMBERS, checked by the caller); individual members
    are never shown, as their name is a person's."""
    if showcase and member.kind != Member.Kind.ENTERPRISE:
        raise ValidationError({"showcase": _("只有企业会员可以在官网展示")})
    if member.showcase != showcase:
        member.showcase = showcase
        member.save(update_fields=["showcase"])
        audit(
            actor=actor,
            action="member.showcase" if showcase else "member.unshowcase",
            association=association,
            target=member,
            summary=member.name,
        )
    return member
