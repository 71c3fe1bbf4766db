"""The recycle bin (回收站) of the organisation structure: what was deleted, latest first,
and the access to one deleted row by its URL id (404 for missing, live and foreign alike)."""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.softdelete import access_deleted, deleted_rows
from shanghui.members.services.representatives import removed_representatives
from shanghui.org.models import (
    Appointment,
    Branch,
    Committee,
    Post,
    Term,
)

# What the recycle bin lists per kind: the latest deletions; older ones stay restorable by id.
TRASH_LIMIT = 200


@dataclass(frozen=True)
class TrashItem:
    """One deleted row as the recycle bin lists it (page and API alike)."""

    kind: str  # term, post, appointment, committee, branch, representative
    kind_label: str
    id: int
    name: str
    detail: str
    deleted_at: object
    deleted_by_name: str
    member_id: int | None = None  # a representative's member (its restore URL names it)


def _by(row: object) -> str:
    user = getattr(row, "deleted_by", None)
    return user.name if user is not None else ""


def trash(*, association: Association, structure: bool, people: bool) -> list[TrashItem]:
    """The association's deleted structure, latest first: terms and posts (``structure``:
    the settings' permission), appointments, committees (with how many members went with
    them), branches and members' representatives (``people``)."""
    items: list[TrashItem] = []
    if structure:
        for term in deleted_rows(Term, association=association).select_related("deleted_by")[
            :TRASH_LIMIT
        ]:
            items.append(
                TrashItem("term", _("届次"), term.pk, term.name, "", term.deleted_at, _by(term))
            )
        for post in deleted_rows(Post, association=association).select_related("deleted_by")[
            :TRASH_LIMIT
        ]:
            items.append(
                TrashItem("post", _("职务"), post.pk, post.name, "", post.deleted_at, _by(post))
            )
    if people:
        for a in deleted_rows(Appointment, association=association).select_related(
            "term", "post", "person", "member", "deleted_by"
        )[:TRASH_LIMIT]:
            detail = f"{a.term.name} · {a.member.name}" if a.member else a.term.name
            name = f"{a.post.name} {a.person.name}"
            items.append(
                TrashItem("appointment", _("任职"), a.pk, name, detail, a.deleted_at, _by(a))
            )
        committees = (
            deleted_rows(Committee, association=association)
            .select_related("deleted_by")
            .annotate(n=Count("memberships", filter=Q(memberships__deleted_at=F("deleted_at"))))[
                :TRASH_LIMIT
            ]
        )
        for c in committees:
            detail = _("含 %(n)s 位成员") % {"n": c.n} if c.n else ""
            items.append(
                TrashItem("committee", _("专业委员会"), c.pk, c.name, detail, c.deleted_at, _by(c))
            )
        for b in deleted_rows(Branch, association=association).select_related(
            "leader", "deleted_by"
        )[:TRASH_LIMIT]:
            detail = _("负责人：%(name)s") % {"name": b.leader.name} if b.leader else ""
            items.append(TrashItem("branch", _("分会"), b.pk, b.name, detail, b.deleted_at, _by(b)))
        for r in removed_representatives(association=association)[:TRASH_LIMIT]:
            items.append(
                TrashItem(
                    "representative",
                    r.get_kind_display(),
                    r.pk,
                    r.person.name,
                    r.member.name,
                    r.deleted_at,
                    _by(r),
                    member_id=r.member_id,
                )
            )
    items.sort(key=lambda item: (item.deleted_at, item.id), reverse=True)
    return items


def access_deleted_term(*, association: Association, term_id: int) -> Term:
    return access_deleted(Term, association=association, pk=term_id)


def access_deleted_post(*, association: Association, post_id: int) -> Post:
    return access_deleted(Post, association=association, pk=post_id)


def access_deleted_appointment(*, association: Association, appointment_id: int) -> Appointment:
    return access_deleted(Appointment, association=association, pk=appointment_id)


def access_deleted_committee(*, association: Association, committee_id: int) -> Committee:
    return access_deleted(Committee, association=association, pk=committee_id)


def access_deleted_branch(*, association: Association, branch_id: int) -> Branch:
    return access_deleted(Branch, association=association, pk=branch_id)
