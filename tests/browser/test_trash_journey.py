"""An administrator deletes a committee of three on a desktop, finds it in 组织架构 › 回收站
with its members counted, restores it and sees the members back; a same-named committee
created meanwhile makes the restore refuse with the reason. The bin reads on a phone too."""

from typing import Any

import pytest

from shanghui.core.tenancy import tenant_context
from shanghui.org.services import units as unit_services
from shanghui.testing.factories import PersonFactory
from shanghui.testing.fixtures import build_side
from tests.browser.steps import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delete_a_committee_and_restore_it_from_the_recycle_bin(
    live_server: Any, desktop_page: Any, phone_page: Any, privacy_notice: None
) -> None:
    a = build_side("甲市", "jiashi")
    association, admin = a.association, a.admin
    with tenant_context(association):
        committee = unit_services.committee_create(
            association=association,
            actor=admin,
            data=unit_services.CommitteeInput(name="乡贤联络委员会"),
        )
        for name, role in [("邱主任", "chair"), ("赖委员", "member"), ("温委员", "member")]:
            person = PersonFactory(association=association, name=name)
            unit_services.committee_member_add(
                association=association, actor=admin, committee=committee, person=person, role=role
            )
    office = f"{live_server.url}/a/jiashi/office/org"

    desk = desktop_page
    desk.on("dialog", lambda dialog: dialog.accept())
    sign_in(desk, live_server.url, admin.phone or "")
    desk.goto(f"{office}/committees/{committee.pk}/edit/")
    with desk.expect_navigation():
        desk.click("button:has-text('删除')")
    assert "已删除 乡贤联络委员会，可在回收站恢复" in desk.inner_text("main")
    assert "乡贤联络委员会" not in desk.inner_text(".table-wrap, .empty")

    with desk.expect_navigation():
        desk.click("nav.tabs >> text=回收站")
    row = desk.inner_text("tbody tr")
    assert "专业委员会" in row and "乡贤联络委员会" in row and "含 3 位成员" in row
    assert admin.name in row
    shot(desk, "trash-desktop")

    with tenant_context(association):  # someone creates one of that name meanwhile
        other = unit_services.committee_create(
            association=association,
            actor=admin,
            data=unit_services.CommitteeInput(name="乡贤联络委员会"),
        )
    with desk.expect_navigation():
        desk.click("button:has-text('恢复')")
    assert "已有名为“乡贤联络委员会”的委员会，不能恢复；请先将其改名" in desk.inner_text("main")
    shot(desk, "trash-refused-desktop")

    with tenant_context(association):
        unit_services.committee_delete(association=association, actor=admin, committee=other)
    desk.goto(f"{office}/trash/")
    with desk.expect_navigation():
        desk.click(f"form[action$='/trash/committees/{committee.pk}/'] button")
    assert "已恢复 乡贤联络委员会" in desk.inner_text("main")
    desk.goto(f"{office}/committees/{committee.pk}/")
    members = desk.inner_text("main")
    assert "邱主任" in members and "赖委员" in members and "温委员" in members

    phone = phone_page
    sign_in(phone, live_server.url, admin.phone or "")
    phone.goto(f"{office}/trash/")
    assert "乡贤联络委员会" in phone.inner_text("main")  # the other one, deleted just now
    shot(phone, "trash-phone")
    for path in ("trash/", "branches/", "committees/"):  # eight tabs scroll in their strip
        phone.goto(f"{office}/{path}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= phone.viewport_size["width"], f"{path} scrolls sideways on a phone"
