"""A bank applies to the platform with its licence, the operator opens the scan and approves
it, and the bank's administrator publishes a loan (refused first without its annual rate) and
follows up a lead with a status and a note in its back office."""

from pathlib import Path
from typing import Any

import pytest

from shanghui.providers.models import Offer, Provider
from shanghui.providers.tests.p1_helpers import lead_of
from shanghui.testing.factories import UserFactory, make_uscc
from shanghui.testing.fixtures import build_side
from tests.browser.steps import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bank_applies_is_approved_and_follows_up_a_lead(
    live_server: Any, desktop_page: Any, browser: Any, privacy_notice: None, tmp_path: Path
) -> None:
    a = build_side("甲市", "jiashi")
    url = live_server.url
    licence = tmp_path / "金融许可证.pdf"
    licence.write_bytes(b"%PDF-1.4 licence")

    desk = desktop_page
    sign_in(desk, url, a.admin.phone or "")
    desk.goto(f"{url}/providers/apply/")
    desk.fill("#id_name", "深圳农村商业银行")
    desk.select_option("#id_category", "bank")
    desk.fill("#id_uscc", make_uscc("91"))
    desk.fill("#id_licence_number", "B0234H244030001")
    desk.set_input_files("#id_licence", str(licence))
    desk.select_option("select[name=region_code]", "440000")
    desk.fill("#id_contact_name", "李经理")
    desk.fill("#id_contact_phone", "13800138000")
    shot(desk, "provider-apply")
    with desk.expect_navigation():
        desk.click("main button[type=submit], form button[type=submit]")
    assert "待审核" in desk.inner_text("body")
    provider = Provider.objects.get(name="深圳农村商业银行")

    operator = UserFactory(is_platform_operator=True)
    console = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    op = console.new_page()
    sign_in(op, url, operator.phone or "")
    op.goto(f"{url}/platform/providers/")
    with op.expect_navigation():
        op.click("a:has-text('深圳农村商业银行')")
    assert "查看许可证扫描件" in op.inner_text("main")
    shot(op, "provider-console")
    with op.expect_navigation():
        op.click("button[value=approve]")
    assert "已通过" in op.inner_text("main")
    console.close()

    desk.goto(f"{url}/me/")
    with desk.expect_navigation():
        desk.click("a:has-text('我的服务商后台')")
    assert "深圳农村商业银行" in desk.inner_text("main")
    desk.click("nav a:has-text('服务产品')")
    with desk.expect_navigation():
        desk.click("a:has-text('新建产品')")
    desk.fill("#id_title", "商会会员专属贷款")
    desk.fill("#id_summary", "纯信用，最快当天放款")
    with desk.expect_navigation():
        desk.click("main form.sh-form button[type=submit]")
    assert "贷款类产品须注明年化利率区间" in desk.inner_text("main")
    desk.fill("#id_annual_rate_min", "3.45")
    desk.fill("#id_annual_rate_max", "6")
    with desk.expect_navigation():
        desk.click("main form.sh-form button[type=submit]")
    assert "年化利率 3.45%–6%" in desk.inner_text("main")
    with desk.expect_navigation():
        desk.click("button:has-text('上架')")
    assert "已上架" in desk.inner_text("main")
    shot(desk, "provider-offer")

    offer = Offer.objects.get(title="商会会员专属贷款")
    lead = lead_of(offer, association=a.association, name="龚志军")
    desk.goto(f"{url}/p/{provider.slug}/")
    shot(desk, "provider-dashboard")
    desk.goto(f"{url}/p/{provider.slug}/leads/")
    with desk.expect_navigation():
        desk.click("a:has-text('商会会员专属贷款')")
    assert "龚志军" in desk.inner_text("main")
    desk.select_option("#id_status", "contacted")
    with desk.expect_navigation():
        desk.click("button:has-text('更新状态')")
    desk.fill("#id_text", "已电话联系，约周三面谈")
    with desk.expect_navigation():
        desk.click("button:has-text('添加')")
    main = desk.inner_text("main")
    assert "已电话联系，约周三面谈" in main and "已联系" in main
    shot(desk, "provider-lead")
    assert lead.pk
