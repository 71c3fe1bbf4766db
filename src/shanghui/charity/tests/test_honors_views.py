"""The secretariat's honor pages: the list, recording (errors on the form, nothing saved),
editing, the certificate, revoking; members get 403, another association's ids 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.charity.models import Honor
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side
from shanghui.testing.pictures import photo_like


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/charity/honors/{path}"


def form(**overrides: str) -> dict[str, str]:
    return {
        "direction": "given",
        "title": "爱心企业",
        "awarded_by": "甲市江西商会",
        "awarded_on": "2026-05-01",
        "member": "甲市龚氏实业有限公司",
        "recipient_name": "",
        "campaign": "",
        "description": "",
        "shown_on_card": "on",
        **overrides,
    }


@pytest.mark.django_db
def test_giving_an_honor_on_the_pages(side_a: Side, admin_a: Client) -> None:
    assert admin_a.get(office(side_a)).status_code == 200
    assert admin_a.get(office(side_a, "new/?direction=received")).status_code == 200
    bad = admin_a.post(office(side_a, "new/"), form(member="不存在的公司"))
    assert bad.status_code == 400
    assert "未找到会员“不存在的公司”" in bad.content.decode()
    future = admin_a.post(office(side_a, "new/"), form(awarded_on="2999-01-01"))
    assert "授予日期不能晚于今天" in future.content.decode()
    with tenant_context(side_a.association):
        assert not Honor.objects.exists()
    done = admin_a.post(office(side_a, "new/"), form(), follow=True)
    assert "已登记荣誉“爱心企业”" in done.content.decode()
    with tenant_context(side_a.association):
        honor = Honor.objects.get()
    assert honor.member_id == side_a.member.pk and honor.shown_on_card
    page = admin_a.get(office(side_a, f"{honor.pk}/")).content.decode()
    assert honor.certificate_no in page and "打开证书验证页" in page
    listing = admin_a.get(office(side_a)).content.decode()
    assert honor.certificate_no in listing and "甲市龚氏实业有限公司" in listing
    edited = admin_a.post(office(side_a, f"{honor.pk}/"), form(title="慈善之星"), follow=True)
    assert "已保存" in edited.content.decode()
    pdf = admin_a.get(office(side_a, f"{honor.pk}/certificate.pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    revoked = admin_a.post(office(side_a, f"{honor.pk}/revoke/"), {"reason": "误授"}, follow=True)
    assert "已撤销该荣誉" in revoked.content.decode()
    after = admin_a.get(office(side_a, f"{honor.pk}/certificate.pdf"), follow=True)
    assert "该荣誉已撤销，不能出具证书" in after.content.decode()


@pytest.mark.django_db
def test_a_received_honor_has_no_certificate(side_a: Side, admin_a: Client) -> None:
    admin_a.post(
        office(side_a, "new/"),
        form(direction="received", member="", shown_on_card="", title="抗击新冠肺炎疫情先进组织",
             awarded_by="全国工商联"),
    )  # fmt: skip
    with tenant_context(side_a.association):
        honor = Honor.objects.get()
    assert honor.direction == "received" and honor.certificate_no == ""
    refused = admin_a.get(office(side_a, f"{honor.pk}/certificate.pdf"), follow=True)
    assert "商会获得的荣誉没有本会出具的证书" in refused.content.decode()


@pytest.mark.django_db
def test_members_get_403_and_other_associations_honors_404(
    side_a: Side, side_b: Side, admin_a: Client, member_a: Client
) -> None:
    with tenant_context(side_b.association):
        theirs = Honor.objects.create(
            association=side_b.association,
            direction="given",
            title="乙市荣誉",
            awarded_by="乙市",
            awarded_on="2026-01-01",
            recipient_name="乙市公司",
        )
    assert member_a.get(office(side_a)).status_code == 403
    assert member_a.get(office(side_a, "new/")).status_code == 403
    for path in (f"{theirs.pk}/", f"{theirs.pk}/certificate.pdf"):
        assert admin_a.get(office(side_a, path)).status_code == 404
    assert admin_a.post(office(side_a, f"{theirs.pk}/revoke/"), {"reason": "x"}).status_code == 404
    assert admin_a.post(office(side_a, f"{theirs.pk}/"), form()).status_code == 404
    with tenant_context(side_b.association):
        assert Honor.objects.get(pk=theirs.pk).revoked_at is None


@pytest.mark.django_db
def test_a_photo_of_the_certificate_or_medal(side_a: Side, admin_a: Client) -> None:
    with tenant_context(side_a.association):
        honor = Honor.objects.create(
            association=side_a.association,
            direction="received",
            title="抗击新冠肺炎疫情先进组织",
            awarded_by="全国工商联",
            awarded_on="2020-09-08",
        )
    path = office(side_a, f"{honor.pk}/image/")
    assert admin_a.get(path).status_code == 404  # none yet
    fake = SimpleUploadedFile("奖牌.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    refused = admin_a.post(path, {"image": fake}, follow=True)
    assert "文件内容与扩展名不符" in refused.content.decode()
    photo = SimpleUploadedFile("奖牌.jpg", photo_like(), content_type="image/jpeg")
    done = admin_a.post(path, {"image": photo}, follow=True)
    assert "已上传荣誉照片" in done.content.decode()
    shown = admin_a.get(path)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert admin_a.get(f"{path}?size=thumb").status_code == 200
