"""Audience rules as one mechanism: the kinds come from the apps that own them (members:
levels and named people; org: committees, posts, the council), a rule belongs to any kind of
thing by type and id, and ids of another association are refused."""

import pytest
from django.core.exceptions import ValidationError

from shanghui.core.audience import (
    AudienceChoice,
    audience_kinds,
    audience_people,
    audience_rules,
    audience_rules_replace,
    owners_inviting,
)
from shanghui.core.models import AudienceRule
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Level, Member, Person
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

ARTICLE = "publishing.article"  # a thing core knows nothing about


def test_the_apps_register_their_kinds() -> None:
    kinds = {kind.name: kind for kind in audience_kinds()}
    assert {"level", "person", "committee", "post", "council"} <= set(kinds)
    assert not kinds["council"].has_target and kinds["level"].has_target


def test_any_owner_type_can_have_a_chosen_audience(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        level = Level.objects.create(association=a, name="常务理事单位", rank=2, annual_fee=0)
        Member.objects.filter(pk=side_a.member.pk).update(level=level)
        rules = audience_rules_replace(
            association=a,
            owner_type=ARTICLE,
            owner_id=7,
            choices=[AudienceChoice("level", [level.pk]), AudienceChoice("council", [])],
        )
        assert [(r.kind, r.target_id) for r in rules] == [("level", level.pk)]
        rules = audience_rules(association=a, owner_type=ARTICLE, owner_id=7)
        invited = Person.objects.filter(audience_people(association=a, rules=rules))
        assert list(invited) == [side_a.person]
        seen = owners_inviting(
            association=a,
            owner_type=ARTICLE,
            owner_ids=[7, 8],
            person_ids=[side_a.person.pk],
        )
        assert seen == {7}
        # The same ids under another owner type are another thing's rules.
        assert not owners_inviting(
            association=a, owner_type="events.event", owner_ids=[7], person_ids=[side_a.person.pk]
        )


def test_another_associations_ids_are_refused_and_nothing_changes(
    side_a: Side, side_b: Side
) -> None:
    a = side_a.association
    with tenant_context(side_b.association):
        foreign = Level.objects.create(
            association=side_b.association, name="会员单位", rank=4, annual_fee=0
        )
    with tenant_context(a):
        audience_rules_replace(
            association=a,
            owner_type=ARTICLE,
            owner_id=1,
            choices=[AudienceChoice("person", [side_a.person.pk])],
        )
        with pytest.raises(ValidationError) as refused:
            audience_rules_replace(
                association=a,
                owner_type=ARTICLE,
                owner_id=1,
                choices=[AudienceChoice("level", [foreign.pk])],
            )
        assert "level_ids" in refused.value.message_dict
        kept = AudienceRule.objects.filter(owner_type=ARTICLE, owner_id=1)
        assert [(r.kind, r.target_id) for r in kept] == [("person", side_a.person.pk)]
