"""The member import, end to end: the template, uploads of xlsx and CSV (UTF-8 and GBK), the
column mapping, validation and commit run by the real task worker, the error report, bad files,
all-or-nothing, permissions."""

import html
import io
import json
import re
import zipfile
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.bulk import insert_rows
from shanghui.core.jobs import STALLED_AFTER, job_for_task
from shanghui.core.models import Job, StoredFile
from shanghui.core.rls import APP_DB_ROLE
from shanghui.core.storage.files import files_expire
from shanghui.core.tenancy import tenant_context
from shanghui.members.imports.columns import COLUMNS, EXAMPLE_NAME, EXAMPLE_USCC
from shanghui.members.imports.reader import fields_of
from shanghui.members.imports.services import member_import_commit
from shanghui.members.imports.states import ImportSuperseded
from shanghui.members.imports.tasks import validate_member_import
from shanghui.members.imports.uploads import XLSX_CONTENT_TYPE, _sheet_extent
from shanghui.members.imports.validation import validate_rows
from shanghui.members.imports.writer import commit_rows
from shanghui.members.models import (
    Level,
    Member,
    MemberImport,
    MembershipPolicy,
    MemberStatusChange,
    Person,
    Representative,
)
from shanghui.members.search_index import search_index_backlog
from shanghui.members.selectors import MemberFilters, member_search
from shanghui.members.services.members import MemberInput, member_create
from shanghui.testing.factories import PersonFactory, make_uscc
from shanghui.testing.fixtures import Side

HEADERS = [c.label for c in COLUMNS]
XLSX = XLSX_CONTENT_TYPE


def api_client(user: object) -> Client:
    _token, raw = api_token_create(user=user, name="test")  # type: ignore[arg-type]
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def run_worker() -> None:
    call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*")


def xlsx(rows: list[list[Any]], *, title: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def member_row(**values: Any) -> list[Any]:
    """A template row; keys are column keys."""
    return [values.get(c.key, "") for c in COLUMNS]


def read_sheet(content: bytes) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def body(response: Any) -> Any:
    return json.loads(response.content)


def upload_api(client: Client, slug: str, name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/api/v1/associations/{slug}/members/imports",
        {"file": SimpleUploadedFile(name, content)},
    )


def counts(side: Side) -> tuple[int, int, int]:
    with tenant_context(side.association):
        return (
            Member.objects.filter(association=side.association).count(),
            Person.objects.filter(association=side.association).count(),
            MemberImport.objects.filter(association=side.association).count(),
        )


# --- The template -----------------------------------------------------------------------


@pytest.mark.django_db
def test_template_has_the_columns_in_chinese_and_an_example(side_a: Side, admin_a: Client) -> None:
    with tenant_context(side_a.association):
        Level.objects.create(
            association=side_a.association, name="理事单位", rank=2, annual_fee=3000
        )
    response = admin_a.get(f"/a/{side_a.association.slug}/office/members/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    expected = ["会员类型", "名称", "统一社会信用代码", "法定代表人", "行业代码", "注册地区代码"]
    expected += ["地址", "籍贯代码", "会员级别", "入会日期", "会员编号", "会员代表", "代表职务"]
    assert list(rows[0]) == [*expected, "代表手机号", "简介"]
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["会员类型"] == "企业会员" and example["会员级别"] == "理事单位"
    assert example["统一社会信用代码"] == EXAMPLE_USCC
    notes = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "籍贯代码" in notes
    api = api_client(side_a.admin).get(
        f"/api/v1/associations/{side_a.association.slug}/members/imports/template"
    )
    assert api.status_code == 200 and api.content[:2] == b"PK"


@pytest.mark.django_db
def test_level_names_stay_text_in_the_template(side_a: Side, admin_a: Client) -> None:
    slug = side_a.association.slug
    api = api_client(side_a.admin)
    for rank, name in ((1, '=HYPERLINK("http://x.cn","y")'), (2, "+1+cmd|' /C calc'!A0")):
        created = api.post(
            f"/api/v1/associations/{slug}/levels",
            {"name": name, "rank": rank, "annual_fee": "100"},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
    page = admin_a.get(f"/a/{slug}/office/members/import/template/")
    through_api = api.get(f"/api/v1/associations/{slug}/members/imports/template")
    for response in (page, through_api):
        workbook = load_workbook(io.BytesIO(response.content))
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        texts = [str(cell.value) for cell in cells if cell.value is not None]
        assert "'+1+cmd|' /C calc'!A0" in texts  # the example row's level, neutralised
        levels = [text for text in texts if "=HYPERLINK" in text]  # 本会会员级别: both names
        assert levels and all(text.startswith("'") and "+1+cmd" in text for text in levels)


# --- Happy paths ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_xlsx_import_through_the_back_office(side_a: Side, privacy_notice: None) -> None:
    a = side_a.association
    admin = Client()
    admin.force_login(side_a.admin)
    with tenant_context(a):
        level = Level.objects.create(association=a, name="副会长单位", rank=3, annual_fee=10000)
        MembershipPolicy.objects.create(association=a, member_no_pattern="GDJX-{number:04d}")
    first, second = make_uscc("91", "360700"), make_uscc("N2", "440106")
    rows = [
        HEADERS,
        member_row(
            kind="企业会员",
            name="赣州市南康区家具有限公司",
            uscc=first,
            legal_representative="曾国华",
            industry_code=21,  # a number in Excel
            region_code="江西省赣州市南康区",  # a place written out
            hometown_code=360703,
            level="副会长单位",
            joined_on=date(2019, 5, 4),
            member_no="GDJX-0001",  # taken before any number is generated
            rep_name="曾国华",
            rep_title="董事长",
            rep_phone="138 0013 8000",
            introduction="实木家具",
        ),
        member_row(
            kind="企業會員",  # Traditional
            name="广州市天河区石牌村第3经济合作社",
            uscc=second,
            rep_name="仇志强",
            rep_phone=13900139000,
        ),
        [],  # a blank row in the middle is skipped
        member_row(kind="个人会员", name="解小红", rep_phone="13700137000", joined_on="2021年3月"),
    ]
    base = f"/a/{a.slug}/office/members/import"
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = xlsx(rows, title="广东省江西商会会员名单（2026）")
    response = admin.post(f"{base}/", {"file": SimpleUploadedFile("名单.xlsx", content)})
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(a):
        member_import = MemberImport.objects.get(association=a)
    assert response["Location"].endswith(f"/import/{member_import.pk}/mapping/")
    assert member_import.column_mapping["header_row"] == 2
    page = admin.get(response["Location"]).content.decode()
    assert "赣州市南康区家具有限公司" in page  # sample values beside the mapping
    mapping = {f"col_{key}": index for key, index in fields_of(member_import).items()}
    assert len(mapping) == 15
    response = admin.post(response["Location"], mapping)
    assert response["Location"].endswith(f"/import/{member_import.pk}/progress/")
    progress = admin.get(response["Location"])
    assert "sh-progress" in progress.content.decode()
    polled = admin.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert polled.lstrip().startswith('<div class="sh-progress-box') and "hx-get" in polled

    run_worker()
    hx = admin.get(f"{base}/{member_import.pk}/progress/", HTTP_HX_REQUEST="true")
    assert hx["HX-Redirect"] == f"{base}/{member_import.pk}/"
    preview = admin.get(f"{base}/{member_import.pk}/").content.decode()
    assert "3 行可导入，0 行有错误" in preview
    confirm = admin.get(f"{base}/{member_import.pk}/commit/")
    assert "将导入 3 位会员" in confirm.content.decode()
    assert admin.post(f"{base}/{member_import.pk}/commit/").status_code == 302

    run_worker()
    result = admin.get(f"{base}/{member_import.pk}/").content.decode()
    assert "已导入 3 位会员" in result and "搜索索引" not in result
    with tenant_context(a):
        job = Job.objects.get(pk=MemberImport.objects.get(pk=member_import.pk).job_id)
        assert (job.status, job.message) == (Job.Status.DONE, "已导入 3 位会员，均可搜索")
    with tenant_context(a):
        furniture = Member.objects.get(association=a, uscc=first)
        assert (furniture.member_no, furniture.level, furniture.joined_on) == (
            "GDJX-0001",
            level,
            date(2019, 5, 4),
        )
        assert (furniture.industry_code, furniture.region_code) == ("21", "360703")
        assert furniture.status == Member.Status.ACTIVE
        assert "nkqjjyxgs" in furniture.search_text  # pinyin initials of 南康区家具有限公司
        rep = Representative.objects.select_related("person").get(member=furniture)
        assert (rep.person.name, rep.person.phone, rep.title) == ("曾国华", "13800138000", "董事长")
        assert "zgh" in rep.person.search_text  # 曾 read as the surname zeng
        coop = Member.objects.get(association=a, uscc=second)
        assert coop.member_no == "GDJX-0002"  # numbered by the pattern, around the file's own
        individual = Member.objects.get(association=a, name="解小红")
        assert individual.kind == Member.Kind.INDIVIDUAL
        assert (individual.joined_on, individual.member_no) == (date(2021, 3, 1), "GDJX-0003")
        assert individual.representatives.get().person.name == "解小红"
        history = MemberStatusChange.objects.filter(member__in=[furniture, coop, individual])
        assert {(h.reason, h.to_status, h.actor_id) for h in history} == {
            ("导入", "active", side_a.admin.pk)
        }
        member_import.refresh_from_db()
        assert (member_import.status, member_import.created_count) == ("done", 3)

        # The directory finds the imported members through their search tokens: by the
        # name's initials, a representative's name (仇 read as qiu, 解 as xie), phone digits.
        def found(q: str, *, directory: bool = True) -> list[str]:
            qs = member_search(association=a, filters=MemberFilters(q=q), directory=directory)
            return list(qs.values_list("name", flat=True))

        assert found("nkqjj") == ["赣州市南康区家具有限公司"]
        assert found("qzq") == ["广州市天河区石牌村第3经济合作社"]
        # Phone digits: the secretariat's search (members find only whole, shown numbers).
        assert found("139000", directory=False) == ["广州市天河区石牌村第3经济合作社"]
        assert found("xxh") == ["解小红"]
        assert found("石牌村") == ["广州市天河区石牌村第3经济合作社"]


@pytest.mark.django_db(transaction=True)
def test_the_commit_links_each_representative_to_one_person(
    side_a: Side, privacy_notice: None
) -> None:
    """People at commit: a phone the association knows is that person, the same phone twice in
    the file is one new person, a representative without a phone is a person of their own; a
    member admitted afterwards gets a key of its own."""
    a = side_a.association
    known = PersonFactory(association=a, name="王芳", phone="13300133000")
    # A later record with the same phone (a typo kept): the oldest is the person, as when a
    # member is created — at validation (the names agree: no error) and at commit.
    PersonFactory(association=a, name="王方", phone="13300133000")
    rows = [
        member_row(name="甲有限公司", uscc=make_uscc(), rep_name="王芳", rep_phone="13300133000"),
        member_row(name="乙有限公司", uscc=make_uscc(), rep_name="李雷", rep_phone="13100131000"),
        member_row(name="丙有限公司", uscc=make_uscc(), rep_name="李雷", rep_phone="13100131000"),
        member_row(name="丁有限公司", uscc=make_uscc(), rep_name="韩梅梅"),
        member_row(name="戊有限公司", uscc=make_uscc(), rep_name="韩梅梅"),
    ]
    client, base, import_id = _validated_import(side_a, rows)
    client.post(f"{base}/{import_id}/commit")
    run_worker()
    assert body(client.get(f"{base}/{import_id}"))["status"] == "done"
    with tenant_context(a):
        person_of = {
            rep.member.name: rep.person
            for rep in Representative.objects.filter(
                association=a, member__name__endswith="有限公司"
            ).select_related("member", "person")
        }
        assert person_of["甲有限公司"] == known
        assert person_of["乙有限公司"] == person_of["丙有限公司"] != known
        assert person_of["丁有限公司"] != person_of["戊有限公司"]
        assert Person.objects.filter(association=a, phone="13100131000").count() == 1
        assert "ll" in person_of["乙有限公司"].search_text  # computed at the commit
        assert person_of["丁有限公司"].sort_key == "hanmeimei"
        imported = Member.objects.filter(association=a, name__endswith="有限公司")
        assert imported.get(name="甲有限公司").sort_key.startswith("jia")
        keys = set(imported.values_list("pk", flat=True))
        # Would be refused (a taken key) had the commit's reserved keys not moved the counter on.
        later = member_create(
            association=a,
            actor=side_a.admin,
            data=MemberInput(kind="enterprise", name="己有限公司", uscc=make_uscc()),
        )
        assert later.pk > max(keys)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_import_through_the_api(side_a: Side, privacy_notice: None, encoding: str) -> None:
    """Chinese Excel saves CSV in GBK; others in UTF-8 with or without a BOM. Headers are
    synonyms of the template's."""
    a = side_a.association
    existing = PersonFactory(association=a, name="龚志军", phone="13600136000")
    code = make_uscc("91", "440300")
    text = (
        "企业名称,信用代码,联系人,手机,入会时间\r\n"
        f"深圳市龙华区龚氏电子有限公司,{code},龚志军,13600136000,2020/1/2\r\n"
        f"深圳市宝安区“新纪元”科技有限公司,{make_uscc('91', '440306')},单小明,13500135000,\r\n"
    )
    client = api_client(side_a.admin)
    base = f"/api/v1/associations/{a.slug}/members/imports"
    response = upload_api(client, a.slug, "名单.csv", text.encode(encoding))
    assert response.status_code == 201, response.content
    created = body(response)
    assert created["headers"][0] == "企业名称"
    assert created["columns"] == {
        "name": 0,
        "uscc": 1,
        "rep_name": 2,
        "rep_phone": 3,
        "joined_on": 4,
    }
    job = client.post(f"{base}/{created['id']}/validate")
    assert job.status_code == 202, job.content
    run_worker()
    validated = body(client.get(f"{base}/{created['id']}"))
    assert (validated["status"], validated["valid_rows"], validated["error_rows"]) == (
        "validated",
        2,
        0,
    )
    # Same phone, same name: linked to the known person — a warning, not an error.
    assert validated["issues"][0]["level"] == "warning"
    assert validated["issues"][0]["row"] == 2
    assert client.post(f"{base}/{created['id']}/commit").status_code == 202
    run_worker()
    done = body(client.get(f"{base}/{created['id']}"))
    assert (done["status"], done["created_count"]) == ("done", 2)
    with tenant_context(a):
        member = Member.objects.get(association=a, uscc=code)
        assert member.name == "深圳市龙华区龚氏电子有限公司"
        assert member.representatives.get().person == existing
        assert Member.objects.filter(name="深圳市宝安区“新纪元”科技有限公司").exists()
        assert Person.objects.filter(association=a, phone="13600136000").count() == 1


# --- Validation and the error report ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_validation_errors_and_the_error_report(side_a: Side, privacy_notice: None) -> None:
    a = side_a.association
    PersonFactory(association=a, name="王芳", phone="13300133000")
    good, dup = make_uscc(), make_uscc()
    row = member_row
    rows = [
        HEADERS,
        # 2: fine (a formula-like name is data, neutralised in the report)
        row(
            name='@HYPERLINK("http://evil")公司',
            uscc=good,
            rep_name="李雷",
            rep_phone="13100131000",
        ),
        row(name="坏代码有限公司", uscc="91440300MA5XXXXXX1"),  # 3: checksum
        row(name="坏手机有限公司", uscc=make_uscc(), rep_name="张三", rep_phone="12345"),  # 4
        row(name="", uscc=make_uscc()),  # 5: no name
        row(name="无级别有限公司", uscc=make_uscc(), level="名誉会长单位"),  # 6
        row(name="重复代码有限公司", uscc=dup),  # 7
        row(name="重复代码二有限公司", uscc=dup),  # 8: the same code as row 7
        # 9: row 2's phone under another name
        row(
            name="同号不同人有限公司", uscc=make_uscc(), rep_name="韩梅梅", rep_phone="13100131000"
        ),
        row(name="老会员有限公司", uscc=side_a.member.uscc),  # 10: already a member
        # 11: a phone the association knows under another name
        row(
            name="号码已登记有限公司", uscc=make_uscc(), rep_name="王小芳", rep_phone="13300133000"
        ),
        row(name="数字代码有限公司", uscc=914403001234567890),  # 12: an Excel number
        row(name="日期有误有限公司", uscc=make_uscc(), joined_on="去年"),  # 13
        row(kind="团体", name="类型有误有限公司", uscc=make_uscc()),  # 14
        # 15: row 2's representative again: a warning
        row(name="同一人有限公司", uscc=make_uscc(), rep_name="李雷", rep_phone="131-0013-1000"),
        row(name=EXAMPLE_NAME, uscc=EXAMPLE_USCC),  # 16: the template's example
    ]
    client = api_client(side_a.admin)
    base = f"/api/v1/associations/{a.slug}/members/imports"
    created = body(upload_api(client, a.slug, "有错误的名单.xlsx", xlsx(rows)))
    client.post(f"{base}/{created['id']}/validate")
    run_worker()
    result = body(client.get(f"{base}/{created['id']}"))
    assert result["status"] == "validated"
    assert (result["total_rows"], result["error_rows"], result["valid_rows"]) == (15, 12, 3)
    by_row: dict[int, list[str]] = {}
    for issue in result["issues"]:
        by_row.setdefault(issue["row"], []).append(f"{issue['column']}:{issue['message']}")
    assert by_row[3][0] == "统一社会信用代码:统一社会信用代码的校验位不对，请逐位核对"
    assert by_row[4][0].startswith("代表手机号:请输入有效的中国大陆手机号")
    assert by_row[5] == ["名称:请填写名称"]
    assert "名誉会长单位" in by_row[6][0]
    assert by_row[8] == ["统一社会信用代码:与第 7 行的统一社会信用代码重复"]
    assert by_row[9] == ["代表手机号:与第 2 行的手机号相同，但姓名不同（李雷）"]
    assert by_row[10] == ["统一社会信用代码:该统一社会信用代码已是本会会员"]
    assert "王芳" in by_row[11][0]
    assert "存成了数字" in by_row[12][0]
    assert "入会日期" in by_row[13][0] and "会员类型" in by_row[14][0]
    assert "同一位代表" in by_row[15][0]
    assert "示例行" in by_row[16][0]
    # Nothing may be committed while any row has an error.
    refused = client.post(f"{base}/{created['id']}/commit")
    assert refused.status_code == 400
    assert "12 行有错误" in body(refused)["error"]["message"]

    report = client.get(f"{base}/{created['id']}/report")
    assert report.status_code == 200
    sheet = read_sheet(b"".join(report.streaming_content))  # type: ignore[attr-defined]
    assert list(sheet[0]) == [*HEADERS, "错误说明"]
    assert len(sheet) == 16  # every row, so the fixed file can be uploaded whole
    notes = {row[1]: row[-1] for row in sheet[1:]}
    assert notes['\'@HYPERLINK("http://evil")公司'] is None  # neutralised, and no error
    assert notes["重复代码二有限公司"] == "统一社会信用代码：与第 7 行的统一社会信用代码重复"
    assert notes["同一人有限公司"].startswith("[提示] 代表手机号：")
    page = Client()
    page.force_login(side_a.admin)
    preview = page.get(f"/a/{a.slug}/office/members/import/{created['id']}/").content.decode()
    assert "下载错误报告" in preview and "与第 7 行的统一社会信用代码重复" in preview
    assert "下一步：确认导入" not in preview
    assert counts(side_a)[0] == 1  # side A's own member only


@pytest.mark.django_db
def test_mapping_can_be_adjusted(side_a: Side) -> None:
    a = side_a.association
    client = api_client(side_a.admin)
    content = "单位名称,负责人手机,备注\n赣州稀土集团有限公司,13800138000,\n".encode()
    created = body(upload_api(client, a.slug, "list.csv", content))
    assert created["columns"] == {"name": 0}  # "负责人手机" is not a known header
    url = f"/api/v1/associations/{a.slug}/members/imports/{created['id']}/mapping"
    same_column = client.put(
        url, {"columns": {"name": 0, "rep_phone": 0}}, content_type="application/json"
    )
    assert same_column.status_code == 400
    no_name = client.put(url, {"columns": {"rep_phone": 1}}, content_type="application/json")
    assert "名称" in body(no_name)["error"]["message"]
    ok = client.put(
        url, {"columns": {"name": 0, "rep_phone": 1, "uscc": None}}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert body(ok)["columns"] == {"name": 0, "rep_phone": 1}


# --- The import's files expire -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_import_files_expire_and_the_import_says_so(side_a: Side, privacy_notice: None) -> None:
    """The uploaded list and the error report hold phone lists: they carry ``expires_at``
    (``TASK_RETENTION_DAYS``), and once the retention job removed them the page and the API
    say so — and nothing more can be done with the import."""
    a = side_a.association
    rows = [
        HEADERS,
        member_row(
            name="好名字有限公司", uscc=make_uscc(), rep_name="李雷", rep_phone="13100131000"
        ),
        member_row(name="坏代码有限公司", uscc="91440300MA5XXXXXX1"),
    ]
    client = api_client(side_a.admin)
    base = f"/api/v1/associations/{a.slug}/members/imports"
    created = body(upload_api(client, a.slug, "会员名单.xlsx", xlsx(rows)))
    assert created["file_expired"] is False and created["file_message"] == ""
    client.post(f"{base}/{created['id']}/validate")
    run_worker()
    before = timezone.now()
    with tenant_context(a):
        member_import = MemberImport.objects.get(pk=created["id"])
        source, report = member_import.source_file, member_import.error_report
        assert source is not None and report is not None
        assert source.name == "会员名单.xlsx" and report.name == "会员名单-错误报告.xlsx"
        days = timedelta(days=settings.TASK_RETENTION_DAYS)
        for stored in (source, report):
            assert stored.expires_at is not None
            assert before - timedelta(minutes=5) < stored.expires_at - days <= before
    assert client.get(f"{base}/{created['id']}/report").status_code == 200

    # Not yet: nothing goes before its time.
    assert files_expire(a, now=before + days - timedelta(hours=1)) == 0
    assert files_expire(a, now=before + days + timedelta(minutes=5)) == 2
    with tenant_context(a):
        member_import.refresh_from_db()
        assert member_import.source_file_id is None and member_import.error_report_id is None
        assert not StoredFile.objects.filter(pk__in=[source.pk, report.pk]).exists()

    expired = body(client.get(f"{base}/{created['id']}"))
    assert expired["file_expired"] is True and "文件已过期删除" in expired["file_message"]
    assert expired["has_error_report"] is False
    gone = client.get(f"{base}/{created['id']}/report")
    assert gone.status_code == 410
    assert body(gone)["error"]["code"] == "file_expired"
    assert "文件已过期删除" in body(gone)["error"]["message"]
    for action in ("validate", "commit"):
        refused = client.post(f"{base}/{created['id']}/{action}")
        assert refused.status_code == 400, action
        assert "文件已过期删除" in body(refused)["error"]["message"]
    mapping = client.put(
        f"{base}/{created['id']}/mapping", {"columns": {"name": 0}}, "application/json"
    )
    assert mapping.status_code == 400 and "文件已过期删除" in body(mapping)["error"]["message"]

    page = Client()
    page.force_login(side_a.admin)
    detail = f"/a/{a.slug}/office/members/import/{created['id']}/"
    preview = page.get(detail).content.decode()
    assert "文件已过期删除" in preview
    assert f"{detail}report/" not in preview and "调整表头对应" not in preview
    report_page = page.get(f"{detail}report/", follow=True)
    assert report_page.status_code == 200 and "文件已过期删除" in report_page.content.decode()
    mapping_page = page.get(f"{detail}mapping/").content.decode()
    assert "文件已过期删除" in mapping_page and "保存并开始校验" not in mapping_page


# --- Bad files --------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """An xlsx whose parts unpack to more than 200 MB (a few hundred KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            block = b" " * 2**20
            for _ in range(201):
                part.write(block)
    return buffer.getvalue()


BAD_FILES = {
    "pdf named xlsx": (
        "名单.xlsx",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
        "不是表格文件",
    ),
    "png named csv": ("名单.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是表格文件"),
    "binary": ("名单.csv", bytes(range(256)) * 4, "不是表格文件"),
    "broken xls": ("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "损坏"),
    "empty": ("名单.xlsx", b"", "文件是空的"),
    "blank csv": ("名单.csv", b"\r\n\r\n,,\r\n", "文件是空的"),
    "header only xlsx": ("名单.xlsx", xlsx([HEADERS]), "只有表头"),
    "header only csv": ("名单.csv", ",".join(HEADERS).encode("gb18030"), "只有表头"),
    "corrupt zip": ("名单.xlsx", xlsx([HEADERS, member_row(name="甲公司")])[:1500], "损坏"),
    "zip but not xlsx": ("名单.xlsx", _zip({"word/document.xml": b"<w/>"}), "不是 Excel"),
    "no known column": ("名单.csv", "序号,备注\n1,广州\n".encode(), "找不到“名称”列"),
    "wrong sheet content": (
        "名单.xlsx",
        xlsx([["序号", "金额"], [1, 100]]),
        "找不到“名称”列",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_with_a_clear_message(side_a: Side, case: str) -> None:
    name, content, message = BAD_FILES[case]
    response = upload_api(api_client(side_a.admin), side_a.association.slug, name, content)
    assert response.status_code == 400, response.content
    assert message in body(response)["error"]["message"]
    assert counts(side_a) == (1, 1, 0)  # nothing stored, nothing created


@pytest.mark.django_db
def test_zip_bomb_and_oversized_files_are_refused(side_a: Side, settings: Any) -> None:
    client, slug = api_client(side_a.admin), side_a.association.slug
    bomb = upload_api(client, slug, "bomb.xlsx", _zip_bomb())
    assert bomb.status_code == 400
    assert "解压后过大" in body(bomb)["error"]["message"]
    settings.UPLOAD_MAX_BYTES = 1000
    big = upload_api(client, slug, "big.xlsx", xlsx([HEADERS, *[member_row(name="某公司")] * 200]))
    assert big.status_code == 400
    assert "不能超过" in body(big)["error"]["message"]
    # The page says the same.
    page = Client()
    page.force_login(side_a.admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = page.post(
        f"/a/{slug}/office/members/import/", {"file": SimpleUploadedFile("x.csv", b"x" * 2000)}
    )
    assert response.status_code == 200 and "不能超过" in response.content.decode()
    assert counts(side_a) == (1, 1, 0)


def write_only_xlsx(rows: list[list[Any]]) -> bytes:
    """As scripts write them: streamed, without the declared sheet size Excel writes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_more_than_100000_rows_are_refused_at_upload(side_a: Side) -> None:
    client, slug = api_client(side_a.admin), side_a.association.slug
    rows = "".join(f"会员{n}有限公司,13800138000\n" for n in range(100_001))
    csv_file = upload_api(client, slug, "big.csv", ("名称,手机\n" + rows).encode())
    assert csv_file.status_code == 400
    assert "超过 100,000 行" in body(csv_file)["error"]["message"]
    # Excel declares the sheet's size: refused without reading the rows.
    sheet = xlsx([["名称"], *([["某公司"]] * 100_001)])
    xlsx_file = upload_api(client, slug, "big.xlsx", sheet)
    assert xlsx_file.status_code == 400
    assert "超过 100,000 行" in body(xlsx_file)["error"]["message"]
    exactly = upload_api(
        client, slug, "ok.csv", ("名称,手机\n" + rows[rows.index("\n") + 1 :]).encode()
    )
    assert exactly.status_code == 201
    assert body(exactly)["total_rows"] == 100_000


@pytest.mark.django_db(transaction=True)
def test_too_many_rows_in_a_file_that_does_not_declare_its_size_are_refused_at_upload(
    side_a: Side, privacy_notice: None, settings: Any
) -> None:
    """openpyxl's write-only files carry no size: the rows are counted when the file is
    opened, and the upload is refused with the limit (lowered here to keep the test quick)."""
    settings.MEMBER_IMPORT_MAX_ROWS = 50
    a = side_a.association
    client = api_client(side_a.admin)
    sheet = write_only_xlsx([["名称"], *[[f"某某{n}有限公司"] for n in range(51)]])
    refused = upload_api(client, a.slug, "big.xlsx", sheet)
    assert refused.status_code == 400
    assert "超过 50 行" in body(refused)["error"]["message"]
    assert body(client.get(f"/api/v1/associations/{a.slug}/members/imports"))["count"] == 0
    assert counts(side_a)[:2] == (1, 1)


@pytest.mark.parametrize(
    ("stray_cell", "message"),
    [("XFD1048576", "超过 100,000 行"), ("BZ2", "超过 50 列")],
)
@pytest.mark.django_db
def test_a_stray_far_away_cell_is_refused_before_the_sheet_is_loaded(
    side_a: Side, stray_cell: str, message: str
) -> None:
    """The sheet would be loaded as one rectangle reaching that cell: gigabytes for XFD1048576."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append(member_row(name="正常有限公司", uscc=make_uscc()))
    sheet[stray_cell] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    refused = upload_api(
        api_client(side_a.admin), side_a.association.slug, "x.xlsx", buffer.getvalue()
    )
    assert refused.status_code == 400
    assert message in body(refused)["error"]["message"]
    assert counts(side_a)[:2] == (1, 1)


def test_the_sheet_extent_is_read_with_prefixes_rows_and_across_chunks() -> None:
    """Cells written with a namespace prefix, a row that only its own reference numbers, and a
    reference cut in two by the 1 MiB chunks the parts are read in all count."""
    head = '<x:worksheet xmlns:x="main"><x:sheetData><x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c>'
    # Whitespace up to where the far cell's reference straddles the first chunk's end.
    padding = " " * (2**20 - len(head) - len("<x:c") - 5)
    sheet = (
        f'{head}{padding}<x:c r="AB250000"><x:v>1</x:v></x:c></x:row><x:row r="260000"/>'
        "</x:sheetData></x:worksheet>"
    )
    assert sheet.index(' r="AB250000"') < 2**20 < sheet.index(' r="AB250000"') + 12
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    with zipfile.ZipFile(buffer) as archive:
        extent = _sheet_extent(archive, archive.infolist())
    assert extent == (260_000, 28)


@pytest.mark.parametrize(
    ("rows", "extent"),
    [
        ('<row r="3"><c r="B3"/></row>', (3, 2)),
        # The reader places rows and cells without a reference after the previous ones.
        ("<row/>" * 1000 + "<row>" + "<c/>" * 300 + "</row>", (1001, 300)),
        ('<row r="7" spans="1:2"><c r="C7"/><c t="s"><v>0</v></c></row><row/>', (8, 4)),
    ],
)
def test_the_sheet_extent_counts_rows_and_cells_without_references(
    rows: str, extent: tuple[int, int]
) -> None:
    sheet = f'<worksheet xmlns="main"><sheetData>{rows}</sheetData></worksheet>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    with zipfile.ZipFile(buffer) as archive:
        assert _sheet_extent(archive, archive.infolist()) == extent


# --- All or nothing ---------------------------------------------------------------------


def _validated_import(side: Side, rows: list[list[Any]]) -> tuple[Client, str, int]:
    client = api_client(side.admin)
    base = f"/api/v1/associations/{side.association.slug}/members/imports"
    created = body(upload_api(client, side.association.slug, "名单.xlsx", xlsx([HEADERS, *rows])))
    client.post(f"{base}/{created['id']}/validate")
    run_worker()
    assert body(client.get(f"{base}/{created['id']}"))["status"] == "validated"
    return client, base, created["id"]


@pytest.mark.django_db(transaction=True)
def test_the_search_index_follows_the_commit(side_a: Side, privacy_notice: None) -> None:
    """The commit job's two steps apart: at the commit the members are in the list and the
    import is done; the result page says their search index is being written, and the
    search finds them once it is."""
    a = side_a.association
    rows = [
        member_row(name="吉安市井冈山红色旅游有限公司", uscc=make_uscc(), rep_name="邹小平"),
        member_row(
            name="鹰潭市余江区眼镜有限公司",
            uscc=make_uscc(),
            rep_name="桂小兰",
            rep_phone="13912345678",
        ),
    ]
    with tenant_context(a):  # an older row without tokens: not this import's to count
        insert_rows(Member, [{"kind": "enterprise", "name": "旧有限公司"}], association=a)
    client, base, import_id = _validated_import(side_a, rows)
    with tenant_context(a):
        member_import = MemberImport.objects.get(pk=import_id)
        job = member_import_commit(association=a, actor=side_a.admin, member_import=member_import)
        assert commit_rows(member_import=member_import, job=job).members == 2
        member_import.refresh_from_db()
        assert member_import.status == MemberImport.Status.DONE
        assert search_index_backlog(association=a) == 5  # the old one, two members, two people
    assert found_names(side_a, "井冈山") == []
    page = Client()
    page.force_login(side_a.admin)
    shown = page.get(f"/a/{a.slug}/office/members/import/{import_id}/").content.decode()
    assert "已导入 2 位会员" in shown and "正在为新会员建立搜索索引" in shown
    assert f"/jobs/{job.pk}/" in shown  # the progress bar polls the job
    # Had the worker died here, the job would never report again: once it has been silent
    # too long, the page gives it up and says what is missing.
    with tenant_context(a):
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING, updated_at=timezone.now() - STALLED_AFTER
        )
    shown = page.get(f"/a/{a.slug}/office/members/import/{import_id}/").content.decode()
    assert "正在为新会员建立搜索索引" not in shown
    assert "还有 4 位会员或联系人暂时搜索不到" in shown
    with tenant_context(a):
        given_up = Job.objects.get(pk=job.pk)
        assert MemberImport.objects.get(pk=import_id).status == MemberImport.Status.DONE
    assert given_up.status == Job.Status.FAILED  # and it says the members are in
    assert given_up.message == (
        "后台任务意外中断（服务器可能重启过）。中断前：已导入 2 位会员，正在建立搜索索引"
    )

    call_command("search_index")  # the daily run does what the job left
    with tenant_context(a):
        assert search_index_backlog(association=a) == 0
    shown = page.get(f"/a/{a.slug}/office/members/import/{import_id}/").content.decode()
    assert "已导入 2 位会员" in shown and "暂时搜索不到" not in shown
    assert found_names(side_a, "井冈山") == ["吉安市井冈山红色旅游有限公司"]
    assert found_names(side_a, "zxp") == ["吉安市井冈山红色旅游有限公司"]  # 邹小平
    assert found_names(side_a, "5678") == ["鹰潭市余江区眼镜有限公司"]
    run_worker()  # the queued commit task finds the import done and leaves it alone
    assert body(client.get(f"{base}/{import_id}"))["created_count"] == 2
    assert counts(side_a)[0] == 4  # the fixture's member, the old one and the two imported


@pytest.mark.django_db(transaction=True)
def test_the_imports_index_counts_and_reads_only_its_own_rows(
    side_a: Side, privacy_notice: None
) -> None:
    """The commit reserved its keys: the index starts at the first, so an import into a large
    association does not read every older member again, and its progress bar counts what
    the commit wrote. An older row left without tokens waits for the daily run."""
    a = side_a.association
    with tenant_context(a):
        insert_rows(
            Member,
            [{"kind": "enterprise", "name": "早年导入未索引有限公司", "member_no": "OLD1"}],
            association=a,
        )
    rows = [
        member_row(name="抚州市临川区才子食品有限公司", uscc=make_uscc(), rep_name="晏殊"),
        member_row(name="抚州市南城县麻姑米业有限公司", uscc=make_uscc(), rep_name="王安石"),
        member_row(name="抚州市金溪县香料有限公司", uscc=make_uscc()),
    ]
    client, base, import_id = _validated_import(side_a, rows)
    job_id = body(client.post(f"{base}/{import_id}/commit"))["id"]
    run_worker()
    job = body(client.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}"))
    assert (job["status"], job["done"], job["total"]) == ("done", 5, 5)  # 3 members, 2 people
    assert found_names(side_a, "mgmy") == ["抚州市南城县麻姑米业有限公司"]
    assert found_names(side_a, "早年导入") == []
    with tenant_context(a):
        assert search_index_backlog(association=a) == 1
    call_command("search_index")
    assert found_names(side_a, "早年导入") == ["早年导入未索引有限公司"]


def found_names(side: Side, q: str) -> list[str]:
    with tenant_context(side.association):
        qs = member_search(
            association=side.association, filters=MemberFilters(q=q), directory=False
        )
        return sorted(qs.values_list("name", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_collision_at_commit_rolls_back_the_whole_import(
    side_a: Side, privacy_notice: None
) -> None:
    """A row that passed validation collides at commit (a clerk admitted the same enterprise
    in between): nothing of the file is created, and the import says why."""
    a = side_a.association
    late = make_uscc()
    rows = [
        member_row(
            name=f"先到有限公司{n}", uscc=make_uscc(), rep_name="张伟", rep_phone=f"138000{n}0000"
        )
        for n in range(5)
    ]
    rows.append(member_row(name="后到有限公司", uscc=late))
    client, base, import_id = _validated_import(side_a, rows)
    with tenant_context(a):
        member_create(
            association=a,
            actor=side_a.admin,
            data=MemberInput(kind="enterprise", name="抢先入会有限公司", uscc=late),
        )
        policy_before = MembershipPolicy.objects.get(association=a).next_number
    before = counts(side_a)
    assert client.post(f"{base}/{import_id}/commit").status_code == 202
    run_worker()
    result = body(client.get(f"{base}/{import_id}"))
    assert result["status"] == "failed"
    assert "已全部撤销" in result["message"] and "第 7 行" in result["message"]
    assert counts(side_a) == before
    with tenant_context(a):
        assert not Member.objects.filter(name__startswith="先到有限公司").exists()
        assert MembershipPolicy.objects.get(association=a).next_number == policy_before
    page = Client()
    page.force_login(side_a.admin)
    shown = page.get(f"/a/{a.slug}/office/members/import/{import_id}/").content.decode()
    assert "没有导入任何会员" in shown and "重新校验" in shown


@pytest.mark.django_db(transaction=True)
def test_a_database_error_at_commit_rolls_back_the_whole_import(
    side_a: Side, privacy_notice: None
) -> None:
    """The level a row names is deleted after validation: the database refuses the last rows
    and every row already written is rolled back."""
    a = side_a.association
    with tenant_context(a):
        level = Level.objects.create(association=a, name="理事单位", rank=5, annual_fee=3000)
    rows = [member_row(name=f"第{n}家有限公司", uscc=make_uscc()) for n in range(3)]
    rows.append(member_row(name="理事有限公司", uscc=make_uscc(), level="理事单位"))
    client, base, import_id = _validated_import(side_a, rows)
    with tenant_context(a):
        level.delete()
    before = counts(side_a)
    client.post(f"{base}/{import_id}/commit")
    run_worker()
    result = body(client.get(f"{base}/{import_id}"))
    assert (result["status"], result["created_count"]) == ("failed", 0)
    assert "已全部撤销" in result["message"]
    assert counts(side_a) == before


def _worker_dies_on_next_task(association: Any) -> Job:
    """A worker claims the queued task, marks its job running, and is killed: the task stays
    claimed (django-tasks-db never runs it again) and the job silent."""
    with transaction.atomic():
        task = DBTaskResult.objects.ready().get()
        task.claim("killed-worker")
    job = job_for_task(job_id=task.args_kwargs["kwargs"]["job_id"], association_id=association.pk)
    with tenant_context(association):
        Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - STALLED_AFTER)
    return job


@pytest.mark.django_db(transaction=True)
def test_a_validation_whose_worker_died_fails_and_can_run_again(
    side_a: Side, privacy_notice: None
) -> None:
    """The import is given up with its job when it is read, says why, and validates again;
    the dead job's late result — had its worker been alive after all — changes nothing."""
    a = side_a.association
    client = api_client(side_a.admin)
    base = f"/api/v1/associations/{a.slug}/members/imports"
    content = xlsx([HEADERS, member_row(name="中断测试有限公司", uscc=make_uscc())])
    import_id = body(upload_api(client, a.slug, "名单.xlsx", content))["id"]
    client.post(f"{base}/{import_id}/validate")
    dead = _worker_dies_on_next_task(a)
    listed = body(client.get(base))["items"]  # the list gives it up as well as the import
    assert [(i["id"], i["status"]) for i in listed] == [(import_id, "failed")]
    shown = body(client.get(f"{base}/{import_id}"))
    assert shown["status"] == "failed" and "意外中断" in shown["message"]
    page = Client()
    page.force_login(side_a.admin)
    html = page.get(f"/a/{a.slug}/office/members/import/{import_id}/", follow=True)
    assert "意外中断" in html.content.decode() and "重新校验" in html.content.decode()

    assert client.post(f"{base}/{import_id}/validate").status_code == 202
    # Had the dead job's worker been alive after all: its validation, under way when the new
    # one was started, records nothing; its task, started only now, does nothing.
    with tenant_context(a):
        stale = MemberImport.objects.get(pk=import_id)
    with pytest.raises(ImportSuperseded):
        validate_rows(member_import=stale, job=dead)
    validate_member_import.call(job_id=str(dead.pk), import_id=import_id, association_id=a.pk)
    with tenant_context(a):
        stale = MemberImport.objects.get(pk=import_id)
        dead.refresh_from_db()
    assert stale.status == MemberImport.Status.VALIDATING
    assert not stale.column_mapping.get("staged") and not stale.message
    assert dead.status == Job.Status.FAILED and "意外中断" in dead.message
    run_worker()
    assert body(client.get(f"{base}/{import_id}"))["status"] == "validated"


@pytest.mark.django_db(transaction=True)
def test_a_commit_whose_worker_died_imports_nothing_and_can_run_again(
    side_a: Side, privacy_notice: None
) -> None:
    """The commit is one transaction, so a dead worker imported nothing: the import fails
    with a message and can be validated and committed again. A commit still running for the
    given-up job rolls back instead of importing the file a second time."""
    a = side_a.association
    rows = [member_row(name=f"中断导入{n}有限公司", uscc=make_uscc()) for n in range(3)]
    client, base, import_id = _validated_import(side_a, rows)
    before = counts(side_a)
    client.post(f"{base}/{import_id}/commit")
    dead = _worker_dies_on_next_task(a)
    shown = body(client.get(f"{base}/{import_id}"))
    assert (shown["status"], shown["created_count"]) == ("failed", 0)
    assert "意外中断" in shown["message"]
    with tenant_context(a):
        stale = MemberImport.objects.get(pk=import_id)
    with pytest.raises(ImportSuperseded):
        commit_rows(member_import=stale, job=dead)
    assert counts(side_a) == before

    client.post(f"{base}/{import_id}/validate")
    run_worker()
    assert client.post(f"{base}/{import_id}/commit").status_code == 202
    run_worker()
    done = body(client.get(f"{base}/{import_id}"))
    assert (done["status"], done["created_count"]) == ("done", 3)
    assert counts(side_a)[0] == before[0] + 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_jobs_run_under_row_level_security(side_a: Side, privacy_notice: None) -> None:
    """Workers connect as the application role, which sees no tenant row outside a tenant
    context: the jobs must open theirs before reading anything."""
    a = side_a.association
    client = api_client(side_a.admin)
    base = f"/api/v1/associations/{a.slug}/members/imports"
    content = xlsx([HEADERS, member_row(name="行级安全测试有限公司", uscc=make_uscc())])
    import_id = body(upload_api(client, a.slug, "名单.xlsx", content))["id"]
    for step in ("validate", "commit"):
        assert client.post(f"{base}/{import_id}/{step}").status_code == 202
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {APP_DB_ROLE}")
            try:
                run_worker()
            finally:
                cursor.execute("RESET ROLE")
    assert body(client.get(f"{base}/{import_id}"))["created_count"] == 1


# --- Permissions ------------------------------------------------------------------------


@pytest.mark.django_db
def test_members_may_not_import(side_a: Side, member_a: Client) -> None:
    slug = side_a.association.slug
    assert member_a.get(f"/a/{slug}/office/members/import/").status_code == 403
    assert member_a.get(f"/a/{slug}/office/members/import/template/").status_code == 403
    response = upload_api(
        api_client(side_a.member_user), slug, "x.csv", b"\xe5\x90\x8d\xe7\xa7\xb0\na\n"
    )
    assert response.status_code == 403
    assert counts(side_a)[2] == 0


@pytest.mark.django_db
def test_another_associations_import_is_not_found(side_a: Side, side_b: Side) -> None:
    with tenant_context(side_b.association):
        foreign = MemberImport.objects.create(
            association=side_b.association,
            owner=side_b.admin,
            original_name="乙市名单.xlsx",
        )
    client = api_client(side_a.admin)
    slug = side_a.association.slug
    for path in ("", "/report"):
        response = client.get(f"/api/v1/associations/{slug}/members/imports/{foreign.pk}{path}")
        assert response.status_code == 404
    assert (
        client.post(f"/api/v1/associations/{slug}/members/imports/{foreign.pk}/commit").status_code
        == 404
    )
    page = Client()
    page.force_login(side_a.admin)
    assert page.get(f"/a/{slug}/office/members/import/{foreign.pk}/").status_code == 404
    listed = body(client.get(f"/api/v1/associations/{slug}/members/imports"))
    assert listed["count"] == 0


# --- Excel as secretariats have it (issue 13, items 18–21) ------------------------------


def upload_page(client: Client, slug: str, name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/a/{slug}/office/members/import/", {"file": SimpleUploadedFile(name, content)}
    )


def mapping_samples(page: str) -> dict[str, str]:
    """The mapping page's “前几行的内容” cell of each field, by field key."""
    rows = re.findall(
        r'<label for="col_(\w+)">.*?<td class="muted small">(.*?)</td>', page, flags=re.S
    )
    return {key: html.unescape(sample) for key, sample in rows}


def validate(client: Client, slug: str, import_id: int) -> Any:
    base = f"/api/v1/associations/{slug}/members/imports/{import_id}"
    assert client.post(f"{base}/validate").status_code == 202
    run_worker()
    return body(client.get(base))


def issues_by_row(result: Any) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for issue in result["issues"]:
        found.setdefault(issue["row"], []).append(f"{issue['column']}：{issue['message']}")
    return found


def xls(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An Excel 97–2003 workbook (.xls), as old office PCs still save them."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def encrypted(content: bytes) -> bytes:
    """``content`` (an xlsx) as Excel saves it with 用密码进行加密: an encrypted OLE2 file."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(content)).encrypt("商会2024", out)
    return out.getvalue()


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_mapping_page_shows_each_fields_first_values(side_a: Side, admin_a: Client) -> None:
    """Beside each field, the first rows' values of the column it is mapped to (the preview
    once showed row numbers, then the whole row as a Python tuple, then blanks)."""
    slug = side_a.association.slug
    first, second = make_uscc(), make_uscc()
    content = xlsx(
        [
            HEADERS,
            member_row(name="甲有限公司", uscc=first, rep_name="李雷", rep_phone="13800138000"),
            member_row(name="乙有限公司", uscc=second, joined_on=date(2020, 5, 1)),
        ]
    )
    response = upload_page(admin_a, slug, "名单.xlsx", content)
    assert response.status_code == 302
    samples = mapping_samples(admin_a.get(response["Location"]).content.decode())
    assert samples["kind"] == ""
    assert samples["name"] == "甲有限公司 / 乙有限公司"
    assert samples["uscc"] == f"{first} / {second}"
    assert samples["rep_name"] == "李雷"
    assert samples["rep_phone"] == "13800138000"
    assert samples["joined_on"] == "2020-05-01"


@pytest.mark.django_db(transaction=True)
def test_a_landline_column_left_of_the_mobile_column_is_not_taken_as_the_phone(
    side_a: Side, privacy_notice: None
) -> None:
    """联系电话 is often the office's landline: 手机号码, more specific, is the phone."""
    a = side_a.association
    text = (
        "企业名称,信用代码,联系人,联系电话,手机号码\n"
        f"甲有限公司,{make_uscc()},张三,020-87654321,13800138000\n"
        f"乙有限公司,{make_uscc()},李四,0797-8123456,13900139000\n"
    )
    client = api_client(side_a.admin)
    created = body(upload_api(client, a.slug, "名单.csv", text.encode()))
    assert created["columns"] == {"name": 0, "uscc": 1, "rep_name": 2, "rep_phone": 4}
    result = validate(client, a.slug, created["id"])
    assert (result["valid_rows"], result["error_rows"]) == (2, 0)


@pytest.mark.django_db(transaction=True)
def test_a_list_of_individuals_by_name_is_read_and_imported(
    side_a: Side, privacy_notice: None
) -> None:
    """A list of people has 姓名, no 名称: it is no longer refused at upload; 姓名 is the name
    and its rows are individual members."""
    a = side_a.association
    client = api_client(side_a.admin)
    content = xlsx(
        [
            ["姓名", "性别", "手机号码", "籍贯"],
            ["钟建国", "男", "13800138000", "江西省赣州市于都县"],
            ["刘小梅", "女", "13900139000", "360731"],
        ]
    )
    response = upload_api(client, a.slug, "个人会员.xlsx", content)
    assert response.status_code == 201, response.content
    created = body(response)
    assert created["columns"] == {"name": 0, "rep_phone": 2, "hometown_code": 3}
    page = Client()
    page.force_login(side_a.admin)
    mapping = page.get(f"/a/{a.slug}/office/members/import/{created['id']}/mapping/")
    assert "这是个人会员名单" in mapping.content.decode()
    result = validate(client, a.slug, created["id"])
    assert (result["valid_rows"], result["error_rows"]) == (2, 0), result["issues"]
    base = f"/api/v1/associations/{a.slug}/members/imports/{created['id']}"
    assert client.post(f"{base}/commit").status_code == 202
    run_worker()
    with tenant_context(a):
        zhong = Member.objects.get(association=a, name="钟建国")
        assert (zhong.kind, zhong.hometown_code) == (Member.Kind.INDIVIDUAL, "360731")
        assert zhong.representatives.get().person.phone == "13800138000"
        assert Member.objects.get(association=a, name="刘小梅").kind == Member.Kind.INDIVIDUAL


@pytest.mark.django_db
def test_a_list_without_a_name_column_is_mapped_by_the_secretariat(
    side_a: Side, admin_a: Client
) -> None:
    """Headers the import knows but no name column: kept, and the mapping page asks which
    column holds the names (a file with no known header at all is still refused)."""
    a = side_a.association
    client = api_client(side_a.admin)
    response = upload_api(
        client, a.slug, "名单.csv", "会员,手机\n甲有限公司,13800138000\n".encode()
    )
    assert response.status_code == 201, response.content
    created = body(response)
    assert created["columns"] == {"rep_phone": 1}
    url = f"/a/{a.slug}/office/members/import/{created['id']}/mapping/"
    assert "表头中没有找到“名称”列" in admin_a.get(url).content.decode()
    base = f"/api/v1/associations/{a.slug}/members/imports/{created['id']}"
    refused = client.post(f"{base}/validate")
    assert refused.status_code == 400
    assert "请先指定“名称”对应的列" in body(refused)["error"]["message"]
    mapped = client.put(
        f"{base}/mapping", {"columns": {"name": 0, "rep_phone": 1}}, content_type="application/json"
    )
    assert body(mapped)["columns"] == {"name": 0, "rep_phone": 1}
    assert "表头中没有找到“名称”列" not in admin_a.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_two_level_header_is_read_as_one(side_a: Side, privacy_notice: None) -> None:
    """会员代表 above 姓名 and 手机, merged: the second header row is part of the header (it
    was read as a member with no name), and its columns are mapped."""
    a = side_a.association
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["广东省江西商会会员名单"])
    sheet.append(["名称", "统一社会信用代码", "会员代表", None, None, "地址"])
    sheet.append([None, None, "姓名", "职务", "手机", None])
    for cells in ("A2:A3", "B2:B3", "C2:E2", "F2:F3"):
        sheet.merge_cells(cells)
    sheet.append(["甲有限公司", make_uscc(), "张三", "总经理", "13800138000", "广州"])
    sheet.append(["乙有限公司", make_uscc(), "李四", "董事长", "13900139000", "赣州"])
    client = api_client(side_a.admin)
    created = body(upload_api(client, a.slug, "名单.xlsx", workbook_bytes(workbook)))
    assert created["headers"] == [
        "名称",
        "统一社会信用代码",
        "会员代表/姓名",
        "会员代表/职务",
        "会员代表/手机",
        "地址",
    ]
    assert created["header_row"] == 3
    assert created["columns"] == {
        "name": 0,
        "uscc": 1,
        "rep_name": 2,
        "rep_title": 3,
        "rep_phone": 4,
        "address": 5,
    }
    result = validate(client, a.slug, created["id"])
    assert (result["total_rows"], result["valid_rows"], result["error_rows"]) == (2, 2, 0)
    page = Client()
    page.force_login(side_a.admin)
    url = f"/a/{a.slug}/office/members/import/{created['id']}/mapping/"
    mapping = page.get(url).content.decode()
    assert "表头在第 2–3 行" in mapping
    assert mapping_samples(mapping)["rep_phone"] == "13800138000 / 13900139000"


@pytest.mark.django_db(transaction=True)
def test_an_old_xls_file_is_read(side_a: Side, privacy_notice: None, admin_a: Client) -> None:
    """Excel 97–2003 files (.xls) are read as they are, the list on whichever sheet holds it."""
    a = side_a.association
    code = make_uscc()
    content = xls(
        {
            "填表说明": [["请按下表填写，每行一家会员单位"]],
            "会员名单": [
                ["企业名称", "统一社会信用代码", "联系人", "手机号码", "入会时间"],
                ["甲有限公司", code, "张三", 13800138000, "2019-05-04"],
                ["乙有限公司", make_uscc(), "李四", "13900139000", ""],
            ],
        }
    )
    assert content.startswith(b"\xd0\xcf\x11\xe0")
    response = upload_page(admin_a, a.slug, "名单.xls", content)
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping = admin_a.get(response["Location"]).content.decode()
    assert "读取的是有会员名单的工作表“会员名单”" in mapping
    assert mapping_samples(mapping)["rep_phone"] == "13800138000 / 13900139000"
    with tenant_context(a):
        member_import = MemberImport.objects.get(association=a)
    client = api_client(side_a.admin)
    assert (
        body(client.get(f"/api/v1/associations/{a.slug}/members/imports/{member_import.pk}"))[
            "sheet_name"
        ]
        == "会员名单"
    )
    result = validate(client, a.slug, member_import.pk)
    assert (result["valid_rows"], result["error_rows"]) == (2, 0), result["issues"]
    base = f"/api/v1/associations/{a.slug}/members/imports/{member_import.pk}"
    assert client.post(f"{base}/commit").status_code == 202
    run_worker()
    with tenant_context(a):
        member = Member.objects.get(association=a, uscc=code)
        assert (member.name, member.joined_on) == ("甲有限公司", date(2019, 5, 4))


def _second_sheet(first: str) -> bytes:
    """The list on the second sheet, behind an empty, a chart or a hidden first sheet."""
    workbook = Workbook()
    front = workbook.active
    assert front is not None
    front.title = "封面"
    if first == "hidden":
        front.append(["旧名单", "备注"])
        front.append(["丙有限公司", "已退会"])
        front.sheet_state = "hidden"
    data = workbook.create_sheet("名单")
    data.append(["名称", "手机号码"])
    data.append(["甲有限公司", "13800138000"])
    if first == "chart":
        from openpyxl.chart import BarChart, Reference

        chart = BarChart()
        chart.add_data(Reference(data, min_col=2, min_row=1, max_row=2), titles_from_data=True)
        workbook.remove(front)
        workbook.create_chartsheet("图表", 0).add_chart(chart)
    return workbook_bytes(workbook)


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["empty", "chart", "hidden"])
def test_the_list_is_found_behind_another_first_sheet(side_a: Side, first: str) -> None:
    """An empty first sheet was “文件是空的”; a hidden one “找不到“名称”列”."""
    a = side_a.association
    response = upload_api(api_client(side_a.admin), a.slug, "名单.xlsx", _second_sheet(first))
    assert response.status_code == 201, response.content
    created = body(response)
    assert (created["sheet_name"], created["headers"]) == ("名单", ["名称", "手机号码"])
    assert created["total_rows"] == 1


SECRETARIATS_BAD_FILES = {
    "password-protected xlsx": (
        "名单.xlsx",
        lambda: encrypted(xlsx([HEADERS, member_row(name="甲有限公司")])),
        "文件已加密，请取消密码保护后再上传",
    ),
    "xls wider than 50 columns": (
        "名单.xls",
        lambda: xls({"名单": [["名称"], ["甲有限公司", *[None] * 59, "x"]]}),
        "表格超过 50 列",
    ),
    "xls with empty sheets only": ("名单.xls", lambda: xls({"Sheet1": [], "Sheet2": []}), "空的"),
    "xls whose list has no rows": (
        "名单.xls",
        lambda: xls({"名单": [["名称", "手机"]]}),
        "只有表头",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(SECRETARIATS_BAD_FILES))
def test_refused_workbooks_say_what_is_wrong(side_a: Side, case: str) -> None:
    name, make, message = SECRETARIATS_BAD_FILES[case]
    response = upload_api(api_client(side_a.admin), side_a.association.slug, name, make())
    assert response.status_code == 400, response.content
    assert message in body(response)["error"]["message"]
    assert ".xls）或设置了密码" not in body(response)["error"]["message"]
    assert counts(side_a) == (1, 1, 0)


@pytest.mark.django_db(transaction=True)
def test_the_error_report_marks_whole_rows_and_keeps_codes_as_text(
    side_a: Side, privacy_notice: None
) -> None:
    a = side_a.association
    rows = [
        HEADERS,
        # 2: the credit code and the phone typed as numbers: the code lost its last digits
        member_row(
            name="甲有限公司", uscc=914403001234567890, rep_name="李雷", rep_phone=13800138000
        ),
        member_row(name="乙有限公司", uscc=make_uscc(), rep_name="韩梅梅", rep_phone="13100131000"),
        # 4: row 3's representative again: a warning only
        member_row(name="丙有限公司", uscc=make_uscc(), rep_name="韩梅梅", rep_phone="13100131000"),
    ]
    client = api_client(side_a.admin)
    created = body(upload_api(client, a.slug, "名单.xlsx", xlsx(rows)))
    result = validate(client, a.slug, created["id"])
    report = client.get(f"/api/v1/associations/{a.slug}/members/imports/{created['id']}/report")
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).worksheets[0]  # type: ignore[attr-defined]
    width = len(HEADERS) + 1
    fills = {
        row: {sheet.cell(row, column).fill.fgColor.rgb for column in range(1, width + 1)}
        for row in (2, 3, 4)
    }
    assert fills[2] == {"FFFDE2E2"}  # the whole row red, its blank cells too
    assert fills[3] == {"00000000"}  # no fill
    assert fills[4] == {"FFFFF4CE"}  # yellow
    uscc = sheet.cell(2, HEADERS.index("统一社会信用代码") + 1)
    phone = sheet.cell(2, HEADERS.index("代表手机号") + 1)
    assert (uscc.value, uscc.number_format) == ("914403001234568000", "@")
    assert (phone.value, phone.number_format) == ("13800138000", "@")
    assert sheet.cell(3, HEADERS.index("代表手机号") + 1).number_format == "@"
    for header in ("统一社会信用代码", "会员编号", "代表手机号"):  # what is typed there stays text
        letter = get_column_letter(HEADERS.index(header) + 1)
        assert sheet.column_dimensions[letter].number_format == "@"
    assert sheet.cell(2, HEADERS.index("名称") + 1).number_format == "General"
    assert issues_by_row(result)[2] == [
        "统一社会信用代码：统一社会信用代码被 Excel 存成了数字，末尾几位已丢失，"
        "请将该列设为文本后重新填写"
    ]


@pytest.mark.django_db(transaction=True)
def test_cells_as_excel_and_csv_exports_write_them(side_a: Side, privacy_notice: None) -> None:
    """A date with a time is the date; a line break inside a name is a space; a credit code
    a CSV export wrote in scientific notation says what happened to it."""
    a = side_a.association
    code = make_uscc()
    rows = [
        member_row(
            name="赣州市南康区\n家具有限公司",
            uscc=code,
            legal_representative="曾\n国华",
            joined_on="2020-05-01 10:00:00",
            rep_name="曾国华\r\n",
            rep_title="董事长\n兼总经理",
            rep_phone="13800138000",
        ),
        member_row(name="乙有限公司", uscc=make_uscc(), joined_on="2021/3/8 9:30"),
    ]
    client, base, import_id = _validated_import(side_a, rows)
    assert body(client.get(f"{base}/{import_id}"))["error_rows"] == 0
    assert client.post(f"{base}/{import_id}/commit").status_code == 202
    run_worker()
    with tenant_context(a):
        member = Member.objects.get(association=a, uscc=code)
        assert (member.name, member.legal_representative, member.joined_on) == (
            "赣州市南康区 家具有限公司",
            "曾 国华",
            date(2020, 5, 1),
        )
        rep = member.representatives.select_related("person").get()
        assert (rep.person.name, rep.title) == ("曾国华", "董事长 兼总经理")
        assert Member.objects.get(association=a, name="乙有限公司").joined_on == date(2021, 3, 8)

    text = f"名称,统一社会信用代码\n丙有限公司,9.14403E+17\n丁有限公司,{make_uscc()}\n"
    created = body(upload_api(client, a.slug, "导出.csv", text.encode("gb18030")))
    result = validate(client, a.slug, created["id"])
    assert issues_by_row(result) == {
        2: [
            "统一社会信用代码：统一社会信用代码被 Excel 存成了数字，末尾几位已丢失，"
            "请将该列设为文本后重新填写"
        ]
    }
