"""Control characters never reach the database, whatever the door, and a row stored before
this rule cannot break an export; NUL is refused wherever it hides."""

import json
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from shanghui.core.excel import safe_cell
from shanghui.core.tenancy import tenant_context
from shanghui.core.text import clean_text
from shanghui.members.models import Member, MembershipApplication
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, api_client_for
from shanghui.testing.worker import run_worker

HOSTILE = "\x07匿名申请\x1b[2J\u202e公司\u200b"


def test_the_cleaner_keeps_text_and_line_breaks() -> None:
    assert clean_text(HOSTILE) == "匿名申请[2J公司"
    assert clean_text("第一行\r\n第二行\t备注") == "第一行\n第二行\t备注"
    assert clean_text("\u200b\u200d") == ""
    assert clean_text("👨\u200d👩 家庭") == "👨\u200d👩 家庭"  # emoji joiners stay


@pytest.mark.django_db
def test_an_anonymous_application_is_stored_clean(side_a: Side) -> None:
    slug = side_a.association.slug
    response = Client().post(
        f"/a/{slug}/join/",
        {
            "kind": "individual",
            "name": HOSTILE,
            "applicant_name": "区小燕\x1b",
            "applicant_phone": "13655556666",
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:800]
    with tenant_context(side_a.association):
        filed = MembershipApplication.objects.get()
    assert (filed.name, filed.applicant_name) == ("匿名申请[2J公司", "区小燕")


@pytest.mark.django_db
def test_the_api_stores_clean_text(side_a: Side) -> None:
    client = api_client_for(side_a.admin)
    response = client.post(
        f"/api/v1/associations/{side_a.association.slug}/members",
        {"kind": "individual", "name": "张\x07三\x9b", "address": "南昌\x1b[31m路"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    with tenant_context(side_a.association):
        member = Member.objects.get(pk=response.json()["id"])
    assert (member.name, member.address) == ("张三", "南昌[31m路")


def test_a_cell_drops_what_xlsx_cannot_hold() -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([safe_cell("\x07公司\x1b"), safe_cell("=1+1"), safe_cell("长" * 40_000), 12])
    workbook.save(BytesIO())  # openpyxl refuses to write a cell with a control character
    assert safe_cell("\x07公司\x1b") == "公司"
    assert safe_cell("=1+1") == "'=1+1"
    assert len(str(safe_cell("长" * 40_000))) == 32_767


@pytest.mark.django_db(transaction=True)
def test_an_old_bad_row_does_not_break_the_member_export(side_a: Side) -> None:
    a = side_a.association
    MemberFactory(association=a, name="\x07旧数据\x1b[2J公司")  # stored before the cleaner
    client = api_client_for(side_a.admin)
    job_id = client.post(
        f"/api/v1/associations/{a.slug}/members/exports", {}, content_type="application/json"
    ).json()["id"]
    run_worker()
    job = client.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}").json()
    assert job["status"] == "done", job
    file_response = client.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}/file")
    workbook = load_workbook(BytesIO(b"".join(file_response.streaming_content)))  # type: ignore[attr-defined]
    names = [row[1] for row in workbook.active.iter_rows(values_only=True)]
    assert "旧数据[2J公司" in names


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-ndjson", "application/json; charset=utf-8"]
)
def test_nul_in_a_body_of_any_type_is_refused(side_a: Side, content_type: str) -> None:
    client = api_client_for(side_a.admin)
    response = client.generic(
        "POST",
        f"/api/v1/associations/{side_a.association.slug}/members",
        json.dumps({"kind": "individual", "name": "张\x00三"}),
        content_type=content_type,
    )
    assert response.status_code == 400
    with tenant_context(side_a.association):
        assert not Member.objects.filter(name__startswith="张").exists()


@pytest.mark.django_db
def test_nul_in_the_path_or_a_header_is_refused(side_a: Side) -> None:
    client = api_client_for(side_a.admin)
    assert client.get("/api/v1/associations/gd%00jx/members").status_code == 400
    assert client.get(f"/a/{side_a.association.slug}%00/").status_code == 400
    response = client.post(
        f"/api/v1/associations/{side_a.association.slug}/members",
        {"kind": "individual", "name": "张三"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key\x00",
    )
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type", ["multipart/form-data; boundary=xyz", "multipart/form-data"]
)
def test_a_form_sent_to_a_json_endpoint_gets_a_json_error_and_no_traceback(
    content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = b'--xyz\r\nContent-Disposition: form-data; name="phone"\r\n\r\n138'
    response = Client().generic("POST", "/api/v1/auth/token", body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert not [record for record in caplog.records if record.exc_info]
