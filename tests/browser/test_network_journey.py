"""Issue 19's journey across two associations that both joined the platform network: a member
of 甲市 posts a platform-wide need on a phone → a member of 乙市 opens the matches of 乙市's
own offer and finds it there → sends an inquiry (我要洽谈) → the poster replies and shares a
contact → the inquirer sees the contact → the poster registers the deal with its value → on a
desktop, the deal counts in both associations' 供需对接 reports."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shanghui.core.tenancy import tenant_context
from shanghui.network.models import ListingKind, Visibility
from shanghui.network.services.listings import ListingInput, listing_create
from shanghui.network.services.settings import network_settings_update
from shanghui.testing.fixtures import Side, build_side
from tests.browser.steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots go to $SHOTS_DIR when set (to look at them), else to the test's tmp_path.
SHOTS = os.environ.get("SHOTS_DIR", "")
PHONE = {"width": 390, "height": 844}
NEED = "采购螺纹钢 HRB400"
CONTACT = "龚经理 13912345678"


def _phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _figure(report: Any, label: str) -> Any:
    """One figure of the office report's stat cards."""
    return report.locator(".stat", has_text=label).locator(".stat__value")


def _joined(side: Side) -> None:
    with tenant_context(side.association):
        network_settings_update(
            association=side.association,
            actor=side.admin,
            joins_platform=True,
            moderate_before_publishing=False,
        )


def _offer_of(side: Side) -> int:
    """乙市's member already offers rebar across the platform, in the same industry and city."""
    with tenant_context(side.association):
        listing = listing_create(
            association=side.association,
            actor=side.member_user,
            data=ListingInput(
                kind=ListingKind.OFFER,
                title="供应螺纹钢 HRB400 现货",
                body="国标螺纹钢，现货充足，可送货上门。",
                industry_code="32",
                region_code="360100",
                valid_until=timezone.localdate() + timedelta(days=90),
                visibility=Visibility.PLATFORM,
                contact="乙市 龚女士 13700001111",
            ),
        )
    return listing.pk


def test_a_need_meets_an_offer_of_another_association_and_closes(
    browser: Any, desktop_page: Any, live_server: Any, privacy_notice: None, tmp_path: Path
) -> None:
    shots = Path(SHOTS or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    a = build_side("甲市", "jiashi")
    b = build_side("乙市", "yishi")
    _joined(a)
    _joined(b)
    offer_id = _offer_of(b)
    space_a, space_b = f"{base}/a/jiashi", f"{base}/a/yishi"

    # 甲市's member posts a platform-wide need on a phone.
    poster = _phone(browser)
    sign_in(poster, base, a.member_user.phone or "")
    poster.goto(f"{space_a}/network/mine/")
    poster.get_by_role("link", name="发布需求").click()
    poster.fill("#id_title", NEED)
    poster.fill("#id_body", "长期采购螺纹钢，月需 500 吨，要求国标。")
    poster.select_option("#id_industry_code", value="32")
    poster.select_option("#id_region_code", value="360000")
    poster.wait_for_selector("#id_region_code_city option[value='360100']", state="attached")
    poster.select_option("#id_region_code_city", value="360100")
    poster.fill("#id_quantity", "500 吨/月")
    poster.get_by_label("平台供需网络").check()
    poster.fill("#id_contact", CONTACT)
    poster.screenshot(path=str(shots / "1-need-form.png"), full_page=True)
    poster.locator("main button[type=submit]").click()
    expect(poster.locator("#messages")).to_contain_text("已发布")
    expect(poster.locator("main")).to_contain_text("平台供需网络")

    # 乙市's member opens the matches of their own offer and finds 甲市's need.
    inquirer = _phone(browser)
    sign_in(inquirer, base, b.member_user.phone or "")
    inquirer.goto(f"{space_b}/network/listings/{offer_id}/")
    inquirer.get_by_role("link", name="查看匹配").click()
    expect(inquirer.get_by_text("匹配的需求")).to_be_visible()
    match = inquirer.locator("a.weui-cell", has_text=NEED)
    expect(match).to_contain_text("同行业")
    expect(match).to_contain_text("甲市江西商会")
    inquirer.screenshot(path=str(shots / "2-matches.png"), full_page=True)
    match.click()
    main = inquirer.locator("main")
    expect(main).to_contain_text(NEED)
    expect(main).not_to_contain_text("13912345678")  # no contact across associations
    inquirer.screenshot(path=str(shots / "3-listing.png"), full_page=True)
    inquirer.get_by_role("link", name="我要洽谈").click()
    inquirer.locator("main textarea").fill("您好，我司有现货螺纹钢，可月供 500 吨，请联系。")
    inquirer.get_by_role("button", name="发送").click()
    expect(main).to_contain_text("可月供 500 吨")
    expect(main).to_contain_text("对方尚未提供联系方式")
    inquirer.screenshot(path=str(shots / "4-inquiry-sent.png"), full_page=True)

    # The poster replies from 我的洽谈 and shares the listing's contact.
    poster.goto(f"{space_a}/network/conversations/")
    poster.screenshot(path=str(shots / "5-poster-conversations.png"), full_page=True)
    poster.locator("main a", has_text=NEED).first.click()
    expect(poster.locator("main")).to_contain_text("可月供 500 吨")
    poster.locator("main textarea").fill("感谢，请报价，我们下周签约。")
    poster.get_by_role("button", name="发送", exact=True).click()
    expect(poster.locator("main")).to_contain_text("下周签约")
    poster.get_by_label("使用信息中填写的联系方式").check()
    poster.get_by_role("button", name="提供给对方").click()
    expect(poster.locator("main")).to_contain_text(f"已提供给对方：{CONTACT}")
    poster.screenshot(path=str(shots / "6-poster-thread.png"), full_page=True)

    # The inquirer now sees the reply and the contact.
    inquirer.reload()
    expect(main).to_contain_text("下周签约")
    expect(main).to_contain_text(f"对方联系方式：{CONTACT}")
    inquirer.screenshot(path=str(shots / "7-inquirer-sees-contact.png"), full_page=True)

    # The poster registers the deal with its value.
    poster.get_by_role("link", name="登记成交").click()
    poster.locator("main input[name=value]").fill("1,250,000")
    poster.screenshot(path=str(shots / "8-deal-form.png"), full_page=True)
    poster.get_by_role("button", name="确认成交").click()
    expect(poster.locator("main")).to_contain_text("已登记成交")
    expect(poster.locator("main")).to_contain_text("1,250,000")
    poster.screenshot(path=str(shots / "9-deal-made.png"), full_page=True)

    # Both associations' offices count the deal.
    office = desktop_page
    for side, space, name in ((a, space_a, "a"), (b, space_b, "b")):
        office.context.clear_cookies()
        sign_in(office, base, side.admin.phone or "")
        office.goto(f"{space}/office/network/report/")
        report = office.locator("main")
        expect(report).to_contain_text("对接成功数")

        expect(_figure(report, "对接成功数")).to_have_text("1")
        expect(_figure(report, "成交金额")).to_have_text("125万元")
        expect(_figure(report, "匹配促成洽谈")).to_have_text("1")  # reached through 查看匹配
        office.screenshot(path=str(shots / f"10-report-{name}.png"), full_page=True)
