"""The audience kinds members contributes to ``core.audience`` (registered in
``MembersConfig.ready``): a member level — the representatives of its members — and named
people. Conditions are on ``Person``."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shanghui.associations.models import Association
from shanghui.core.audience import AudienceKind
from shanghui.members.models import Level, Member, Person

LEVEL, PERSON = "level", "person"


def _level_people(association: Association, level_ids: list[int]) -> Q:
    return Q(
        representations__member__level_id__in=level_ids,
        representations__deleted_at__isnull=True,
    )


def _levels_inviting(association: Association, person_ids: list[int]) -> Any:
    members = Member.objects.filter(
        association=association,
        representatives__person__in=person_ids,
        representatives__deleted_at__isnull=True,
    )
    return members.values("level_id")


def _existing(model: Any) -> Any:
    def existing(association: Association, ids: set[int]) -> set[int]:
        found = model.objects.filter(association=association, pk__in=ids)
        return set(found.values_list("pk", flat=True))

    return existing


AUDIENCE_KINDS = [
    AudienceKind(
        name=LEVEL,
        label=_("会员级别"),
        people=_level_people,
        inviting=_levels_inviting,
        existing=_existing(Level),
        target_model="members.Level",
    ),
    AudienceKind(
        name=PERSON,
        label=_("指定人员"),
        people=lambda association, person_ids: Q(pk__in=person_ids),
        inviting=lambda association, person_ids: person_ids,
        existing=_existing(Person),
        target_model="members.Person",
    ),
]
