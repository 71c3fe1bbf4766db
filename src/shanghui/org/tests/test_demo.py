from io import StringIO

import pytest
from django.core.management import call_command

from shanghui.associations.models import Association
from shanghui.core.demo import GDJX, GDSL, ZSJX
from shanghui.core.tenancy import tenant_context
from shanghui.org import selectors
from shanghui.org.models import Appointment, CommitteeMembership, Term


@pytest.mark.django_db
def test_the_demo_chamber_has_its_organisation() -> None:
    call_command("seed_demo", members=400, stdout=StringIO())
    gdjx = Association.objects.get(slug=GDJX.slug)
    with tenant_context(gdjx):
        assert list(Term.objects.values_list("name", "is_current")) == [
            ("第六届理事会", True),
            ("第五届理事会", False),
        ]
        current = selectors.current_term(association=gdjx)
        assert current is not None
        seats = {
            row.post.name: len(row.appointments)
            for row in selectors.term_roster(association=gdjx, term=current)
        }
        assert (seats["会长"], seats["执行会长"], seats["常务副会长"], seats["秘书长"]) == (
            1,
            1,
            8,
            1,
        )
        assert (seats["副会长"], seats["理事"], seats["监事长"], seats["监事"]) == (30, 120, 1, 3)
        # The demo member account sits as a 常务副会长.
        assert Appointment.objects.filter(
            term=current, post__name="常务副会长", person__phone=GDJX.member_phone
        ).exists()
        assert not Appointment.objects.filter(term__number=5, ends_on=None).exists()
        assert CommitteeMembership.objects.filter(role="chair").count() == 16
        chart = selectors.org_chart(association=gdjx)
        assert chart is not None and chart.term == current
        groups = list(selectors.group_members(association=gdjx))
        figures = selectors.group_member_figures(association=gdjx, groups=groups)
    # 中山 shares its member count with the provincial chamber, not with the federation.
    zhongshan = next(
        g for g in groups if g.linked_association and g.linked_association.slug == ZSJX.slug
    )
    assert list(figures) == [zhongshan.pk] and figures[zhongshan.pk].member_count > 0
    gdsl = Association.objects.get(slug=GDSL.slug)
    with tenant_context(gdsl):
        groups = list(selectors.group_members(association=gdsl))
        assert selectors.group_member_figures(association=gdsl, groups=groups) == {}
