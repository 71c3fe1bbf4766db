"""A clerk registers a sponsored student, sees the ID number masked and reveals it (the
reveal replaces the button in place and is audited), pairs the student with a member,
lays out the terms and records a payment — which lands in the donations ledger."""

from typing import Any

import pytest

from shanghui.charity.models import Donation, Partner
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side
from tests.browser.steps import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "440232200001011239"  # check digit valid (GB 11643)


def test_register_reveal_pair_and_pay(live_server: Any, side_a: Side, desktop_page: Any) -> None:
    page = desktop_page
    with tenant_context(side_a.association):
        Partner.objects.create(
            association=side_a.association, name="乳源县第一中学", kind=Partner.Kind.SCHOOL
        )
    sign_in(page, live_server.url, side_a.admin.phone)
    office = f"{live_server.url}/a/{side_a.association.slug}/office/charity"
    page.goto(f"{office}/beneficiaries/new/")
    page.fill("#id_name", "李小明")
    page.fill("#id_id_number", ID_NUMBER)
    page.select_option("#id_school", label="乳源县第一中学")
    page.fill("#id_grade", "高二")
    page.fill("#id_family_situation", "父母务农")
    page.click("form.sh-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "敏感个人信息" in page.content(), "refused without the separate consent"
    page.fill("#id_id_number", ID_NUMBER)  # not kept by the refused form: typed again
    page.fill("#id_family_situation", "父母务农")
    page.fill("#id_sensitive_consent_on", "2025-01-01")
    page.click("form.sh-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "44**************39" in page.content() and ID_NUMBER not in page.content()
    shot(page, "beneficiary")

    page.click("text=查看身份证号和家庭情况")
    page.wait_for_selector(f"text={ID_NUMBER}")
    assert "父母务农" in page.content()

    page.click("text=新建结对")
    page.wait_for_load_state("load")
    page.select_option("#id_sponsor_member", label=side_a.member.name)
    page.fill("#id_starts_on", "2025-09-01")
    page.fill("#id_expected_end_on", "2026-07-01")
    page.fill("#id_amount_per_term", "2000")
    page.click("form.sh-form button[type=submit]")
    page.wait_for_load_state("load")
    page.click("text=按学期排期")
    page.wait_for_load_state("load")
    assert "2025年秋季学期" in page.content()
    page.fill("input[name=reference] >> nth=0", "HX-2025-09")
    page.fill("input[name=paid_on] >> nth=0", "2025-09-03")
    page.click("text=登记发放 >> nth=0")
    page.wait_for_load_state("load")
    assert "并记入捐赠台账" in page.content()
    shot(page, "sponsorship")

    with tenant_context(side_a.association):
        donation = Donation.objects.get()
        assert donation.donor_member_id == side_a.member.pk and donation.recipient_name
        assert AuditEntry.objects.filter(action="charity.beneficiary.reveal").count() == 1
