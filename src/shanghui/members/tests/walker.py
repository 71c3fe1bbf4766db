"""Teaches the isolation walker this module's objects of association B."""

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Level
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    with tenant_context(side_b.association):
        level = Level.objects.create(
            association=side_b.association, name="乙市理事单位", rank=1, annual_fee=5000
        )
    return {"level_id": str(level.pk)}, ["乙市理事单位"]
