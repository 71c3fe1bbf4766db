"""A clerk opens a member and saves it unchanged: nothing may change. Date fields must carry
ISO values (a browser shows ``2006/09/16`` in a date picker as empty and submits it empty,
which once erased every member's 入会日期 on save)."""

from datetime import date
from typing import Any

import pytest

from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, url: str, phone: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_phone", phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("viewport", ["desktop_page", "phone_page"])
def test_saving_a_member_unchanged_keeps_its_join_date(
    live_server: Any, side_a: Side, viewport: str, request: pytest.FixtureRequest
) -> None:
    page = request.getfixturevalue(viewport)
    member = side_a.member
    with tenant_context(side_a.association):
        Member.objects.filter(pk=member.pk).update(joined_on=date(2006, 9, 16))
        audited_before = AuditEntry.objects.count()

    sign_in(page, live_server.url, side_a.admin.phone)
    slug = side_a.association.slug
    page.goto(f"{live_server.url}/a/{slug}/office/members/{member.pk}/edit/")
    assert page.input_value("#id_joined_on") == "2006-09-16"
    page.click("form:has(#id_joined_on) button[type=submit]")
    page.wait_for_load_state("load")

    with tenant_context(side_a.association):
        member.refresh_from_db()
        assert member.joined_on == date(2006, 9, 16)
        saves = [
            entry.data["fields"]
            for entry in AuditEntry.objects.order_by("pk")[audited_before:]
            if entry.action == "member.update"
        ]
    assert saves and all("joined_on" not in fields for fields in saves), saves
