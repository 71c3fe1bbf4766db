"""Terms (届), the change of term (换届), and the public organisation chart's publication.
Posts and appointments: ``posts``."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.softdelete import restore, soft_delete
from shanghui.org.models import (
    Appointment,
    OrgSettings,
    Post,
    Term,
)
from shanghui.org.services.posts import posts_add_defaults
from shanghui.org.services.validation import (
    MAX_SMALL,
    Errors,
    pk_of,
    unique_save,
)

# --- Terms (届) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermInput:
    name: str
    number: int | None
    starts_on: date
    ends_on: date | None = None
    is_current: bool = False


def _clean_term(association: Association, data: TermInput, term: Term | None) -> dict[str, Any]:
    """The term's fields, validated: dates in order, number and name unused, and at most one
    current term. Without a number, the next after the highest."""
    errors = Errors()
    name = errors.text("name", data.name, label=_("名称"), max_length=60, required=True)
    errors.day("starts_on", data.starts_on, label=_("开始日期"))
    errors.day("ends_on", data.ends_on, label=_("结束日期"))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors.add("ends_on", _("结束日期不能早于开始日期"))
    others = Term.objects.filter(association=association).exclude(pk=pk_of(term))
    number = data.number
    if number is None:
        number = (others.aggregate(n=Max("number"))["n"] or 0) + 1
    if not 1 <= number <= MAX_SMALL:
        errors.add("number", _("届次须为 1 至 32767 之间的整数"))
    elif others.filter(number=number).exists():
        errors.add("number", _("第 %(n)s 届已存在") % {"n": number})
    if name and others.filter(name=name).exists():
        errors.add("name", _("已有同名的届次"))
    if data.is_current and (current := others.filter(is_current=True).first()):
        errors.add(
            "is_current",
            _("“%(name)s”是当届；请通过换届产生新一届") % {"name": current.name},
        )
    errors.raise_if_any()
    return {
        "name": name,
        "number": number,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "is_current": data.is_current,
    }


@transaction.atomic
def term_create(*, association: Association, actor: User | None, data: TermInput) -> Term:
    """Adds a term (a past one for the record, or the first current one). At most one term is
    current: a second current term is refused here and by the database. The default posts are
    added when the association has none yet."""
    fields = _clean_term(association, data, None)
    term = unique_save(
        lambda: Term.objects.create(association=association, **fields),
        "is_current",
        _("保存冲突：届次或当届已被他人修改，请刷新后重试"),
    )
    if not Post.objects.filter(association=association).exists():
        posts_add_defaults(association=association, actor=actor)
    audit(
        actor=actor,
        action="org.term.create",
        association=association,
        target=term,
        summary=term.name,
    )
    return term


@transaction.atomic
def term_update(
    *, association: Association, actor: User | None, term: Term, data: TermInput
) -> Term:
    """Changes a term's name, number, dates or current flag (setting it current only when no
    other term is)."""
    fields = _clean_term(association, data, term)
    for field, value in fields.items():
        setattr(term, field, value)
    unique_save(
        lambda: term.save(update_fields=list(fields)),
        "is_current",
        _("保存冲突：届次或当届已被他人修改，请刷新后重试"),
    )
    audit(
        actor=actor,
        action="org.term.update",
        association=association,
        target=term,
        summary=term.name,
    )
    return term


@transaction.atomic
def term_delete(*, association: Association, actor: User | None, term: Term) -> None:
    """Moves a term without appointments to the recycle bin (a term with its record of office
    holders is history and is kept); ``term_restore`` brings it back."""
    count = Appointment.objects.filter(association=association, term=term).count()
    if count:
        raise ValidationError(
            _("“%(name)s”还有 %(n)s 条任职记录，不能删除") % {"name": term.name, "n": count}
        )
    soft_delete(
        association=association,
        actor=actor,
        obj=term,
        action="org.term.delete",
        summary=term.name,
    )


@transaction.atomic
def term_restore(*, association: Association, actor: User | None, term: Term) -> Term:
    """Brings a deleted term back. Refused while another term has its number or name, or —
    for a term that was current — while another term is current."""
    others = Term.objects.filter(association=association)
    if others.filter(name=term.name).exists():
        raise ValidationError(
            _("已有名为“%(name)s”的届次，不能恢复；请先将其改名") % {"name": term.name}
        )
    if term.is_current and (current := others.filter(is_current=True).first()):
        raise ValidationError(_("“%(name)s”是当届，不能再恢复一个当届") % {"name": current.name})
    return restore(
        association=association,
        actor=actor,
        obj=term,
        action="org.term.restore",
        summary=term.name,
        conflict=_("第 %(n)s 届已存在，不能恢复") % {"n": term.number},
    )


@dataclass(frozen=True)
class TermChange:
    term: Term
    ended: int
    carried_over: int


@transaction.atomic
def term_change(
    *,
    association: Association,
    actor: User | None,
    data: TermInput,
    carry_over_post_ids: Collection[int] = (),
) -> TermChange:
    """换届 in one step: the current term ends the day before the new one starts, every
    appointment still running in it ends that day, and the new term becomes current. The
    running appointments to the posts in ``carry_over_post_ids`` continue in the new term
    (same person, post and member represented, starting on the new term's first day).
    All of it or nothing; audit-logged."""
    current = (
        Term.objects.select_for_update().filter(association=association, is_current=True).first()
    )
    if current is None:
        raise ValidationError(_("目前没有当届，请先添加一届并设为当届"))
    fields = _clean_term(association, TermInput(**{**data.__dict__, "is_current": False}), None)
    starts_on: date = fields["starts_on"]
    errors = Errors()
    if starts_on <= current.starts_on:
        errors.add(
            "starts_on",
            _("新一届的开始日期须晚于本届的开始日期（%(d)s）") % {"d": current.starts_on},
        )
    wanted = set(carry_over_post_ids)
    found = set(
        Post.objects.filter(association=association, pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - found:
        errors.add("carry_over_post_ids", _("所选职务不存在，请刷新后重试"))
    errors.raise_if_any()
    handover = starts_on - timedelta(days=1)
    running = Appointment.objects.filter(association=association, term=current).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=handover)
    )
    if running.filter(starts_on__gt=handover).exists():
        raise ValidationError(
            {"starts_on": _("本届有任职开始于新一届开始日期之后，请先调整这些任职的日期")}
        )
    carried = list(running.filter(post_id__in=found).order_by("id"))

    current.is_current = False
    current.ends_on = handover
    current.save(update_fields=["is_current", "ends_on"])
    new_term = Term.objects.create(association=association, **{**fields, "is_current": True})
    ended = running.update(ends_on=handover)
    Appointment.objects.bulk_create(
        Appointment(
            association=association,
            term=new_term,
            post_id=old.post_id,
            person_id=old.person_id,
            member_id=old.member_id,
            starts_on=new_term.starts_on,
        )
        for old in carried
    )
    audit(
        actor=actor,
        action="org.term.change",
        association=association,
        target=new_term,
        summary=_("换届：%(old)s → %(new)s") % {"old": current.name, "new": new_term.name},
        data={
            "previous_term": current.pk,
            "ended_appointments": ended,
            "carried_over": len(carried),
            "carry_over_post_ids": sorted(found),
        },
    )
    return TermChange(term=new_term, ended=ended, carried_over=len(carried))


# --- The public chart ----------------------------------------------------------------------


@transaction.atomic
def org_settings_update(
    *, association: Association, actor: User | None, publish_chart: bool
) -> OrgSettings:
    """Publishes (or withdraws) the public organisation chart: the current term's posts and
    the names of their holders, without contact details."""
    org_settings, _created = OrgSettings.objects.get_or_create(association=association)
    org_settings.publish_chart = publish_chart
    org_settings.save(update_fields=["publish_chart"])
    audit(
        actor=actor,
        action="org.chart.publish" if publish_chart else "org.chart.unpublish",
        association=association,
        target=org_settings,
    )
    return org_settings
