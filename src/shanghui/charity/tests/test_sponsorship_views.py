"""The sponsorship pages of the back office: the list without ID numbers, a student's file
with the masked number and its audited reveal, the forms refusing bad input with a clear
message and writing nothing, the schedule and payments, visits with photos, and another
association's student answering 404."""

import re
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from shanghui.charity.models import Beneficiary, Disbursement, Donation, VisitPhoto
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.pictures import photo_like

from .sponsorship_helpers import adult_id, school, sponsorship, student


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/charity/{path}"


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db
def test_the_list_and_file_never_show_the_id_number_until_revealed(
    side_a: Side, admin_a: Client
) -> None:
    made = student(side_a.association)
    sponsorship(side_a.association, made, side_a.member)
    number = adult_id()
    page = text(admin_a.get(office(side_a, "beneficiaries/")))
    assert "李小明" in page and "乳源县第一中学" in page and "甲市龚氏实业有限公司" in page
    assert number not in page and number[:2] + "*" not in page
    with tenant_context(side_a.association):
        read = AuditEntry.objects.get(action="personal_data.list_read")
    assert read.data["listing"] == "charity.beneficiaries" and read.data["rows"] == 1

    with tenant_context(side_a.association):
        made.region_code = "440232"
        made.save(update_fields=["region_code"])
    detail = text(admin_a.get(office(side_a, f"beneficiaries/{made.pk}/")))
    assert "44**************" in detail and number not in detail
    assert "乳源瑶族自治县" in detail and "440232" not in detail  # the region by name
    assert "务农" not in detail and "将记录查看日志" in detail

    revealed = admin_a.post(
        office(side_a, f"beneficiaries/{made.pk}/reveal/"), HTTP_HX_REQUEST="true"
    )
    assert revealed.status_code == 200
    assert number in text(revealed) and "务农" in text(revealed)
    with tenant_context(side_a.association):
        entry = AuditEntry.objects.get(action="charity.beneficiary.reveal")
    assert entry.actor_id == side_a.admin.pk and entry.target_id == str(made.pk)
    # Without htmx the reveal is a page of its own (a browser without JavaScript).
    assert number in text(admin_a.post(office(side_a, f"beneficiaries/{made.pk}/reveal/")))


@pytest.mark.django_db
def test_members_get_403_and_another_association_gets_404(
    side_a: Side, side_b: Side, member_a: Client
) -> None:
    made = student(side_a.association)
    for path in ("beneficiaries/", f"beneficiaries/{made.pk}/", "beneficiaries/new/"):
        assert member_a.get(office(side_a, path)).status_code == 403, path
    assert member_a.post(office(side_a, f"beneficiaries/{made.pk}/reveal/")).status_code == 403
    # B's secretary, on B's own office, asking for A's student.
    admin_b = client_for(side_b.admin)
    for path in (
        f"beneficiaries/{made.pk}/",
        f"beneficiaries/{made.pk}/edit/",
        f"beneficiaries/{made.pk}/photo/",
        f"beneficiaries/{made.pk}/visits/new/",
    ):
        assert admin_b.get(office(side_b, path)).status_code == 404, path
    response = admin_b.post(office(side_b, f"beneficiaries/{made.pk}/reveal/"))
    assert response.status_code == 404 and adult_id() not in response.content.decode()
    with tenant_context(side_a.association):
        assert not AuditEntry.objects.filter(action="charity.beneficiary.reveal").exists()


@pytest.mark.django_db
def test_a_minor_without_guardian_consent_is_refused_on_the_form(
    side_a: Side, admin_a: Client
) -> None:
    born = timezone.localdate().replace(year=timezone.localdate().year - 15)
    form = {"name": "小芳", "stage": "high_school", "birth_date": born.isoformat()}
    response = admin_a.post(office(side_a, "beneficiaries/new/"), form)
    assert response.status_code == 400
    assert "须先取得监护人同意" in text(response)
    bad = admin_a.post(
        office(side_a, "beneficiaries/new/"),
        {"name": "小芳", "stage": "high_school", "id_number": "123"},
    )
    assert bad.status_code == 400 and "身份证号应为 18 位" in text(bad)
    with tenant_context(side_a.association):
        assert not Beneficiary.objects.exists()
    form["guardian_consent_on"] = timezone.localdate().isoformat()
    ok = admin_a.post(office(side_a, "beneficiaries/new/"), form)
    assert ok.status_code == 302


@pytest.mark.django_db
def test_new_sponsorship_schedule_and_payment_on_the_pages(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    place = school(a)
    made = student(a, school=place)
    response = admin_a.post(
        office(side_a, f"beneficiaries/{made.pk}/sponsorships/new/"),
        {"sponsor_member": side_a.member.pk, "starts_on": "2025-09-01", "amount_per_term": "1e3"},
    )
    assert response.status_code == 400 and "不要使用科学计数法" in text(response)
    response = admin_a.post(
        office(side_a, f"beneficiaries/{made.pk}/sponsorships/new/"),
        {
            "sponsor_member": side_a.member.pk,
            "starts_on": "2025-09-01",
            "expected_end_on": "2026-07-01",
            "amount_per_term": "2,500",
        },
    )
    assert response.status_code == 302
    pair_path = response["Location"]
    pair_id = int(pair_path.rstrip("/").rsplit("/", 1)[1])
    assert admin_a.post(pair_path + "schedule/", {}).status_code == 302
    page = text(admin_a.get(pair_path))
    assert "2025年秋季学期" in page and "2026年春季学期" in page and "2,500.00元" in page
    with tenant_context(a):
        first = Disbursement.objects.filter(sponsorship_id=pair_id).order_by("due_on").first()
    assert first is not None
    future = date(timezone.localdate().year + 1, 1, 1).isoformat()
    refused = admin_a.post(office(side_a, f"disbursements/{first.pk}/pay/"), {"paid_on": future})
    assert refused.status_code == 400 and "发放日期不能晚于今天" in text(refused)
    paid = admin_a.post(
        office(side_a, f"disbursements/{first.pk}/pay/"),
        {"paid_on": "2025-09-03", "reference": "HX-9"},
    )
    assert paid.status_code == 302
    with tenant_context(a):
        donation = Donation.objects.get()
        assert Disbursement.objects.get(pk=first.pk).donation_id == donation.pk
    assert (donation.donor_member_id, str(donation.amount)) == (side_a.member.pk, "2500.00")
    assert donation.recipient_id == place.pk


@pytest.mark.django_db
def test_visit_photos_are_served_to_the_back_office_only(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    made = student(side_a.association)
    upload = SimpleUploadedFile("v.jpg", photo_like(2), content_type="image/jpeg")
    response = admin_a.post(
        office(side_a, f"beneficiaries/{made.pk}/visits/new/"),
        {
            "visited_on": "2025-05-01",
            "visitors": "张会长、李秘书长",
            "notes": "学习认真",
            "photos": upload,
        },
    )
    assert response.status_code == 302
    with tenant_context(side_a.association):
        photo = VisitPhoto.objects.get()
    url = office(side_a, f"visit-photos/{photo.pk}/")
    served = admin_a.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "private" in served["Cache-Control"]
    assert member_a.get(url).status_code == 403
    detail = text(admin_a.get(office(side_a, f"beneficiaries/{made.pk}/")))
    assert "张会长、李秘书长" in detail and f"visit-photos/{photo.pk}/" in detail
    record = admin_a.post(
        office(side_a, f"beneficiaries/{made.pk}/academic/new/"),
        {"term": "2025年春季学期", "summary": "年级前十", "recorded_on": "2025-07-01"},
    )
    assert record.status_code == 302
    assert "年级前十" in text(admin_a.get(office(side_a, f"beneficiaries/{made.pk}/")))


@pytest.mark.django_db
def test_withdrawing_consent_on_the_page_erases_the_data(side_a: Side, admin_a: Client) -> None:
    made = student(side_a.association)
    response = admin_a.post(
        office(side_a, f"beneficiaries/{made.pk}/withdraw-consent/"), {"note": "监护人来电"}
    )
    assert response.status_code == 302
    page = text(admin_a.get(response["Location"]))
    assert "个人信息已于" in page and "44**" not in page
    edit = admin_a.get(office(side_a, f"beneficiaries/{made.pk}/edit/"))
    assert edit.status_code == 302
