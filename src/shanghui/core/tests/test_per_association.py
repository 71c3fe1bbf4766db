"""The daily per-association command: one association's failure does not stop the others."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from shanghui.associations.models import Association
from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.testing.fixtures import Side


class Greet(PerAssociationCommand):
    def handle_association(self, association: Association, **options: Any) -> str | None:
        if association.slug == "jiashi":
            raise RuntimeError("坏了")
        return "你好"


@pytest.mark.django_db
def test_a_failing_association_is_reported_and_the_next_one_still_done(
    side_a: Side, side_b: Side
) -> None:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 个商协会处理失败（共 2 个）"):
        call_command(Greet(), stdout=out, stderr=err, verbosity=2)
    assert "jiashi: 失败：坏了" in err.getvalue()
    assert "yishi: 你好" in out.getvalue()
    assert "共处理 2 个商协会，失败 1 个" in out.getvalue()


@pytest.mark.django_db
def test_only_active_associations_unless_asked(side_a: Side, side_b: Side) -> None:
    Association.objects.filter(pk=side_b.association.pk).update(status=Association.Status.SUSPENDED)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(Greet(), stdout=out, stderr=StringIO())
    assert "yishi" not in out.getvalue()
    with pytest.raises(CommandError, match="没有找到正常运营的商协会 'yishi'"):
        call_command(Greet(), association="yishi")
