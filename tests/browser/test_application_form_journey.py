"""An applicant on a phone fills the 入会申请 form: required fields marked before sending
(the credit code and licence only while 企业会员 is chosen), region and 籍贯 picked province ›
city › county, a wrong phone number sends the page back with the licence still chosen, the
fix goes through (13.24)."""

import os
from pathlib import Path
from typing import Any

import pytest

from shanghui.core.storage.content import content_blocks
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import MembershipApplication
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"{name}.png"), full_page=True)


def pick_region(page: Any, field: str, *codes: str) -> None:
    """Chooses province, then city, then county; each list is filled when the one above
    changes."""
    for suffix, code in zip(("", "_city", "_county"), codes, strict=False):
        page.select_option(f"#id_{field}{suffix}", code)


def test_apply_on_a_phone_with_the_picker_an_error_and_the_kept_licence(
    live_server: Any,
    phone_page: Any,
    side_a: Side,
    tmp_path: Path,
    settings: Any,
    privacy_notice: None,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    licence = tmp_path / "营业执照.png"
    licence.write_bytes(PNG)
    page = phone_page
    page.goto(f"{live_server.url}/a/{side_a.association.slug}/join/")
    shot(page, tmp_path, "apply-phone")

    # The language menu, and inputs that look like inputs (a border to see where to type).
    assert page.is_visible("#language-select")
    border = page.eval_on_selector(
        "#id_name", "e => [getComputedStyle(e).borderTopWidth, getComputedStyle(e).borderTopStyle]"
    )
    assert border == ["1px", "solid"]
    assert page.get_attribute("#id_applicant_phone", "inputmode") == "tel"

    # Required before sending: the credit code and the licence while 企业会员 is chosen.
    uscc_mark = page.locator("label[for=id_uscc] .sh-req")
    assert page.eval_on_selector("#id_uscc", "e => e.required") and uscc_mark.is_visible()
    page.select_option("#id_kind", "individual")
    assert not page.eval_on_selector("#id_uscc", "e => e.required")
    assert not uscc_mark.is_visible()
    page.select_option("#id_kind", "enterprise")
    assert page.eval_on_selector("#id_licence", "e => e.required") and uscc_mark.is_visible()

    page.fill("#id_name", "宜春市明月山温泉度假有限公司")
    page.fill("#id_uscc", make_uscc("91", "360900"))
    pick_region(page, "region_code", "440000", "440100", "440106")
    pick_region(page, "hometown_code", "360000", "360700", "360731")
    page.select_option("#id_hometown_code", "110000")  # changed: the lower lists start over
    assert page.input_value("#id_hometown_code_city") == ""
    assert page.is_hidden("#id_hometown_code_county")
    pick_region(page, "hometown_code", "360000", "360700", "360731")
    page.set_input_files("#id_licence", str(licence))
    page.fill("#id_applicant_name", "解春华")
    page.fill("#id_applicant_phone", "1357777")  # too short
    page.check("#id_accept_privacy")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")

    assert "请输入有效的中国大陆手机号" in page.inner_text("main")
    assert page.inner_text(".sh-kept-file") == "已选择：营业执照.png（重新选择）"
    assert page.input_value("#id_region_code_county") == "440106"
    assert page.input_value("#id_hometown_code_county") == "360731"
    page.locator("#id_applicant_phone").scroll_into_view_if_needed()
    shot(page, tmp_path, "apply-phone-error")

    page.fill("#id_applicant_phone", "13577778888")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "/join/done/" in page.url, page.inner_text("main")[:800]
    with tenant_context(side_a.association):
        filed = MembershipApplication.objects.get(name="宜春市明月山温泉度假有限公司")
        assert (filed.region_code, filed.hometown_code) == ("440106", "360731")
        assert filed.licence is not None
        assert b"".join(content_blocks(side_a.association, filed.licence.content)) == PNG
