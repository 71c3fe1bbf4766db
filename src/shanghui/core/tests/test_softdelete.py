"""The recycle bin's shared rules (``core.softdelete``), for every table that uses it: deleted
rows are out of the default manager and of reverse relations, and unique constraints hold
only among rows not deleted — so a deleted row neither shows nor keeps its name."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint

from shanghui.core.softdelete import SoftDeleteModel, restore, soft_delete
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Representative
from shanghui.testing.factories import PersonFactory, RepresentativeFactory
from shanghui.testing.fixtures import Side


def soft_delete_models() -> list[type[SoftDeleteModel]]:
    return [m for m in apps.get_models() if issubclass(m, SoftDeleteModel)]


def test_every_recycle_bin_table_hides_deleted_rows_and_frees_their_names() -> None:
    models = soft_delete_models()
    assert {m.__name__ for m in models} >= {
        "Term", "Post", "Appointment", "Committee", "CommitteeMembership", "Branch",
        "Representative",
    }  # fmt: skip
    for model in models:
        assert model._default_manager.name == "objects", model
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                condition = str(constraint.condition)
                assert "('deleted_at__isnull', True)" in condition, (model, constraint.name)


@pytest.mark.django_db
def test_deleted_rows_leave_reverse_relations_and_come_back(side_a: Side) -> None:
    a = side_a.association
    colleague = PersonFactory(association=a, name="罗同事")
    second = RepresentativeFactory(association=a, member=side_a.member, person=colleague)
    with tenant_context(a):
        soft_delete(
            association=a, actor=side_a.admin, obj=second, action="test.delete", summary="x"
        )
        assert [r.person.name for r in side_a.member.representatives.all()] == ["龚志军"]
        assert not Representative.objects.filter(pk=second.pk).exists()
        assert Representative.with_deleted.get(pk=second.pk).deleted_by == side_a.admin
        # The name is free while deleted: the same person may be linked again …
        again = RepresentativeFactory(association=a, member=side_a.member, person=colleague)
        with pytest.raises(ValidationError, match="已有"):
            restore(
                association=a,
                actor=side_a.admin,
                obj=second,
                action="test.restore",
                summary="x",
                conflict="已有",
            )
        again.delete()
        restore(
            association=a,
            actor=side_a.admin,
            obj=second,
            action="test.restore",
            summary="x",
            conflict="已有",
        )
        assert len(side_a.member.representatives.all()) == 2
