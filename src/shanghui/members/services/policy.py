"""The membership policy (member numbering pattern, referrer rule) and the levels: their
settings pages and API change them through here; the member services number new members by
the policy."""

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.money import parse_cny
from shanghui.members.models import Level, Member, MembershipPolicy
from shanghui.members.selectors import LEVELS_VERSION

PATTERN_FIELDS = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def membership_policy(association: Association) -> MembershipPolicy:
    policy, _created = MembershipPolicy.objects.get_or_create(association=association)
    return policy


def validate_member_no_pattern(pattern: str) -> str:
    names = set(PATTERN_FIELDS.findall(pattern))
    if "number" not in names or not names <= {"number", "year"}:
        raise ValidationError(
            {"member_no_pattern": _("编号格式必须包含 {number}，只可另含 {year}")}
        )
    try:
        pattern.format(number=1, year=2026)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError({"member_no_pattern": _("编号格式无效")}) from exc
    return pattern


def member_no_next(*, association: Association, joined_on: date | None = None) -> str:
    """The next member number by the association's pattern (see ``member_nos_next``)."""
    return member_nos_next(association=association, joined_on=[joined_on])[0]


@transaction.atomic
def member_nos_next(*, association: Association, joined_on: Sequence[date | None]) -> list[str]:
    """The next member numbers by the association's pattern, one per admission, in order
    (``{year}`` in the pattern is the year of joining). One conditional UPDATE reserves the
    whole block, so concurrent admissions never share a number; numbers already in use (typed
    in by hand) are skipped."""
    if not joined_on:
        return []
    policy = membership_policy(association)
    MembershipPolicy.objects.filter(pk=policy.pk).update(
        next_number=F("next_number") + len(joined_on)
    )
    policy.refresh_from_db(fields=["next_number"])
    this_year = timezone.localdate().year
    years = [day.year if day else this_year for day in joined_on]
    numbers: list[str] = []
    number = policy.next_number - len(joined_on)
    give_up = policy.next_number + 1000
    while len(numbers) < len(years):
        if number >= give_up:
            raise ValidationError(_("无法生成会员编号，请检查编号格式"))
        # Number the rest in one go; on a number already in use, keep what came before it
        # and go on from the next number (one query per collision, and collisions are rare).
        candidates = [
            policy.member_no_pattern.format(number=number + offset, year=year)
            for offset, year in enumerate(years[len(numbers) :])
        ]
        used = set(
            Member.objects.filter(association=association, member_no__in=candidates).values_list(
                "member_no", flat=True
            )
        )
        for candidate in candidates:
            number += 1
            if candidate in used:
                break
            numbers.append(candidate)
    if number > policy.next_number:
        MembershipPolicy.objects.filter(pk=policy.pk).update(next_number=number)
    return numbers


@transaction.atomic
def membership_policy_update(
    *,
    association: Association,
    actor: User,
    member_no_pattern: str,
    required_referrers: int,
    referrer_min_level: Level | None,
) -> MembershipPolicy:
    policy = membership_policy(association)
    policy.member_no_pattern = validate_member_no_pattern(member_no_pattern.strip())
    if not 0 <= required_referrers <= 10:
        raise ValidationError({"required_referrers": _("介绍人数应在 0 到 10 之间")})
    policy.required_referrers = required_referrers
    policy.referrer_min_level = referrer_min_level
    policy.save(update_fields=["member_no_pattern", "required_referrers", "referrer_min_level"])
    audit(actor=actor, action="membership_policy.update", association=association, target=policy)
    return policy


# --- Levels -----------------------------------------------------------------------------


@transaction.atomic
def level_save(
    *,
    association: Association,
    actor: User,
    name: str,
    rank: int,
    annual_fee: object,
    level: Level | None = None,
) -> Level:
    """Creates or edits a membership level."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("请填写级别名称")
    elif len(name) > Level._meta.get_field("name").max_length:  # type: ignore[operator]
        errors["name"] = _("级别名称最多 30 个字")
    try:
        fee = parse_cny(annual_fee, field="annual_fee", allow_zero=True)
    except ValidationError as exc:
        errors["annual_fee"] = exc.message_dict["annual_fee"][0]
        fee = Decimal(0)
    if not 1 <= rank <= 99:
        errors["rank"] = _("级别序号应在 1 到 99 之间")
    duplicate = Level.objects.filter(association=association, name=name)
    if level is not None:
        duplicate = duplicate.exclude(pk=level.pk)
    if name and duplicate.exists():
        errors["name"] = _("已有同名级别")
    if errors:
        raise ValidationError(errors)
    if level is None:
        level = Level(association=association)
    level.name, level.rank, level.annual_fee = name, rank, fee
    level.save()
    bump(association.pk, LEVELS_VERSION)
    audit(actor=actor, action="level.save", association=association, target=level, summary=name)
    return level


@transaction.atomic
def level_active_set(*, association: Association, actor: User, level: Level, active: bool) -> Level:
    """Stops offering a level (for new members, applications, imports and the year's dues) or
    offers it again. A level still held by a member who has not left cannot be stopped: that
    member would silently drop out of the year's dues."""
    if level.is_active == active:
        return level
    if not active:
        holders = (
            Member.objects.filter(association=association, level=level)
            .exclude(status__in=[Member.Status.WITHDRAWN, Member.Status.EXPELLED])
            .count()
        )
        if holders:
            raise ValidationError(
                _("仍有 %(count)d 位会员属于“%(level)s”，请先调整他们的级别再停用")
                % {"count": holders, "level": level.name}
            )
    level.is_active = active
    level.save(update_fields=["is_active"])
    bump(association.pk, LEVELS_VERSION)
    audit(
        actor=actor,
        action="level.activate" if active else "level.deactivate",
        association=association,
        target=level,
        summary=level.name,
    )
    return level
