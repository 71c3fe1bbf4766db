"""A member posts a need on a phone (the region picker, the visibility the association
allows), sees it in 我的供需 and renews it; the secretariat, on a desktop, takes it down
with a reason, and the member's list says so."""

from typing import Any

import pytest

from shanghui.core.tenancy import tenant_context
from shanghui.network.models import Listing
from shanghui.testing.fixtures import build_side
from tests.browser.steps import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_post_a_need_and_have_it_taken_down(
    live_server: Any, desktop_page: Any, phone_page: Any, privacy_notice: None
) -> None:
    a = build_side("甲市", "jiashi")
    space = f"{live_server.url}/a/jiashi"

    phone = phone_page
    phone.on("dialog", lambda dialog: dialog.accept())
    sign_in(phone, live_server.url, a.member_user.phone or "")
    phone.goto(f"{space}/network/mine/")
    with phone.expect_navigation():
        phone.click("a:has-text('发布需求')")
    assert "平台供需网络" not in phone.inner_text("main")  # the association has not joined
    phone.fill("#id_title", "采购螺纹钢")
    phone.fill("#id_body", "长期采购 HRB400，月需 500 吨")
    phone.select_option("#id_industry_code", value="32")
    phone.select_option("#id_region_code", value="360000")
    phone.wait_for_selector("#id_region_code_city option[value='360100']", state="attached")
    phone.select_option("#id_region_code_city", value="360100")
    phone.fill("#id_quantity", "500 吨/月")
    phone.fill("#id_contact", "龚先生 13800001111")
    shot(phone, "network-listing-new")
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    assert "已发布" in phone.inner_text("body")
    assert "龚先生 13800001111" in phone.inner_text("main")
    shot(phone, "network-listing-own")
    with phone.expect_navigation():
        phone.click("button:has-text('续期 90 天')")
    assert "已续期至" in phone.inner_text("body")
    with tenant_context(a.association):
        listing = Listing.objects.get()
    assert listing.region_code.startswith("3601") and listing.renewed_times == 1

    desk = desktop_page
    desk.on("dialog", lambda dialog: dialog.accept())
    sign_in(desk, live_server.url, a.admin.phone or "")
    desk.goto(f"{space}/office/network/?tab=published")
    with desk.expect_navigation():
        desk.click("a:has-text('采购螺纹钢')")
    desk.fill("#id_reason", "信息不实")
    with desk.expect_navigation():
        desk.click("button.btn--danger")
    assert "已下架" in desk.inner_text("main")
    shot(desk, "network-office-listing")

    phone.goto(f"{space}/network/mine/")
    assert "已下架" in phone.inner_text("main")
    shot(phone, "network-my-listings")
