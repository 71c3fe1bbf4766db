import pytest
from django.db import connection

from shanghui.associations.models import Association
from shanghui.core.rls import APP_DB_ROLE
from shanghui.core.tenancy import tenant_context
from shanghui.org import selectors
from shanghui.org.models import GroupMember
from shanghui.org.services import terms as term_services
from shanghui.org.services import units as unit_services
from shanghui.org.tests.conftest import Org
from shanghui.testing.factories import AssociationFactory, MemberFactory
from shanghui.testing.fixtures import Side


@pytest.fixture
def parent_with_child(side_a: Side, side_b: Side) -> tuple[Side, Side, GroupMember]:
    """A lists B as a linked group member. B has 1 member from the fixture plus 2 more in good
    standing and 1 who withdrew."""
    for status in ("active", "arrears", "withdrawn"):
        MemberFactory(association=side_b.association, status=status)
    with tenant_context(side_a.association):
        group = unit_services.group_member_create(
            association=side_a.association,
            actor=side_a.admin,
            data=unit_services.GroupMemberInput(name="", linked_association=side_b.association),
        )
    return side_a, side_b, group


def figures_seen_by(parent: Association) -> dict[int, selectors.GroupFigures]:
    with tenant_context(parent):
        groups = list(selectors.group_members(association=parent))
        return selectors.group_member_figures(association=parent, groups=groups)


def consent(child: Side, parent: Association, shares: bool) -> None:
    with tenant_context(child.association):
        unit_services.sharing_consent_set(
            association=child.association, actor=child.admin, parent=parent, shares=shares
        )


@pytest.mark.django_db
def test_without_consent_the_parent_sees_no_figures(
    parent_with_child: tuple[Side, Side, GroupMember],
) -> None:
    a, _b, _group = parent_with_child
    assert figures_seen_by(a.association) == {}


@pytest.mark.django_db
def test_with_consent_the_parent_sees_the_member_count(
    parent_with_child: tuple[Side, Side, GroupMember],
) -> None:
    a, b, group = parent_with_child
    consent(b, a.association, True)
    assert figures_seen_by(a.association) == {group.pk: selectors.GroupFigures(member_count=3)}
    consent(b, a.association, False)  # withdrawn
    assert figures_seen_by(a.association) == {}


@pytest.mark.django_db
def test_consent_to_one_parent_shows_nothing_to_another(
    parent_with_child: tuple[Side, Side, GroupMember],
) -> None:
    a, b, _group = parent_with_child
    other = AssociationFactory(name="另一上级商会")
    consent(b, other, True)
    assert figures_seen_by(a.association) == {}


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_reading_the_childs_figures_leaves_the_parents_tenant_intact(
    parent_with_child: tuple[Side, Side, GroupMember],
) -> None:
    """As the application's database role (RLS enforced): the child's count is read inside the
    child's tenant, and afterwards the parent's own rows are still visible — the child's
    association id does not linger in the transaction."""
    a, b, group = parent_with_child
    consent(b, a.association, True)
    with tenant_context(a.association), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
        groups = list(selectors.group_members(association=a.association))
        figures = selectors.group_member_figures(association=a.association, groups=groups)
        still_visible = list(selectors.group_members(association=a.association))
        cursor.execute("SELECT current_setting('app.association_id', true)")
        setting = cursor.fetchone()[0]
        cursor.execute("RESET ROLE")
    assert figures == {group.pk: selectors.GroupFigures(member_count=3)}
    assert still_visible == groups == [group]
    assert setting == str(a.association.pk)


@pytest.mark.django_db
def test_the_org_chart_is_names_only_and_only_once_published(org_a: Org) -> None:
    a = org_a.side.association
    with tenant_context(a):
        assert selectors.org_chart(association=a) is None
        term_services.org_settings_update(association=a, actor=org_a.side.admin, publish_chart=True)
        chart = selectors.org_chart(association=a)
    assert chart is not None and chart.term.name == "第一届理事会"
    assert [(p.name, p.names) for p in chart.posts] == [
        ("会长", ["钟会长"]),
        ("秘书长", ["邱秘书长"]),
        ("理事", ["赖理事", "温理事"]),
    ]


@pytest.mark.django_db
def test_secretariat_staff_are_found_by_their_phone_for_appointments(side_a: Side) -> None:
    """Staff represent no member; appointing one 秘书长 creates their record from the account."""
    from django.core.exceptions import ValidationError

    from shanghui.accounts.models import Role
    from shanghui.members.models import Person
    from shanghui.org.selectors import find_person
    from shanghui.testing.factories import RoleFactory, UserFactory

    a = side_a.association
    clerk = UserFactory(name="秘书处小王")
    RoleFactory(association=a, user=clerk, kind=Role.Kind.STAFF)
    outsider = UserFactory(name="外人")
    with tenant_context(a):
        person = find_person(association=a, text=clerk.phone)
        assert (person.name, person.phone, person.user) == ("秘书处小王", clerk.phone, clerk)
        assert find_person(association=a, text=clerk.phone) == person  # found again, not re-made
        with pytest.raises(ValidationError):
            find_person(association=a, text=outsider.phone)  # no role here: not ours to add
        assert not Person.objects.filter(association=a, phone=outsider.phone).exists()
