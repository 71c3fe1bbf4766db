"""Granting a staff member the permission to publish content (Role.grants): on the people &
roles page and through the API; administrators hold it by their role, members cannot be
granted it."""

import json

import pytest

from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, has_perm, role_in
from shanghui.accounts.services.roles import role_change, role_grants_set
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import RoleFactory, UserFactory
from shanghui.testing.fixtures import Side, api_client_for, client_for

pytestmark = pytest.mark.django_db


def _staff(side: Side) -> Role:
    with tenant_context(side.association):
        return RoleFactory(association=side.association, user=UserFactory(name="宣传干事"),
                           kind=Role.Kind.STAFF)  # fmt: skip


def _reload(role: Role) -> Role | None:
    with tenant_context(role.association):
        return role_in(role.user, role.association)


def test_administrators_publish_staff_edit(side_a: Side) -> None:
    staff = _staff(side_a)
    with tenant_context(side_a.association):
        admin = role_in(side_a.admin, side_a.association)
    assert has_perm(admin, Perm.PUBLISH_CONTENT) and has_perm(admin, Perm.EDIT_CONTENT)
    assert has_perm(staff, Perm.EDIT_CONTENT) and not has_perm(staff, Perm.PUBLISH_CONTENT)


def test_administrator_grants_publishing_on_the_roles_page(side_a: Side) -> None:
    staff = _staff(side_a)
    client = client_for(side_a.admin)
    page = client.get(f"/a/{side_a.association.slug}/office/roles/")
    assert f'id="grants-{staff.pk}"' in page.content.decode()
    url = f"/a/{side_a.association.slug}/office/roles/{staff.pk}/grants/"
    client.post(url, {"grants": ["content.publish"]})
    assert has_perm(_reload(staff), Perm.PUBLISH_CONTENT)
    client.post(url, {})
    assert not has_perm(_reload(staff), Perm.PUBLISH_CONTENT)


def test_grants_through_the_api_refuse_what_the_kind_does_not_admit(side_a: Side) -> None:
    staff = _staff(side_a)
    with tenant_context(side_a.association):
        member_role = Role.objects.get(association=side_a.association, user=side_a.member_user)
    api = api_client_for(side_a.admin)
    base = f"/api/v1/associations/{side_a.association.slug}/roles"
    answer = api.put(f"{base}/{staff.pk}/grants", json.dumps({"grants": ["content.publish"]}),
                     content_type="application/json")  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json()["grants"] == ["content.publish"]
    assert has_perm(_reload(staff), Perm.PUBLISH_CONTENT)
    publish = json.dumps({"grants": ["content.publish"]})
    refused = api.put(f"{base}/{member_role.pk}/grants", publish, content_type="application/json")
    assert refused.status_code == 400
    assert not has_perm(_reload(member_role), Perm.PUBLISH_CONTENT)
    export = api.put(f"{base}/{staff.pk}/grants", json.dumps({"grants": ["members.export"]}),
                     content_type="application/json")  # fmt: skip
    assert export.status_code == 400


def test_members_cannot_grant(side_a: Side) -> None:
    staff = _staff(side_a)
    client = client_for(side_a.member_user)
    url = f"/a/{side_a.association.slug}/office/roles/{staff.pk}/grants/"
    assert client.post(url, {"grants": ["content.publish"]}).status_code == 403
    assert not has_perm(_reload(staff), Perm.PUBLISH_CONTENT)


def test_a_change_of_kind_clears_the_grants_the_new_kind_does_not_admit(side_a: Side) -> None:
    a = side_a.association
    staff = _staff(side_a)
    with tenant_context(a):
        staff = role_grants_set(association=a, actor=side_a.admin, role=staff,
                                grants=["content.publish"])  # fmt: skip
        changed = role_change(association=a, actor=side_a.admin, role=staff, kind="member")
        changed.refresh_from_db()
        assert changed.grants == []
        entry = AuditEntry.objects.filter(association=a, action="role.change").get()
        assert entry.data == {"grants_cleared": ["content.publish"]}
        # Made staff again, the old grant does not come back by itself.
        again = role_change(association=a, actor=side_a.admin, role=changed, kind="staff")
    assert not has_perm(_reload(again), Perm.PUBLISH_CONTENT)
