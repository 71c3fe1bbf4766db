"""Posts (职务) with the default set, and appointments: who holds which post in which term."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.softdelete import restore, soft_delete
from shanghui.members.models import Member, Person
from shanghui.org.models import (
    Appointment,
    Post,
    Term,
)
from shanghui.org.services.validation import (
    MAX_SMALL,
    Errors,
    pk_of,
    unique_save,
)

# (name, is_council, is_secretariat), in the usual order of a chamber's organisation chart.
DEFAULT_POSTS: list[tuple[str, bool, bool]] = [
    ("名誉会长", False, False),
    ("会长", True, False),
    ("执行会长", True, False),
    ("常务副会长", True, False),
    ("副会长", True, False),
    ("秘书长", True, True),
    ("常务副秘书长", False, True),
    ("副秘书长", False, True),
    ("理事", True, False),
    ("监事长", False, False),
    ("监事", False, False),
    ("顾问", False, False),
]


# --- Posts (职务) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PostInput:
    name: str
    sort_order: int = 0
    is_council: bool = False
    is_secretariat: bool = False


def _clean_post(association: Association, data: PostInput, post: Post | None) -> PostInput:
    errors = Errors()
    name = errors.text("name", data.name, label=_("名称"), max_length=30, required=True)
    errors.small("sort_order", data.sort_order, label=_("排序"))
    others = Post.objects.filter(association=association).exclude(pk=pk_of(post))
    if name and others.filter(name=name).exists():
        errors.add("name", _("已有名为“%(name)s”的职务") % {"name": name})
    errors.raise_if_any()
    return PostInput(name, data.sort_order, data.is_council, data.is_secretariat)


@transaction.atomic
def post_create(*, association: Association, actor: User | None, data: PostInput) -> Post:
    clean = _clean_post(association, data, None)
    post = unique_save(
        lambda: Post.objects.create(association=association, **clean.__dict__),
        "name",
        _("已有同名的职务"),
    )
    audit(
        actor=actor,
        action="org.post.create",
        association=association,
        target=post,
        summary=post.name,
    )
    return post


@transaction.atomic
def post_update(
    *, association: Association, actor: User | None, post: Post, data: PostInput
) -> Post:
    clean = _clean_post(association, data, post)
    for field, value in clean.__dict__.items():
        setattr(post, field, value)
    unique_save(lambda: post.save(update_fields=list(clean.__dict__)), "name", _("已有同名的职务"))
    audit(
        actor=actor,
        action="org.post.update",
        association=association,
        target=post,
        summary=post.name,
    )
    return post


@transaction.atomic
def post_delete(*, association: Association, actor: User | None, post: Post) -> None:
    """Moves a post nobody holds to the recycle bin (a post with appointments is part of the
    record); ``post_restore`` brings it back."""
    count = Appointment.objects.filter(association=association, post=post).count()
    if count:
        raise ValidationError(
            _("职务“%(name)s”有 %(n)s 条任职记录，不能删除") % {"name": post.name, "n": count}
        )
    soft_delete(
        association=association,
        actor=actor,
        obj=post,
        action="org.post.delete",
        summary=post.name,
    )


@transaction.atomic
def post_restore(*, association: Association, actor: User | None, post: Post) -> Post:
    """Brings a deleted post back. Refused while another post has its name."""
    return restore(
        association=association,
        actor=actor,
        obj=post,
        action="org.post.restore",
        summary=post.name,
        conflict=_("已有名为“%(name)s”的职务，不能恢复；请先将其改名") % {"name": post.name},
    )


@transaction.atomic
def posts_add_defaults(*, association: Association, actor: User | None) -> list[Post]:
    """Adds the usual posts of a chamber (名誉会长 … 顾问) that the association does not have
    yet, after its own; idempotent. Returns the posts added."""
    existing = set(Post.objects.filter(association=association).values_list("name", flat=True))
    last = Post.objects.filter(association=association).aggregate(n=Max("sort_order"))["n"] or 0
    start = min(last, MAX_SMALL - 10 * len(DEFAULT_POSTS))
    added = Post.objects.bulk_create(
        Post(
            association=association,
            name=name,
            sort_order=start + 10 * i,
            is_council=council,
            is_secretariat=secretariat,
        )
        for i, (name, council, secretariat) in enumerate(DEFAULT_POSTS, start=1)
        if name not in existing
    )
    if added:
        audit(
            actor=actor,
            action="org.post.defaults",
            association=association,
            summary="、".join(p.name for p in added),
        )
    return added


# --- Appointments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AppointmentInput:
    post: Post
    person: Person
    member: Member | None = None
    starts_on: date | None = None  # default: the term's first day
    ends_on: date | None = None


def _clean_appointment(
    association: Association, term: Term, data: AppointmentInput, appointment: Appointment | None
) -> date:
    errors = Errors()
    starts_on = data.starts_on or term.starts_on
    errors.day("starts_on", starts_on, label=_("任职日期"))
    errors.day("ends_on", data.ends_on, label=_("卸任日期"))
    if starts_on < term.starts_on:
        errors.add(
            "starts_on",
            _("任职日期不能早于%(term)s的开始日期（%(d)s）")
            % {"term": term.name, "d": term.starts_on},
        )
    if term.ends_on is not None and starts_on > term.ends_on:
        errors.add("starts_on", _("任职日期不能晚于%(term)s的结束日期") % {"term": term.name})
    if data.ends_on is not None and data.ends_on < starts_on:
        errors.add("ends_on", _("卸任日期不能早于任职日期"))
    taken = Appointment.objects.filter(
        association=association, term=term, post=data.post, person=data.person
    ).exclude(pk=pk_of(appointment))
    if taken.exists():
        errors.add(
            "person",
            _("%(person)s在%(term)s已任%(post)s")
            % {"person": data.person.name, "term": term.name, "post": data.post.name},
        )
    errors.raise_if_any()
    return starts_on


@transaction.atomic
def appointment_create(
    *, association: Association, actor: User | None, term: Term, data: AppointmentInput
) -> Appointment:
    """Appoints a person to a post in ``term`` (once per person, post and term)."""
    starts_on = _clean_appointment(association, term, data, None)
    appointment = unique_save(
        lambda: Appointment.objects.create(
            association=association,
            term=term,
            post=data.post,
            person=data.person,
            member=data.member,
            starts_on=starts_on,
            ends_on=data.ends_on,
        ),
        "person",
        _("此人已担任该职务"),
    )
    audit(
        actor=actor,
        action="org.appointment.create",
        association=association,
        target=appointment,
        summary=f"{term.name} {data.post.name} {data.person.name}",
    )
    return appointment


@transaction.atomic
def appointment_update(
    *,
    association: Association,
    actor: User | None,
    appointment: Appointment,
    data: AppointmentInput,
) -> Appointment:
    """Changes an appointment's post, person, member represented or dates (setting
    ``ends_on`` ends it); the term stays."""
    starts_on = _clean_appointment(association, appointment.term, data, appointment)
    appointment.post, appointment.person, appointment.member = data.post, data.person, data.member
    appointment.starts_on, appointment.ends_on = starts_on, data.ends_on
    unique_save(
        lambda: appointment.save(
            update_fields=["post", "person", "member", "starts_on", "ends_on"]
        ),
        "person",
        _("此人已担任该职务"),
    )
    audit(
        actor=actor,
        action="org.appointment.update",
        association=association,
        target=appointment,
        summary=f"{appointment.term.name} {data.post.name} {data.person.name}",
    )
    return appointment


def _appointment_names(appointment: Appointment) -> dict[str, str]:
    return {
        "term_name": appointment.term.name,
        "post_name": appointment.post.name,
        "person_name": appointment.person.name,
        "member_name": appointment.member.name if appointment.member else "",
    }


@transaction.atomic
def appointment_delete(
    *, association: Association, actor: User | None, appointment: Appointment
) -> None:
    """Moves an appointment entered by mistake to the recycle bin (to record that someone
    left office, set its end date instead); ``appointment_restore`` brings it back."""
    soft_delete(
        association=association,
        actor=actor,
        obj=appointment,
        action="org.appointment.delete",
        summary=f"{appointment.term.name} {appointment.post.name} {appointment.person.name}",
        data=_appointment_names(appointment),
    )


@transaction.atomic
def appointment_restore(
    *, association: Association, actor: User | None, appointment: Appointment
) -> Appointment:
    """Brings a deleted appointment back. Refused while its term or post is deleted (restore
    that first) or while the person holds that post in that term again."""
    term, post, person = appointment.term, appointment.post, appointment.person
    if term.deleted_at is not None:
        raise ValidationError(_("请先恢复届次“%(name)s”") % {"name": term.name})
    if post.deleted_at is not None:
        raise ValidationError(_("请先恢复职务“%(name)s”") % {"name": post.name})
    return restore(
        association=association,
        actor=actor,
        obj=appointment,
        action="org.appointment.restore",
        summary=f"{term.name} {post.name} {person.name}",
        conflict=_("%(person)s在%(term)s已任%(post)s，不能恢复")
        % {"person": person.name, "term": term.name, "post": post.name},
    )
