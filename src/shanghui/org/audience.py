"""The audience kinds org contributes to ``core.audience`` (registered in ``OrgConfig.ready``):
a committee's members, the holders of a post in the current term, and the council (理事会:
whoever holds a council post in the current term, now). Conditions are on
``members.Person``."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shanghui.associations.models import Association
from shanghui.core.audience import AudienceKind
from shanghui.org.models import Appointment, Committee, CommitteeMembership, Post
from shanghui.org.selectors import running

COMMITTEE, POST, COUNCIL = "committee", "post", "council"


def current_appointments(association: Association) -> QuerySet[Appointment]:
    """Appointments in force today in the current term."""
    return running(Appointment.objects.filter(association=association, term__is_current=True))


def council_person_ids(*, association: Association) -> set[int]:
    """The council (理事会): people holding a council post in the current term, now."""
    return set(
        current_appointments(association)
        .filter(post__is_council=True)
        .values_list("person_id", flat=True)
    )


def _committee_people(association: Association, committee_ids: list[int]) -> Q:
    held = CommitteeMembership.objects.filter(
        association=association, committee_id__in=committee_ids
    ).values("person_id")
    return Q(pk__in=held)


def _committees_inviting(association: Association, person_ids: list[int]) -> Any:
    return CommitteeMembership.objects.filter(
        association=association, person__in=person_ids
    ).values("committee_id")


def _post_people(association: Association, post_ids: list[int]) -> Q:
    appointed = current_appointments(association).filter(post_id__in=post_ids)
    return Q(pk__in=appointed.values("person_id"))


def _posts_inviting(association: Association, person_ids: list[int]) -> Any:
    return current_appointments(association).filter(person__in=person_ids).values("post_id")


def _council_inviting(association: Association, person_ids: list[int]) -> bool:
    appointments = current_appointments(association).filter(person__in=person_ids)
    return appointments.filter(post__is_council=True).exists()


def _existing(model: Any) -> Any:
    def existing(association: Association, ids: set[int]) -> set[int]:
        found = model.objects.filter(association=association, pk__in=ids)
        return set(found.values_list("pk", flat=True))

    return existing


AUDIENCE_KINDS = [
    AudienceKind(
        name=COMMITTEE,
        label=_("专委会"),
        people=_committee_people,
        inviting=_committees_inviting,
        existing=_existing(Committee),
        target_model="org.Committee",
    ),
    AudienceKind(
        name=POST,
        label=_("职务"),
        people=_post_people,
        inviting=_posts_inviting,
        existing=_existing(Post),
        target_model="org.Post",
    ),
    AudienceKind(
        name=COUNCIL,
        label=_("理事会成员"),
        people=lambda association, _ids: Q(pk__in=council_person_ids(association=association)),
        inviting=_council_inviting,
        has_target=False,
    ),
]
