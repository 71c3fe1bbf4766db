"""The public charity pages: 404 unless the association discloses (and the campaign is
public), totals in 万/亿 with the exact figures, the honor roll of donors who agreed, never a
beneficiary; the link from the public site; the back office's dashboard and settings."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from shanghui.charity.models import Beneficiary, CharitySettings, Honor
from shanghui.core.audit import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .disclosure_helpers import campaign, disclose, gift, reverse

pytestmark = pytest.mark.django_db


def visit(url: str, client: Client | None = None, status: int = 200) -> str:
    response = (client or Client()).get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def epidemic(side: Side, *, public: bool = True) -> int:
    """The 2020 epidemic: 1.67亿元, of which cash 4,200万元."""
    a = side.association
    with tenant_context(a):
        drive = campaign(a, "2020抗击新冠肺炎疫情", public=public, goal_amount=Decimal("2e8"))
        gift(a, "42000000", campaign=drive, donor="赣商实业集团", name_public=True)
        gift(a, "125000000", campaign=drive, goods=True, donor="不愿署名的企业")
        gift(a, "500", donor="匿名爱心人士", name_public=True, anonymous=True)
        wrong = gift(a, "777", campaign=drive, donor="录错的捐赠方", name_public=True)
        reverse(a, wrong)
        gift(a, "2345000000", on=date(2019, 5, 1), donor="历年捐赠")
        gift(a, "500", note="给受助学生小明的学费", donor="结对资助企业")
    return drive.pk


def test_public_pages_are_404_until_the_association_discloses(side_a: Side) -> None:
    a = side_a.association
    drive = epidemic(side_a)
    base = f"/a/{a.slug}/charity/public/"
    for url in (base, f"{base}campaigns/{drive}/", f"{base}honor-roll/"):
        visit(url, status=404)
    with tenant_context(a):
        disclose(a, on=False)
    visit(base, status=404)
    with tenant_context(a):
        disclose(a)
    visit(base)
    visit(f"{base}campaigns/{drive}/")
    visit(f"{base}honor-roll/")
    visit(f"{base}campaigns/{drive + 999}/", status=404)
    visit(f"{base}campaigns/abc/", status=404)


def test_a_campaign_not_public_and_anothers_campaign_are_404(side_a: Side, side_b: Side) -> None:
    hidden = epidemic(side_a, public=False)
    theirs = epidemic(side_b)
    with tenant_context(side_a.association):
        disclose(side_a.association)
    with tenant_context(side_b.association):
        disclose(side_b.association)
    base = f"/a/{side_a.association.slug}/charity/public/campaigns/"
    visit(f"{base}{hidden}/", status=404)
    visit(f"{base}{theirs}/", status=404)
    page = visit(f"/a/{side_a.association.slug}/charity/public/")
    assert "2020抗击新冠肺炎疫情" not in page  # not public: neither listed


def test_totals_read_in_wan_and_yi_with_the_exact_figures(side_a: Side) -> None:
    a = side_a.association
    drive = epidemic(side_a)
    with tenant_context(a):
        disclose(a, intro="商会历年公益")
    page = visit(f"/a/{a.slug}/charity/public/")
    # 2,512,001,000元 in all: floored behind 超; the exact figure beside it.
    assert "超25亿元" in page
    assert "2,512,001,000.00元" in page
    assert "商会历年公益" in page
    assert "本平台仅用于记录和公开捐赠信息" in page
    campaign_page = visit(f"/a/{a.slug}/charity/public/campaigns/{drive}/")
    assert "1.67亿元，其中现金4,200万元" in campaign_page
    assert "167,000,000.00元" in campaign_page
    assert "本平台仅用于记录和公开捐赠信息" in campaign_page
    assert "书包：10个" in campaign_page
    assert "已完成 83%" in campaign_page  # 1.67亿 of a 2亿 goal


def test_the_honor_roll_names_only_who_agreed_and_never_a_beneficiary(side_a: Side) -> None:
    a = side_a.association
    drive = epidemic(side_a)
    with tenant_context(a):
        disclose(a)
        Beneficiary.objects.create(association=a, name="受助学生小明")
    for url in (
        f"/a/{a.slug}/charity/public/",
        f"/a/{a.slug}/charity/public/honor-roll/",
        f"/a/{a.slug}/charity/public/campaigns/{drive}/",
    ):
        page = visit(url)
        assert "赣商实业集团" in page
        for hidden in ("不愿署名的企业", "匿名爱心人士", "录错的捐赠方", "小明"):
            assert hidden not in page, (url, hidden)


def test_received_public_honors_show_revoked_and_unmarked_do_not(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        disclose(a)
        for title, public, revoked in (
            ("抗击新冠肺炎疫情先进组织", True, False),
            ("内部表彰", False, False),
            ("已撤销的荣誉", True, True),
        ):
            Honor.objects.create(
                association=a,
                direction=Honor.Direction.RECEIVED,
                title=title,
                awarded_by="全国工商联",
                awarded_on=date(2020, 9, 1),
                is_public=public,
                revoked_at=timezone.now() if revoked else None,
            )
    page = visit(f"/a/{a.slug}/charity/public/")
    assert "抗击新冠肺炎疫情先进组织" in page
    assert "内部表彰" not in page and "已撤销的荣誉" not in page


def test_the_public_site_links_the_charity_page_only_when_disclosed(side_a: Side) -> None:
    a = side_a.association
    link = f'href="/a/{a.slug}/charity/public/"'
    assert link not in visit(f"/a/{a.slug}/")
    with tenant_context(a):
        disclose(a)
    assert link in visit(f"/a/{a.slug}/")


def test_dashboard_for_the_secretariat_only(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    a = side_a.association
    epidemic(side_a)
    url = f"/a/{a.slug}/office/charity/"
    page = visit(url, admin_a)
    assert "25.12亿元" in page and "2,512,001,000.00元" in page
    assert 'id="chart-data"' in page and "<script>" not in page.replace("</script>", "")
    assert "赣商实业集团" in page
    year = visit(f"{url}?year=2019", admin_a)
    assert "23.45亿元" in year
    visit(f"{url}?year=abc", admin_a)  # ignored: every year
    visit(url, member_a, status=403)
    visit(url, Client(), status=302)


def test_settings_turn_disclosure_on_audit_logged(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    url = f"/a/{a.slug}/office/charity/settings/"
    assert "尚未公开" in visit(url, admin_a)
    response = admin_a.post(url, {"disclose_publicly": "on", "public_intro": "  我们的公益  "})
    assert response.status_code == 302
    with tenant_context(a):
        settings = CharitySettings.objects.get(association=a)
        entry = AuditEntry.objects.get(association=a, action="charity.settings.update")
    assert settings.disclose_publicly and settings.public_intro == "我们的公益"
    assert entry.actor == side_a.admin
    visit(f"/a/{a.slug}/charity/public/")


def test_an_english_reader_gets_cny_in_millions(side_a: Side) -> None:
    a = side_a.association
    drive = epidemic(side_a)
    with tenant_context(a):
        disclose(a)
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        page = visit(f"/a/{a.slug}/charity/public/campaigns/{drive}/", client)
        assert "CNY 167 million, of which" in page and "CNY 42 million" in page
        assert "over CNY 2.5 billion" in visit(f"/a/{a.slug}/charity/public/", client)
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the request left English active
