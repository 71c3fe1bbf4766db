"""A person's rights over their data, as production runs them (on PostgreSQL: as the
application role, under row-level security): deleting the account works for someone with
records in several associations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shanghui.accounts.models import Invitation, Role
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Person
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import PASSWORD, PersonFactory, RoleFactory
from shanghui.testing.fixtures import Side, client_for


@pytest.mark.django_db
def test_deleting_the_account_of_someone_in_two_associations(side_a: Side, side_b: Side) -> None:
    """Their roles end, their pending invitations expire and their member records are
    unlinked in every association (under row-level security this answered 500 and changed
    nothing for everyone with a member record)."""
    user = side_a.member_user
    b = side_b.association
    RoleFactory(association=b, user=user, kind=Role.Kind.MEMBER)
    with tenant_context(b):
        PersonFactory(association=b, name=user.name, user=user)
        Invitation.objects.create(
            association=b,
            user=user,
            role_kind=Role.Kind.STAFF,
            token_hash="x" * 64,
            expires_at=timezone.now() + timedelta(days=7),
        )
    client = client_for(user)
    with as_app_role():
        response = client.post("/me/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    for association in (side_a.association, b):
        with tenant_context(association):
            assert not Person.objects.filter(user=user).exists()
            assert not Role.objects.filter(user=user, is_active=True).exists()
            assert not Invitation.objects.filter(user=user, expires_at__gt=timezone.now()).exists()
    with tenant_context(side_a.association):  # the association's record stays, unlinked
        assert Person.objects.get(pk=side_a.person.pk).name == side_a.person.name
    user.refresh_from_db()
    assert (user.phone, user.is_active) == (None, False)
