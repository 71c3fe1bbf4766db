"""Who acts for a member: its representatives (会员代表) and contacts (联络人), added, retitled
and removed by the secretariat after the member was admitted. A person is one record per
association, found by phone, so one person may represent several members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.softdelete import deleted_rows, restore, soft_delete
from shanghui.members.models import Member, Representative
from shanghui.members.services.members import RepresentativeInput, person_for, representative_errors


def access_representative(
    *, association: Association, member: Member, representative_id: int
) -> Representative:
    """One of ``member``'s representations; 404 for a missing or another member's id."""
    representative = (
        Representative.objects.filter(association=association, member=member, pk=representative_id)
        .select_related("person")
        .first()
    )
    if representative is None:
        raise Http404
    return representative


def _check_kind(kind: str) -> None:
    if kind not in Representative.Kind.values:
        raise ValidationError({"kind": _("请选择会员代表或联络人")})


@transaction.atomic
def representative_add(
    *,
    association: Association,
    actor: User,
    member: Member,
    data: RepresentativeInput,
    kind: str = Representative.Kind.REPRESENTATIVE,
) -> Representative:
    """Links a person (matched by phone, else created) to ``member``. Refuses bad details and
    a person who already acts for this member."""
    errors = representative_errors(data)
    if errors:
        raise ValidationError(errors)
    _check_kind(kind)
    person = person_for(association, data)
    if Representative.objects.filter(
        association=association, member=member, person=person
    ).exists():
        raise ValidationError({"phone": _("此人已是该会员的会员代表或联络人")})
    representative = Representative.objects.create(
        association=association, member=member, person=person, kind=kind, title=data.title.strip()
    )
    audit(
        actor=actor,
        action="member.representative.add",
        association=association,
        target=member,
        summary=f"{person.name} {representative.get_kind_display()}",
    )
    return representative


@transaction.atomic
def representative_update(
    *,
    association: Association,
    actor: User,
    representative: Representative,
    title: str,
    kind: str,
) -> Representative:
    """Changes the title (职务) or the kind of a representation."""
    _check_kind(kind)
    errors = representative_errors(
        RepresentativeInput(name=representative.person.name, title=title)
    )
    if "title" in errors:
        raise ValidationError({"title": errors["title"]})
    representative.title, representative.kind = title.strip(), kind
    representative.save(update_fields=["title", "kind"])
    audit(
        actor=actor,
        action="member.representative.update",
        association=association,
        target=representative.member,
        summary=f"{representative.person.name} {title}",
    )
    return representative


def _who(representative: Representative) -> dict[str, object]:
    person, member = representative.person, representative.member
    return {
        "person": {"id": person.pk, "name": person.name},
        "member": {"id": member.pk, "name": member.name},
        "kind_label": representative.get_kind_display(),
    }


@transaction.atomic
def representative_remove(
    *, association: Association, actor: User, representative: Representative
) -> None:
    """Unlinks the person from the member — into the recycle bin, from which
    ``representative_restore`` brings the link back; the person's record stays (they may
    represent other members, hold posts or sit on committees). The audit record names the
    person and the member."""
    soft_delete(
        association=association,
        actor=actor,
        obj=representative,
        action="member.representative.remove",
        summary=representative.person.name,
        target=representative.member,
        data=_who(representative),
    )


@transaction.atomic
def representative_restore(
    *, association: Association, actor: User, representative: Representative
) -> Representative:
    """Links a removed representative or contact to the member again. Refused while the
    person acts for the member once more (added again since)."""
    return restore(
        association=association,
        actor=actor,
        obj=representative,
        action="member.representative.restore",
        summary=representative.person.name,
        target=representative.member,
        conflict=_("%(name)s已是该会员的会员代表或联络人，不能恢复")
        % {"name": representative.person.name},
    )


def access_removed_representative(
    *, association: Association, representative_id: int, member: Member | None = None
) -> Representative:
    """A removed representation (of ``member`` when given), in the recycle bin; 404 for a
    missing id, another member's or association's, and one not removed."""
    found = deleted_rows(Representative, association=association).filter(pk=representative_id)
    if member is not None:
        found = found.filter(member=member)
    representative = found.select_related("person", "member").first()
    if representative is None:
        raise Http404
    return representative


def removed_representatives(*, association: Association) -> QuerySet[Representative]:
    """The association's removed representatives and contacts, latest first (the recycle
    bin), with their person and member."""
    return deleted_rows(Representative, association=association).select_related(
        "person", "member", "deleted_by"
    )
