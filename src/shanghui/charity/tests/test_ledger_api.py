"""The ledger's JSON API: recording (refusals in Chinese, field by field, nothing written),
the list and its totals, reversal, evidence, the acknowledgement PDF and the auditors'
export, and 404 for another association's ids."""

import json
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from shanghui.charity.models import Donation
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, api_client_for

from .ledger_helpers import campaign, cash, goods

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(side: Side, path: str) -> str:
    return f"/api/v1/associations/{side.association.slug}/charity{path}"


def post(client: Any, path: str, data: object) -> Any:
    return client.post(path, data, content_type="application/json")


def body(response: Any) -> Any:
    return json.loads(response.content)


def _count(side: Side) -> int:
    with tenant_context(side.association):
        return Donation.objects.filter(association=side.association).count()


@pytest.mark.django_db
def test_recording_through_the_api_and_its_refusals(side_a: Side, side_b: Side) -> None:
    drive = campaign(side_a.association)
    gift = {
        "kind": "cash",
        "amount": "5000.50",
        "donated_on": "2026-02-01",
        "donor_kind": "member",
        "donor_member_id": side_a.member.pk,
        "campaign_id": drive.pk,
    }
    member = api_client_for(side_a.member_user)
    assert post(member, url(side_a, "/donations"), gift).status_code == 403
    admin = api_client_for(side_a.admin)
    created = post(admin, url(side_a, "/donations"), gift)
    assert created.status_code == 201, created.content
    data = body(created)
    assert (data["amount"], data["donor_name"], data["kind_label"]) == (
        "5000.50",
        side_a.member.name,
        "现金",
    )
    assert data["channel_label"] == "经商会组织" and data["campaign_id"] == drive.pk
    refused = post(
        admin,
        url(side_a, "/donations"),
        {
            **gift,
            "kind": "goods",
            "amount": "10.001",
            "item": "书包",
            "quantity": "abc",
            "donor_member_id": side_b.member.pk,
        },
    )
    assert refused.status_code == 400
    assert body(refused)["error"]["fields"] == {
        "amount": ["金额最多保留两位小数（精确到分）"],
        "quantity": ["请填写有效的数量，例如 100 或 2.5"],
        "donor_member": ["未找到该会员"],
    }
    no_basis = post(
        admin,
        url(side_a, "/donations"),
        {**gift, "kind": "goods", "amount": "100", "item": "书包", "quantity": 10},
    )
    assert body(no_basis)["error"]["fields"] == {
        "value_basis": ["请选择物资价值的依据（发票价、市场价或评估价）"]
    }
    assert _count(side_a) == 1


@pytest.mark.django_db
def test_the_list_its_totals_and_a_reversal(side_a: Side) -> None:
    gift = cash(side_a, "42000000", donated_on=date(2020, 2, 1))
    goods(side_a, donated_on=date(2020, 3, 1))
    admin = api_client_for(side_a.admin)
    listed = body(admin.get(url(side_a, "/donations"), {"year": "2020"}))
    assert listed["count"] == 2
    assert [row["donor_name"] for row in listed["items"]] == ["深圳爱心文具厂", side_a.member.name]
    totals = body(admin.get(url(side_a, "/donations/totals"), {"year": "2020"}))
    assert totals == {
        "cash": "42000000.00",
        "goods": "120000.00",
        "total": "42120000.00",
        "entries": 2,
    }
    path = url(side_a, f"/donations/{gift.pk}/reversal")
    reversal = post(admin, path, {"reason": "重复登记"})
    assert reversal.status_code == 201
    assert (body(reversal)["amount"], body(reversal)["reverses_id"]) == ("-42000000.00", gift.pk)
    again = post(admin, path, {"reason": "再次"})
    assert again.status_code == 400
    assert body(again)["error"]["message"] == "这笔捐赠已经冲正过了"
    totals = body(admin.get(url(side_a, "/donations/totals"), {"year": "2020"}))
    assert (totals["total"], totals["entries"]) == ("120000.00", 1)


@pytest.mark.django_db
def test_evidence_and_the_acknowledgement(side_a: Side) -> None:
    gift = cash(side_a)
    admin = api_client_for(side_a.admin)
    upload = SimpleUploadedFile("收据.png", PNG, content_type="image/png")
    added = admin.post(
        url(side_a, f"/donations/{gift.pk}/evidence"), {"file": upload, "caption": "红会收据"}
    )
    assert added.status_code == 201, added.content
    assert (body(added)["name"], body(added)["kind_label"]) == ("收据.png", "受赠方收据")
    bad = admin.post(
        url(side_a, f"/donations/{gift.pk}/evidence"),
        {"file": SimpleUploadedFile("x.pdf", b"not a pdf")},
    )
    assert body(bad)["error"]["fields"] == {"file": ["文件内容与扩展名不符"]}
    listed = body(admin.get(url(side_a, f"/donations/{gift.pk}/evidence")))
    assert [e["caption"] for e in listed] == ["红会收据"]
    content = admin.get(url(side_a, f"/evidence/{body(added)['id']}/file"))
    assert b"".join(content.streaming_content) == PNG
    pdf = admin.get(url(side_a, f"/donations/{gift.pk}/acknowledgement"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The member who represents the donor gets it too; not another member's.
    member = api_client_for(side_a.member_user)
    assert member.get(url(side_a, f"/donations/{gift.pk}/acknowledgement")).status_code == 200
    assert body(member.get(url(side_a, f"/donations/{gift.pk}")))["acknowledgement_no"]
    assert member.get(url(side_a, "/donations")).status_code == 403
    other = MemberFactory(association=side_a.association, name="甲市别家公司")
    with tenant_context(side_a.association):
        from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record

        theirs = donation_record(
            association=side_a.association,
            actor=side_a.admin,
            donor=DonorInput(kind="member", member=other),
            gift=GiftInput(kind="cash", amount=Decimal("10")),
            donated_on=date(2026, 1, 1),
        )
    assert member.get(url(side_a, f"/donations/{theirs.pk}/acknowledgement")).status_code == 404


@pytest.mark.django_db
def test_another_associations_ids_answer_404(side_a: Side, side_b: Side) -> None:
    theirs = cash(side_b, "76543.21")
    admin = api_client_for(side_a.admin)
    for path in (
        f"/donations/{theirs.pk}",
        f"/donations/{theirs.pk}/evidence",
        f"/donations/{theirs.pk}/acknowledgement",
    ):
        response = admin.get(url(side_a, path))
        assert response.status_code == 404, path
    reversal = post(admin, url(side_a, f"/donations/{theirs.pk}/reversal"), {"reason": "x"})
    assert reversal.status_code == 404
    assert "76543.21" not in admin.get(url(side_a, "/donations")).content.decode()
    with tenant_context(side_b.association):
        assert Donation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_auditors_export_holds_exact_amounts_and_neutralised_cells(
    side_a: Side, privacy_notice: None
) -> None:
    a = side_a.association
    drive = campaign(a)
    gift = cash(side_a, "1234567.89", campaign=drive, donated_on=date(2020, 2, 1))
    from shanghui.charity.services.ledger import DonationData, donation_record_input

    with tenant_context(a):
        donation_record_input(
            association=a,
            actor=side_a.admin,
            data=DonationData(
                kind="cash",
                amount="100",
                donated_on=date(2020, 5, 1),
                donor_kind="outside",
                donor_name='=HYPERLINK("http://evil")',
            ),
        )
        from shanghui.charity.services.donations import donation_reverse

        donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="录错")
    goods(side_a, donated_on=date(2021, 1, 1))
    member = api_client_for(side_a.member_user)
    assert post(member, url(side_a, "/donations/exports"), {}).status_code == 403
    admin = api_client_for(side_a.admin)
    started = post(admin, url(side_a, "/donations/exports"), {"year": "2020"})
    assert started.status_code == 202, started.content
    call_command("db_worker", batch=True, interval=0, startup_delay=False)
    job_id = body(started)["id"]
    response = admin.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}/file")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("记录号", "捐赠日期", "公益项目", "捐赠方")
    entries = [row for row in rows[1:] if row and row[0] is not None and row[1] is not None]
    assert len(entries) == 3  # the gift, its reversal (same date) and the outside gift
    amounts = sorted(row[12] for row in entries)
    assert amounts == [-1234567.89, 100, 1234567.89]
    assert any(row[3] == '\'=HYPERLINK("http://evil")' for row in entries)
    reversal_row = next(row for row in entries if row[12] < 0)
    assert reversal_row[17] == gift.pk and reversal_row[18] == "录错"
    totals = {row[0]: row[12] for row in rows if row and row[0] in ("现金合计", "总计")}
    assert totals == {"现金合计": 100, "总计": 100}
