"""The secretariat hands schoolbags to a school (refused beyond the stock, then recorded),
gives a member an honor it agreed to show, opens the certificate; anyone's phone opens the
verification page the QR code names; the member's card shows the honor."""

from typing import Any

import pytest

from shanghui.charity.models import Honor
from shanghui.charity.tests.honors_helpers import give_goods, make_campaign, make_school
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import build_side
from tests.browser.steps import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_distribute_goods_and_give_a_verifiable_honor(
    live_server: Any, desktop_page: Any, phone_page: Any, privacy_notice: None
) -> None:
    a = build_side("甲市", "jiashi")
    campaign = make_campaign(a, "小书包行动")
    make_school(a, "乳源县第一中学")
    give_goods(a, campaign, quantity="100")
    office = f"{live_server.url}/a/jiashi/office/charity"

    desk = desktop_page
    desk.on("dialog", lambda dialog: dialog.accept())
    sign_in(desk, live_server.url, a.admin.phone or "")
    desk.goto(f"{office}/distributions/")
    assert "100个" in desk.inner_text("main")
    with desk.expect_navigation():
        desk.click("a:has-text('登记发放')")
    desk.select_option("#id_recipient", label="乳源县第一中学")
    desk.fill("#id_quantity", "120")
    with desk.expect_navigation():
        desk.click("main button[type=submit]")
    assert "发放数量超过库存：“书包”仅剩 100" in desk.inner_text("main")
    shot(desk, "charity-distribution-refused")
    desk.fill("#id_quantity", "60")
    with desk.expect_navigation():
        desk.click("main button[type=submit]")
    assert "已登记发放：书包 60个 → 乳源县第一中学" in desk.inner_text("main")
    assert "40个" in desk.inner_text("main")
    shot(desk, "charity-distributions")

    desk.goto(f"{office}/honors/")
    with desk.expect_navigation():
        desk.click("a:has-text('授予荣誉')")
    desk.fill("#id_title", "抗疫爱心企业")
    desk.fill("#id_member", a.member.name)
    desk.check("#id_shown_on_card")
    with desk.expect_navigation():
        desk.click("main form.sh-form button[type=submit]")
    assert "已登记荣誉“抗疫爱心企业”" in desk.inner_text("main")
    shot(desk, "charity-honor")
    with tenant_context(a.association):
        honor = Honor.objects.get()
    response = desk.request.get(f"{office}/honors/{honor.pk}/certificate.pdf")
    assert response.headers["content-type"] == "application/pdf"
    desk.goto(f"{office}/honors/")
    assert honor.certificate_no in desk.inner_text("main")
    shot(desk, "charity-honors")

    phone = phone_page
    phone.goto(f"{live_server.url}/a/jiashi/charity/verify/{honor.verify_token}/")
    text = phone.inner_text("main")
    assert "真实有效" in text and "抗疫爱心企业" in text and honor.certificate_no in text
    shot(phone, "charity-verify-phone")
    sign_in(phone, live_server.url, a.member_user.phone or "")
    phone.goto(f"{live_server.url}/a/jiashi/directory/{a.member.pk}/")
    assert "抗疫爱心企业" in phone.inner_text("main")
    shot(phone, "charity-card-phone")
