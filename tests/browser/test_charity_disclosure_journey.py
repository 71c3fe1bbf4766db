"""The secretariat looks at its charity figures (charts drawn under the CSP), turns public
disclosure on, and a visitor on a phone reads the totals in 万/亿 and exactly, from the
public site's link to a campaign's page."""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shanghui.accounts.models import User
from shanghui.charity.models import Campaign, GiftKind
from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"{name}.png"), full_page=True)


def sign_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_phone", user.phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def giving(side: Side) -> Campaign:
    a = side.association
    with tenant_context(a):
        drive = Campaign.objects.create(
            association=a,
            title="2020抗击新冠肺炎疫情",
            starts_on=date(2020, 1, 25),
            status=Campaign.Status.CLOSED,
            goal_amount=Decimal("150000000"),
            is_public=True,
        )
        for amount, kind, on in (
            ("42000000", GiftKind.CASH, date(2020, 2, 1)),
            ("125000000", GiftKind.GOODS, date(2020, 2, 10)),
            ("2345000000", GiftKind.CASH, date(2019, 5, 1)),
        ):
            goods = {"item": "口罩", "quantity": Decimal("1000000"), "unit": "只",
                     "value_basis": "market"} if kind == GiftKind.GOODS else {}  # fmt: skip
            donation_record(
                association=a,
                actor=side.admin,
                donor=DonorInput(kind="member", member=side.member),
                gift=GiftInput(kind=kind, amount=Decimal(amount), **goods),  # type: ignore[arg-type]
                donated_on=on,
                campaign=drive if on.year == 2020 else None,
                name_public=True,
            )
    return drive


def test_dashboard_then_disclosure_then_the_public_pages(
    live_server: Any, desktop_page: Any, phone_page: Any, side_a: Side, tmp_path: Path
) -> None:
    base, slug = live_server.url, side_a.association.slug
    drive = giving(side_a)
    page = desktop_page
    sign_in(page, base, side_a.admin)
    page.goto(f"{base}/a/{slug}/office/charity/")
    page.wait_for_selector("[data-chart=by_year] svg")
    page.wait_for_selector("[data-chart=kinds] svg")
    shot(page, tmp_path, "charity-dashboard-desktop")
    assert "25.12亿元" in page.inner_text("main")
    page.select_option("#charity-year", "2020")
    page.click("button:has-text('查看')")
    page.wait_for_load_state("load")
    assert "1.67亿元" in page.inner_text("main")

    page.goto(f"{base}/a/{slug}/office/charity/settings/")
    page.check("#id_disclose_publicly")
    page.fill("#id_public_intro", "商会历年捐赠超25亿元。")
    page.click("button:has-text('保存')")
    page.wait_for_load_state("load")
    assert "已保存" in page.inner_text("body")
    shot(page, tmp_path, "charity-settings-desktop")

    visitor = phone_page
    visitor.goto(f"{base}/a/{slug}/")
    visitor.click("nav a:has-text('公益慈善')")
    visitor.wait_for_load_state("load")
    text = visitor.inner_text("main")
    assert "超25亿元" in text and "2,512,000,000.00元" in text
    shot(visitor, tmp_path, "charity-public-phone")
    visitor.click(f"a:has-text('{drive.title}')")
    visitor.wait_for_load_state("load")
    text = visitor.inner_text("main")
    assert "1.67亿元，其中现金4,200万元" in text and "167,000,000.00元" in text
    assert "口罩：1,000,000只" in text
    assert "本平台仅用于记录和公开捐赠信息" in text
    shot(visitor, tmp_path, "charity-campaign-phone")
