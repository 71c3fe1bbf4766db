from datetime import date

import pytest
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.members.dashboard import membership_figures
from shanghui.members.services.policy import level_save
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side


@pytest.mark.django_db
def test_dashboard_figures(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        top = level_save(
            association=a, actor=side_a.admin, name="会长单位", rank=1, annual_fee=50000
        )
    MemberFactory(
        association=a,
        level=top,
        industry_code="39",
        hometown_code="360731",
        joined_on=date(2020, 1, 5),
    )
    MemberFactory(
        association=a,
        industry_code="39",
        hometown_code="360732",
        joined_on=date(2021, 3, 1),
        status="arrears",
    )
    MemberFactory(association=a, industry_code="52", joined_on=date(2019, 6, 1), status="withdrawn")
    with tenant_context(a):
        figures = membership_figures(a)
    assert (figures.total, figures.in_good_standing, figures.in_arrears) == (4, 3, 1)
    assert figures.by_industry.labels[0] == "计算机、通信和其他电子设备制造业"
    assert figures.by_industry.values[0] == 2
    assert figures.by_hometown.labels == ["江西省赣州市"] and figures.by_hometown.values == [2]
    assert dict(zip(figures.by_level.labels, figures.by_level.values, strict=True))["会长单位"] == 1
    # Joined before this year: 3 with a join date (the factory member has none); 1 still active.
    assert figures.renewal_rate == round(1 / 3, 3)


@pytest.mark.django_db
def test_dashboard_page_carries_chart_data(side_a: Side, admin_a: Client) -> None:
    page = admin_a.get(f"/a/{side_a.association.slug}/office/").content.decode()
    assert 'id="chart-data"' in page and "echarts.common.min.js" in page
