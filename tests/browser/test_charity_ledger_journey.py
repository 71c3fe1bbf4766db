"""The secretariat records a cash gift and a goods gift for a campaign on the ledger's form
(the goods fields appear only for goods, the member is picked by name) → the ledger shows
both and their total → the acknowledgement PDF downloads with its text and its font → the
campaign's public page, opened by a visitor, shows the new total in 万 and exactly."""

import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from shanghui.charity.models import Campaign, CharitySettings, Donation
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side
from shanghui.testing.programs import require_programs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots go to $SHOTS_DIR when set (to look at them), else to the test's tmp_path.
SHOTS = os.environ.get("SHOTS_DIR", "")


def test_recording_gifts_and_downloading_the_acknowledgement(
    desktop_page: Any, live_server: Any, side_a: Side, privacy_notice: None, tmp_path: Path,
    browser: Any,
) -> None:  # fmt: skip
    require_programs("pdftotext", "pdffonts", package="poppler-utils")
    shots = Path(SHOTS or tmp_path)
    a = side_a.association
    with tenant_context(a):
        drive = Campaign.objects.create(
            association=a,
            title="乳源·阳江·陆河助学",
            starts_on=date(2026, 1, 1),
            status=Campaign.Status.ACTIVE,
            is_public=True,
        )
        CharitySettings.objects.create(association=a, disclose_publicly=True)
    page = desktop_page
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_phone", side_a.admin.phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")

    office = f"{base}/a/{a.slug}/office/charity/donations/"
    page.goto(office)
    page.get_by_role("link", name="登记捐赠").click()
    expect(page.get_by_text("不向社会公众募集资金")).to_be_visible()
    expect(page.locator("#id_item")).to_be_hidden()  # cash by default
    page.fill("#id_donor_member", side_a.member.name)
    page.fill("#id_amount", "1,500,000")
    page.fill("#id_donated_on", "2026-02-01")
    page.select_option("#id_campaign", str(drive.pk))
    page.fill("#id_recipient_name", "乳源县第一中学")
    page.check("#id_name_public")
    page.screenshot(path=str(shots / "form-cash.png"), full_page=True)
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_text("已登记捐赠")).to_be_visible()
    expect(page.get_by_text("¥1,500,000.00")).to_be_visible()

    page.goto(f"{office}new/?campaign={drive.pk}")
    page.get_by_label("其他捐赠方").check()
    expect(page.locator("#id_donor_member")).to_be_hidden()
    page.fill("#id_donor_name", "深圳爱心文具厂")
    page.get_by_label("物资", exact=True).check()
    expect(page.locator("#id_item")).to_be_visible()
    page.fill("#id_item", "书包")
    page.fill("#id_quantity", "10000")
    page.fill("#id_unit", "个")
    page.fill("#id_amount", "120000")
    page.fill("#id_donated_on", "2026-03-01")
    page.get_by_role("button", name="登记", exact=True).click()
    # No basis of the value: refused in Chinese, the form keeps what was typed.
    expect(page.get_by_text("请选择物资价值的依据（发票价、市场价或评估价）")).to_be_visible()
    expect(page.locator("#id_item")).to_have_value("书包")
    page.select_option("#id_value_basis", "invoice")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_text("已登记捐赠")).to_be_visible()

    page.goto(office)
    expect(page.locator(".stat__value").first).to_have_text("¥1,620,000.00")
    page.screenshot(path=str(shots / "ledger.png"), full_page=True)
    page.get_by_role("link", name=side_a.member.name).click()
    page.screenshot(path=str(shots / "donation.png"), full_page=True)
    with page.expect_download() as download_info:
        page.evaluate(
            "() => { const a = [...document.querySelectorAll('a')].find("
            "l => l.textContent.includes('捐赠证明')); a.setAttribute('download', ''); a.click(); }"
        )
    pdf_path = tmp_path / "acknowledgement.pdf"
    download_info.value.save_as(str(pdf_path))
    text = "".join(
        subprocess.run(
            ["pdftotext", str(pdf_path), "-"],  # noqa: S607
            capture_output=True,
            check=True,
            text=True,
        ).stdout.split()
    )
    assert "壹佰伍拾万元整" in text and side_a.member.name in text
    assert "不是公益事业捐赠统一票据" in text
    fonts = subprocess.run(
        ["pdffonts", str(pdf_path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()[2:]
    assert fonts and all(row.split()[-5] == "yes" for row in fonts)
    with tenant_context(a):
        assert Donation.objects.filter(association=a).count() == 2

    # A visitor (no account) reads the campaign's public page: 162万元, and the exact figure.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        public = visitor.new_page()
        public.goto(f"{base}/a/{a.slug}/charity/public/campaigns/{drive.pk}/")
        expect(public.locator(".stat__value").first).to_have_text("162万元")
        expect(public.get_by_text("1,620,000", exact=False).first).to_be_visible()
        expect(public.get_by_text("深圳爱心文具厂")).to_have_count(0)  # did not agree to be named
        public.screenshot(path=str(shots / "public-campaign.png"), full_page=True)
    finally:
        visitor.close()
