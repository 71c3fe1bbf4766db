"""The ledger's pages: the list with its totals, recording (with the compliance sentence),
refusals that change nothing, reversal, evidence, acknowledgements, and 404 for another
association's ids."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.charity.models import Donation, DonationEvidence
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, client_for

from .ledger_helpers import campaign, cash, goods, partner

COMPLIANCE = "本平台仅用于记录和公开捐赠信息，不向社会公众募集资金"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/charity/{path}"


def _donations(side: Side) -> list[Donation]:
    with tenant_context(side.association):
        return list(Donation.objects.filter(association=side.association).order_by("id"))


@pytest.mark.django_db
def test_the_ledger_lists_gifts_with_the_totals_of_its_filters(
    side_a: Side, admin_a: Client
) -> None:
    drive = campaign(side_a.association)
    cash(side_a, "42000000", campaign=drive, donated_on=date(2020, 2, 1))
    goods(side_a, donated_on=date(2021, 3, 1))
    page = admin_a.get(office(side_a, "donations/"))
    text = page.content.decode()
    assert page.status_code == 200
    assert side_a.member.name in text and "深圳爱心文具厂" in text
    assert "¥42,120,000.00" in text  # cash + the value of the goods
    assert COMPLIANCE in text
    assert 'aria-current="page">捐赠台账' in text  # the tab bar
    text = admin_a.get(office(side_a, "donations/"), {"year": "2021"}).content.decode()
    assert "深圳爱心文具厂" in text and side_a.member.name not in text
    assert "¥120,000.00" in text and "10,000个" in text
    text = admin_a.get(office(side_a, "donations/"), {"kind": "cash"}).content.decode()
    assert "¥42,000,000.00" in text and "深圳爱心文具厂" not in text
    text = admin_a.get(office(side_a, "donations/"), {"q": "文具"}).content.decode()
    assert "深圳爱心文具厂" in text and side_a.member.name not in text
    fragment = admin_a.get(
        office(side_a, "donations/"), {"campaign": str(drive.pk)}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in fragment.content.decode()
    assert "¥42,000,000.00" in fragment.content.decode()


@pytest.mark.django_db
def test_recording_a_cash_gift_by_a_member_picked_by_name(side_a: Side, admin_a: Client) -> None:
    drive = campaign(side_a.association)
    red_cross = partner(side_a.association)
    form = admin_a.get(office(side_a, "donations/new/"))
    assert form.status_code == 200
    assert COMPLIANCE in form.content.decode()
    assert f'<option value="{side_a.member.name}">' in form.content.decode()
    response = admin_a.post(
        office(side_a, "donations/new/"),
        {
            "kind": "cash",
            "donor_kind": "member",
            "donor_member": side_a.member.name,
            "amount": "1,000,000",
            "donated_on": "2020-02-03",
            "channel": "organized",
            "campaign": str(drive.pk),
            "recipient": str(red_cross.pk),
            "official_receipt_no": "GD2020-0001",
            "name_public": "on",
        },
    )
    [donation] = _donations(side_a)
    assert response.status_code == 302
    assert response["Location"] == office(side_a, f"donations/{donation.pk}/")
    assert (donation.amount, donation.campaign_id, donation.recipient_name) == (
        1000000,
        drive.pk,
        "广东省红十字会",
    )
    assert donation.name_public and donation.recorded_by_id == side_a.admin.pk
    page = admin_a.get(response["Location"]).content.decode()
    assert "¥1,000,000.00" in page and "GD2020-0001" in page and COMPLIANCE in page


@pytest.mark.django_db
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    side_a: Side, side_b: Side, admin_a: Client
) -> None:
    base = {
        "donor_kind": "outside",
        "donor_name": "某厂",
        "donated_on": "2026-01-01",
        "channel": "organized",
    }
    goods_form = {**base, "kind": "goods", "amount": "500", "item": "书包", "quantity": "10"}
    response = admin_a.post(office(side_a, "donations/new/"), goods_form)
    assert response.status_code == 400
    assert "请选择物资价值的依据（发票价、市场价或评估价）" in response.content.decode()
    response = admin_a.post(
        office(side_a, "donations/new/"), {**base, "kind": "cash", "amount": "1e5"}
    )
    assert response.status_code == 400
    assert "请直接填写金额，不要使用科学计数法" in response.content.decode()
    response = admin_a.post(
        office(side_a, "donations/new/"),
        {**base, "kind": "cash", "amount": "100", "donor_kind": "member", "donor_member": ""},
    )
    assert "请选择捐赠的会员" in response.content.decode()
    response = admin_a.post(
        office(side_a, "donations/new/"),
        {**base, "kind": "cash", "amount": "100", "donor_kind": "member",
         "donor_member": side_b.member.name},
    )  # fmt: skip
    assert f"未找到会员“{side_b.member.name}”" in response.content.decode()
    assert _donations(side_a) == []


@pytest.mark.django_db
def test_reversing_on_the_page_and_refused_the_second_time(side_a: Side, admin_a: Client) -> None:
    gift = cash(side_a, "5000")
    path = office(side_a, f"donations/{gift.pk}/reverse/")
    response = admin_a.post(path, {"reason": "金额录错"}, follow=True)
    assert "已冲正这笔捐赠，原记录保留" in response.content.decode()
    response = admin_a.post(path, {"reason": "再次"}, follow=True)
    assert "这笔捐赠已经冲正过了" in response.content.decode()
    assert [d.amount for d in _donations(side_a)] == [5000, -5000]
    assert "¥0.00" in admin_a.get(office(side_a, "donations/")).content.decode()


@pytest.mark.django_db
def test_evidence_is_uploaded_and_downloaded(side_a: Side, admin_a: Client) -> None:
    gift = cash(side_a)
    path = office(side_a, f"donations/{gift.pk}/evidence/")
    bad = admin_a.post(path, {"kind": "receipt", "file": SimpleUploadedFile("a.exe", b"MZ")})
    assert bad.status_code == 400 and "仅支持 PDF、JPG、PNG 格式的文件" in bad.content.decode()
    upload = SimpleUploadedFile("红会收据.png", PNG, content_type="image/png")
    response = admin_a.post(path, {"kind": "receipt", "caption": "收据", "file": upload})
    assert response.status_code == 302
    with tenant_context(side_a.association):
        evidence = DonationEvidence.objects.get()
    page = admin_a.get(office(side_a, f"donations/{gift.pk}/")).content.decode()
    assert "红会收据.png" in page
    download = admin_a.get(office(side_a, f"evidence/{evidence.pk}/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_acknowledgement_for_the_office_and_for_the_member(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    mine = cash(side_a)
    other_member = MemberFactory(association=side_a.association, name="甲市别家公司")
    with tenant_context(side_a.association):
        from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record

        theirs = donation_record(
            association=side_a.association,
            actor=side_a.admin,
            donor=DonorInput(kind="member", member=other_member),
            gift=GiftInput(kind="cash", amount=1000),  # type: ignore[arg-type]
            donated_on=date(2026, 1, 1),
        )
    response = admin_a.get(office(side_a, f"donations/{mine.pk}/acknowledgement.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    space = f"/a/{side_a.association.slug}/charity/donations/"
    assert member_a.get(f"{space}{mine.pk}/acknowledgement.pdf").status_code == 200
    assert member_a.get(f"{space}{theirs.pk}/acknowledgement.pdf").status_code == 404
    # Even an administrator reaches only their own gifts on the member pages.
    assert admin_a.get(f"{space}{mine.pk}/acknowledgement.pdf").status_code == 404
    with tenant_context(side_a.association):
        numbers = {d.pk: d.acknowledgement_no for d in Donation.objects.all()}
    assert numbers[mine.pk].startswith("JZ") and numbers[theirs.pk] == ""


@pytest.mark.django_db
def test_members_get_403_in_the_office(side_a: Side, member_a: Client) -> None:
    gift = cash(side_a)
    for path in ("donations/", "donations/new/", f"donations/{gift.pk}/"):
        assert member_a.get(office(side_a, path)).status_code == 403, path
    refused = member_a.post(office(side_a, f"donations/{gift.pk}/reverse/"), {"reason": "x"})
    assert refused.status_code == 403
    assert len(_donations(side_a)) == 1


@pytest.mark.django_db
def test_another_associations_ids_answer_404(side_a: Side, side_b: Side) -> None:
    theirs = cash(side_b, "76543.21")
    upload = SimpleUploadedFile("b.png", PNG, content_type="image/png")
    with tenant_context(side_b.association):
        from shanghui.charity.services.ledger import evidence_add

        evidence = evidence_add(
            association=side_b.association, actor=side_b.admin, donation=theirs, upload=upload
        )
    admin = client_for(side_a.admin)
    for path in (
        f"donations/{theirs.pk}/",
        f"donations/{theirs.pk}/acknowledgement.pdf",
        f"evidence/{evidence.pk}/",
    ):
        response = admin.get(office(side_a, path))
        assert response.status_code == 404, path
        assert "76,543.21" not in response.content.decode(errors="ignore")
    for path in (f"donations/{theirs.pk}/reverse/", f"donations/{theirs.pk}/evidence/"):
        assert admin.post(office(side_a, path), {"reason": "x"}).status_code == 404, path
    assert [d.amount for d in _donations(side_b)] == [Decimal("76543.21")]
    with tenant_context(side_b.association):
        assert Donation.objects.get(pk=theirs.pk).acknowledgement_no == ""
