"""Audience rules: whom a thing is for when it is not everyone — an event, an announcement,
an article, a document folder. One mechanism for all of them.

A rule (``core.models.AudienceRule``) is owned by a thing (``owner_type`` such as
"events.event", and its id) and is a ``kind`` with a ``target_id``: the member level 3, the
committee 12, the post 5, the person 40 — or a kind without target such as the council. The
kinds are not core's: each app registers its own in its ``AppConfig.ready`` with
``register_audience_kind`` (members: levels and named people; org: committees, posts and the
council), saying in both directions who its rules invite:

- ``people(association, target_ids)``: the invited people, as a condition on the people
  table (``members.Person``), for "whom do we invite" (one query for any number of rules);
- ``inviting(association, person_ids)``: the targets of this kind that invite one of these
  people (ids, or a subquery of ids; for a kind without target, whether it invites them), for
  "which of these events may this person see" (one query however many events there are);
- ``existing(association, ids)``: which of these ids are real targets in the association.

Core never names the people table nor any app: the conditions are built by the apps."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from shanghui.core.models import AudienceRule
from shanghui.core.types import AppTenant, Tenant

MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class AudienceKind:
    name: str  # stored in ``AudienceRule.kind``
    label: str | Promise
    people: Callable[[AppTenant, list[int]], Q]
    # Ids, a queryset of ids (``values("…")``) or, for kinds without target, a bool.
    inviting: Callable[[AppTenant, list[int]], Any]
    existing: Callable[[AppTenant, set[int]], set[int]] | None = None
    has_target: bool = True
    # The model (label) whose ids ``AudienceRule.target_id`` holds for this kind: a restore
    # that renumbers an association's rows (``core.backup``) follows them.
    target_model: str = ""


_kinds: dict[str, AudienceKind] = {}


def register_audience_kind(kind: AudienceKind) -> None:
    _kinds.setdefault(kind.name, kind)


def audience_kinds() -> list[AudienceKind]:
    return list(_kinds.values())


def audience_kind(name: str) -> AudienceKind:
    try:
        return _kinds[name]
    except KeyError:
        raise ValueError(f"No audience kind {name!r} is registered") from None


@dataclass(frozen=True)
class AudienceChoice:
    """One kind as chosen on a form: its targets, or (kinds without target) whether it is
    chosen at all."""

    kind: str
    target_ids: list[int]
    chosen: bool = False


@dataclass
class AudienceInput:
    """An audience as a form or the API gives it — the same five choices for an event, an
    announcement or anything else with rules: member levels, committees, posts, named
    people (their person ids) and the council."""

    level_ids: list[int] = field(default_factory=list)
    committee_ids: list[int] = field(default_factory=list)
    post_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    council: bool = False

    def choices(self) -> list[AudienceChoice]:
        """For ``audience_rules_replace``, in the order its errors are checked."""
        return [
            AudienceChoice("level", list(self.level_ids)),
            AudienceChoice("committee", list(self.committee_ids)),
            AudienceChoice("post", list(self.post_ids)),
            AudienceChoice("person", list(self.person_ids)),
            AudienceChoice("council", [], chosen=bool(self.council)),
        ]

    def is_empty(self) -> bool:
        return not any(c.target_ids or c.chosen for c in self.choices())

    @classmethod
    def from_form(cls, data: Mapping[str, Any], *, person_ids: list[int]) -> "AudienceInput":
        """From the cleaned data of the audience form (``levels``, ``committees``, ``posts``:
        ids as text, ``council``) and the people its phone numbers found."""
        return cls(
            level_ids=[int(x) for x in data.get("levels", [])],
            committee_ids=[int(x) for x in data.get("committees", [])],
            post_ids=[int(x) for x in data.get("posts", [])],
            person_ids=list(person_ids),
            council=bool(data.get("council")),
        )


class AudienceIn(Schema):
    """The API's audience (the JSON of ``AudienceInput``); ids are strict integers."""

    level_ids: list[StrictInt] = Field(default_factory=list)
    committee_ids: list[StrictInt] = Field(default_factory=list)
    post_ids: list[StrictInt] = Field(default_factory=list)
    person_ids: list[StrictInt] = Field(default_factory=list)
    council: StrictBool = False

    def to_input(self) -> AudienceInput:
        return AudienceInput(**self.dict())


def audience_rules(*, association: Tenant, owner_type: str, owner_id: int) -> list[AudienceRule]:
    return list(
        AudienceRule.objects.filter(
            association=association.pk, owner_type=owner_type, owner_id=owner_id
        ).order_by("id")
    )


def _checked_targets(association: Tenant, choice: AudienceChoice) -> list[int]:
    """The ids of one choice, each of them a target of the association; otherwise a
    ValidationError on ``<kind>_ids`` (the field the forms and the API use)."""
    kind = audience_kind(choice.kind)
    if not kind.has_target:
        return []
    wanted = {i for i in choice.target_ids if isinstance(i, int) and 0 < i <= MAX_ID}
    found = kind.existing(association, wanted) if kind.existing and wanted else set()
    if len(found) != len(set(choice.target_ids)):
        raise ValidationError({f"{choice.kind}_ids": _("未找到所选项目")})
    return [i for i in dict.fromkeys(choice.target_ids) if i in found]


def audience_rules_replace(
    *, association: Tenant, owner_type: str, owner_id: int, choices: list[AudienceChoice]
) -> list[AudienceRule]:
    """Replaces the rules of one owner by ``choices``, in the caller's transaction (the
    caller checks who may, audit-logs and refuses an empty audience). The targets are checked
    in the order of ``choices``; an unknown one raises ValidationError and changes nothing."""
    checked = [(choice, _checked_targets(association, choice)) for choice in choices]
    AudienceRule.objects.filter(
        association=association.pk, owner_type=owner_type, owner_id=owner_id
    ).delete()
    rules = [
        AudienceRule(
            association_id=association.pk,
            owner_type=owner_type,
            owner_id=owner_id,
            kind=choice.kind,
            target_id=target_id,
        )
        for choice, targets in checked
        for target_id in (targets if audience_kind(choice.kind).has_target else [None])
        if target_id is not None or choice.chosen
    ]
    return AudienceRule.objects.bulk_create(rules)


def audience_people(*, association: Tenant, rules: Iterable[AudienceRule]) -> Q:
    """The people the rules invite, as a condition on the people table: the one rule behind
    "may this person see it" and "whom do we invite"."""
    targets: dict[str, list[int]] = defaultdict(list)
    for rule in rules:
        targets[rule.kind].extend([rule.target_id] if rule.target_id else [])
    match = Q(pk__in=[])
    for name, ids in targets.items():
        kind = _kinds.get(name)
        if kind is not None and (ids or not kind.has_target):
            match |= kind.people(association, ids)
    return match


def rules_inviting(*, association: Tenant, person_ids: list[int]) -> Q:
    """The rules that invite one of ``person_ids``, as a condition on ``AudienceRule``:
    ``audience_people`` seen from the person's side."""
    match = Q(pk__in=[])
    for kind in _kinds.values():
        invites = kind.inviting(association, person_ids)
        if kind.has_target:
            match |= Q(kind=kind.name, target_id__in=invites)
        elif invites:
            match |= Q(kind=kind.name)
    return match


def owners_inviting(
    *,
    association: Tenant,
    owner_type: str,
    owner_ids: "QuerySet[Any] | list[int]",
    person_ids: list[int],
) -> set[int]:
    """Which of ``owner_ids`` (ids, or a subquery of the owning things' ids such as
    ``events.values("pk")``) have a rule inviting one of ``person_ids``: for all of them in
    one query."""
    if not person_ids:
        return set()
    rules = AudienceRule.objects.filter(
        association=association.pk, owner_type=owner_type, owner_id__in=owner_ids
    )
    invited = rules.filter(rules_inviting(association=association, person_ids=person_ids))
    return set(invited.values_list("owner_id", flat=True))
