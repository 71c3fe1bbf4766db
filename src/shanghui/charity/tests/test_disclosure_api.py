"""The API of totals and disclosure: the dashboard's figures and the settings for the
secretariat; the public disclosure for anyone, 404 unless the association discloses."""

from decimal import Decimal

import pytest
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side, api_client_for

from .disclosure_helpers import campaign, disclose, gift

pytestmark = pytest.mark.django_db


def giving(side: Side) -> tuple[int, int]:
    a = side.association
    with tenant_context(a):
        drive = campaign(a, "2020抗击新冠肺炎疫情", region_codes=["440232"])
        hidden = campaign(a, "内部项目", public=False)
        gift(a, "42000000", campaign=drive, donor="赣商实业集团", name_public=True)
        gift(a, "125000000", campaign=drive, goods=True, donor="不愿署名的企业")
        gift(a, "1000", campaign=hidden, donor="内部捐赠方", name_public=True)
    return drive.pk, hidden.pk


def test_totals_and_settings_for_the_secretariat(side_a: Side) -> None:
    giving(side_a)
    base = f"/api/v1/associations/{side_a.association.slug}/charity"
    admin = api_client_for(side_a.admin)
    body = admin.get(f"{base}/totals").json()
    assert Decimal(body["totals"]["total"]) == Decimal("167001000")
    assert body["totals"]["headline"] == "1.67亿元，其中现金4,200.1万元"
    assert body["years"] == [2020]
    assert body["top_donors"][0]["name"] == "不愿署名的企业"
    assert admin.get(f"{base}/totals?year=2019").json()["totals"]["total"] in ("0.00", "0")
    member = api_client_for(side_a.member_user)
    assert member.get(f"{base}/totals").status_code == 403
    assert member.put(f"{base}/settings", {}, content_type="application/json").status_code == 403
    answer = admin.put(
        f"{base}/settings",
        {"disclose_publicly": True, "public_intro": "公益介绍"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["disclose_publicly"] is True
    assert admin.get(f"{base}/settings").json()["public_intro"] == "公益介绍"


def test_public_disclosure_for_anyone_once_disclosed(side_a: Side) -> None:
    drive, hidden = giving(side_a)
    a = side_a.association
    base = f"/api/v1/public/associations/{a.slug}/charity"
    anyone = Client()
    for path in ("", f"/campaigns/{drive}", "/honor-roll"):
        assert anyone.get(f"{base}{path}").status_code == 404
    with tenant_context(a):
        disclose(a)
    body = anyone.get(base).json()
    assert body["totals"]["total_text"] == "超1.6亿元"
    assert body["totals"]["total"] == "167001000.00"
    assert [c["title"] for c in body["campaigns"]] == ["2020抗击新冠肺炎疫情"]
    assert [e["name"] for e in body["honor_roll"]] == ["赣商实业集团"]
    one = anyone.get(f"{base}/campaigns/{drive}").json()
    assert one["received"]["headline"] == "1.67亿元，其中现金4,200万元"
    assert one["regions"] and one["honor_roll"][0]["name"] == "赣商实业集团"
    assert anyone.get(f"{base}/campaigns/{hidden}").status_code == 404
    assert [e["name"] for e in anyone.get(f"{base}/honor-roll").json()] == ["赣商实业集团"]


def test_another_associations_campaign_is_404(side_a: Side, side_b: Side) -> None:
    theirs, _hidden = giving(side_b)
    with tenant_context(side_a.association):
        disclose(side_a.association)
    with tenant_context(side_b.association):
        disclose(side_b.association)
    url = f"/api/v1/public/associations/{side_a.association.slug}/charity/campaigns/{theirs}"
    assert Client().get(url).status_code == 404
