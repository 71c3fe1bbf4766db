"""The member import as a secretariat meets it (issue 13.18–13.20): an old .xls whose list is on
its second sheet under a two-level header is uploaded on a desktop and on a phone; the mapping
page names the sheet and the header rows, maps 会员代表/手机 and shows each field's first
values (not row numbers and Python tuples)."""

import os
import re
from pathlib import Path
from typing import Any

import pytest

from shanghui.members.tests.test_import import xls
from shanghui.testing.factories import PASSWORD, make_uscc
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("device", ["desktop_page", "phone_page"])
def test_an_old_xls_with_a_two_level_header_maps_at_once(
    live_server: Any, side_a: Side, tmp_path: Path, device: str, request: Any
) -> None:
    page = request.getfixturevalue(device)
    slug = side_a.association.slug
    workbook = tmp_path / "会员名单.xls"
    workbook.write_bytes(
        xls(
            {
                "填表说明": [["请按“会员名单”表填写，每行一家会员单位"]],
                "会员名单": [
                    ["名称", "统一社会信用代码", "会员代表", None, "地址"],
                    [None, None, "姓名", "手机", None],
                    ["赣州稀土新材料有限公司", make_uscc(), "龚志军", "13800138000", "赣州"],
                    ["于都县鞋业有限公司", make_uscc(), "钟建国", "13900139000", "于都"],
                ],
            }
        )
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_phone", side_a.admin.phone or "")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/a/{slug}/office/members/import/")
    page.set_input_files("input[type=file]", str(workbook))
    page.get_by_role("button", name="上传并识别表头").click()
    page.wait_for_url(re.compile(r"/mapping/$"))
    shot(page, tmp_path, f"import-mapping-{device}")
    text = page.locator("main").inner_text()
    assert "表头在第 1–2 行" in text
    assert "读取的是有会员名单的工作表“会员名单”" in text
    phone = page.locator("#col_rep_phone")
    assert phone.locator("option:checked").inner_text() == "会员代表/手机"
    row = page.locator("tr", has=page.locator("#col_rep_phone"))
    assert row.locator("td").last.inner_text() == "13800138000 / 13900139000"
    name_row = page.locator("tr", has=page.locator("#col_name"))
    assert name_row.locator("td").last.inner_text() == "赣州稀土新材料有限公司 / 于都县鞋业有限公司"
    if device == "phone_page":  # nothing sideways but the table, which scrolls in its frame
        assert page.evaluate("document.body.scrollWidth") <= 375
