"""The secretariat chooses a bank's loan for its members; a member on the phone applies,
ticking only name and phone for the named bank, finds the consent in 我的服务申请, rates the
service and withdraws the consent; the bank's lead is empty afterwards."""

from typing import Any

import pytest

from shanghui.core.tenancy import provider_context
from shanghui.providers.models import Lead
from shanghui.providers.tests.p2_helpers import make_offer, make_provider
from shanghui.testing.fixtures import build_side
from tests.browser.steps import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choose_apply_rate_and_withdraw(
    live_server: Any, desktop_page: Any, phone_page: Any, privacy_notice: None
) -> None:
    a = build_side("甲市", "jiashi")
    bank = make_provider()
    offer = make_offer(bank)

    desk = desktop_page
    sign_in(desk, live_server.url, a.admin.phone or "")
    desk.goto(f"{live_server.url}/a/jiashi/office/services/")
    assert "年化利率 3.45%–4.20%" in desk.inner_text("main")
    with desk.expect_navigation():
        desk.click("main button:has-text('选用')")
    assert "会员现在可以在“会员服务”中看到该服务" in desk.inner_text("main")
    shot(desk, "providers-office-offer")

    phone = phone_page
    sign_in(phone, live_server.url, a.member_user.phone or "")
    phone.goto(f"{live_server.url}/a/jiashi/services/")
    with phone.expect_navigation():
        phone.click(f"text={offer.title}")
    with phone.expect_navigation():
        phone.click("text=我要申请")
    assert bank.name in phone.inner_text("main")
    phone.check("input[name=shared_fields][value=name]")
    phone.check("input[name=shared_fields][value=phone]")
    shot(phone, "providers-member-apply")
    with phone.expect_navigation():
        phone.click("button:has-text('同意并提交申请')")
    assert "请确认同意" in phone.inner_text("main")  # the agreement is never pre-ticked
    phone.check("input[name=shared_fields][value=name]")
    phone.check("input[name=shared_fields][value=phone]")
    phone.check("#id_agree")
    with phone.expect_navigation():
        phone.click("button:has-text('同意并提交申请')")
    text = phone.inner_text("main")
    assert "授权提供：姓名、手机号" in text and "授权有效" in text
    shot(phone, "providers-member-applications")
    with provider_context(bank):
        assert set(Lead.objects.get().shared) == {"name", "phone"}

    with phone.expect_navigation():
        phone.click("text=评价服务")
    phone.check("input[name=rating][value='5']")
    phone.fill("#id_comment", "审批很快")
    with phone.expect_navigation():
        phone.click("button:has-text('提交评价')")
    with phone.expect_navigation():
        phone.click("text=撤回授权")
    with phone.expect_navigation():
        phone.click("button:has-text('确认撤回授权')")
    assert "已撤回授权" in phone.inner_text("main")
    with provider_context(bank):
        assert Lead.objects.get().shared == {}

    desk.goto(f"{live_server.url}/a/jiashi/office/services/usage/")
    assert "审批很快" in desk.inner_text("main")
    shot(desk, "providers-office-usage")
