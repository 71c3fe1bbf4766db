import json
from io import BytesIO

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import MemberFactory, PersonFactory, RepresentativeFactory
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker


def api_client(user: object) -> Client:
    _token, raw = api_token_create(user=user, name="test")  # type: ignore[arg-type]
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def names(response: object) -> list[str]:
    return [item["name"] for item in json.loads(response.content)["items"]]  # type: ignore[attr-defined]


@pytest.fixture
def directory(side_a: Side) -> Side:
    a = side_a.association
    MemberFactory(association=a, name="赣州稀土集团有限公司")
    rep = RepresentativeFactory(
        association=a,
        member=MemberFactory(association=a, name="深圳市曾氏电子有限公司"),
        person=PersonFactory(association=a, name="曾国华", phone="13512345678"),
    )
    del rep
    MemberFactory(association=a, name="已退会贸易有限公司", status="withdrawn")
    return side_a


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gzj", "甲市龚氏实业有限公司"),  # representative 龚志军 by initials
        ("gongzhijun", "甲市龚氏实业有限公司"),
        ("龔志軍", "甲市龚氏实业有限公司"),  # Traditional input
        ("稀", "赣州稀土集团有限公司"),  # one character
        ("稀土", "赣州稀土集团有限公司"),  # two characters
        ("zgh", "深圳市曾氏电子有限公司"),  # 曾 read as zeng
        # Phones: only the secretariat searches by the last digits (test_directory_privacy).
    ],
)
def test_directory_search_forms(directory: Side, query: str, expected: str) -> None:
    client = api_client(directory.member_user)
    response = client.get(
        f"/api/v1/associations/{directory.association.slug}/members", {"q": query}
    )
    assert response.status_code == 200
    assert names(response) == [expected]


@pytest.mark.django_db
def test_directory_masks_phones_for_members_not_for_the_secretariat(directory: Side) -> None:
    url = f"/api/v1/associations/{directory.association.slug}/members"
    member_view = json.loads(api_client(directory.member_user).get(url, {"q": "zgh"}).content)
    rep = member_view["items"][0]["representatives"][0]
    assert rep["phone"] == "135****5678" and rep["phone_masked"]
    office_view = json.loads(api_client(directory.admin).get(url, {"q": "zgh"}).content)
    assert office_view["items"][0]["representatives"][0]["phone"] == "13512345678"


@pytest.mark.django_db
def test_members_do_not_see_withdrawn_members_but_the_secretariat_does(directory: Side) -> None:
    url = f"/api/v1/associations/{directory.association.slug}/members"
    assert "已退会贸易有限公司" not in names(api_client(directory.member_user).get(url))
    assert "已退会贸易有限公司" in names(api_client(directory.admin).get(url, {"page_size": 100}))


@pytest.mark.django_db
def test_pagination_format(directory: Side) -> None:
    url = f"/api/v1/associations/{directory.association.slug}/members"
    body = json.loads(api_client(directory.admin).get(url, {"page_size": 2}).content)
    assert set(body) == {"items", "count", "next_cursor"}
    assert body["count"] == 4 and len(body["items"]) == 2


@pytest.mark.django_db
def test_search_never_returns_another_associations_members(side_a: Side, side_b: Side) -> None:
    url = f"/api/v1/associations/{side_a.association.slug}/members"
    # Both associations have a 龚志军; only A's enterprise comes back.
    assert names(api_client(side_a.member_user).get(url, {"q": "gzj"})) == [side_a.member.name]


@pytest.mark.django_db(transaction=True)
def test_export_runs_in_the_worker_with_progress_and_neutralised_formulas(side_a: Side) -> None:
    a = side_a.association
    MemberFactory(association=a, name='=HYPERLINK("http://evil")公司')
    client = api_client(side_a.admin)
    response = client.post(
        f"/api/v1/associations/{a.slug}/members/exports", {}, content_type="application/json"
    )
    assert response.status_code == 202, response.content
    job_id = json.loads(response.content)["id"]
    assert (
        json.loads(client.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}").content)["status"]
        == "queued"
    )
    call_command("db_worker", batch=True, interval=0, startup_delay=False)
    job = json.loads(client.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}").content)
    assert (job["status"], job["percent"], job["has_file"]) == ("done", 100, True)
    file_response = client.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}/file")
    workbook = load_workbook(BytesIO(b"".join(file_response.streaming_content)))  # type: ignore[attr-defined]
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1] == "名称"
    cells = [row[1] for row in rows[1:]]
    assert side_a.member.name in cells
    assert '\'=HYPERLINK("http://evil")公司' in cells
    with tenant_context(a):
        assert Job.objects.get(pk=job_id).done == 2


@pytest.mark.django_db(transaction=True)
def test_the_export_pages_through_equal_names_with_each_members_own_contact(
    side_a: Side, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of two in pinyin order, three members of one name among them: every member
    once, each with its own representative (the contacts are read per batch)."""
    a = side_a.association
    for n in range(5):
        member = MemberFactory(association=a, name="安徽同名公司" if n < 3 else f"北京第{n}公司")
        person = PersonFactory(association=a, name=f"代表{n}号", phone=f"1370000000{n}")
        RepresentativeFactory(association=a, member=member, person=person)
    monkeypatch.setattr("shanghui.members.tasks.EXPORT_BATCH", 2)
    client = api_client(side_a.admin)
    response = client.post(
        f"/api/v1/associations/{a.slug}/members/exports", {}, content_type="application/json"
    )
    job_id = json.loads(response.content)["id"]
    call_command("db_worker", batch=True, interval=0, startup_delay=False)
    file_response = client.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}/file")
    workbook = load_workbook(BytesIO(b"".join(file_response.streaming_content)))  # type: ignore[attr-defined]
    rows = list(workbook.active.iter_rows(values_only=True))[1:]
    pairs = sorted((row[1], row[10], row[11]) for row in rows if row[1] != side_a.member.name)
    assert pairs == sorted(
        [
            *(("安徽同名公司", f"代表{n}号", f"1370000000{n}") for n in range(3)),
            *((f"北京第{n}公司", f"代表{n}号", f"1370000000{n}") for n in (3, 4)),
        ]
    )
    assert len(rows) == 6


@pytest.mark.django_db
def test_members_may_not_export(side_a: Side) -> None:
    response = api_client(side_a.member_user).post(
        f"/api/v1/associations/{side_a.association.slug}/members/exports",
        {},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert json.loads(response.content)["error"]["code"] == "forbidden"


@pytest.mark.django_db
def test_api_creates_updates_and_changes_status(side_a: Side) -> None:
    client = api_client(side_a.admin)
    base = f"/api/v1/associations/{side_a.association.slug}"
    body = {
        "kind": "enterprise",
        "name": "上饶市婺源茶业有限公司",
        "uscc": "",
        "representatives": [{"name": "解小红", "phone": "13711112222", "title": "总经理"}],
    }
    response = client.post(f"{base}/members", body, content_type="application/json")
    assert response.status_code == 400
    assert "uscc" in response.json()["error"]["fields"]
    from shanghui.testing.factories import make_uscc

    body["uscc"] = make_uscc("91", "361100")
    created = client.post(f"{base}/members", body, content_type="application/json")
    assert created.status_code == 201, created.content
    member = created.json()
    assert member["representatives"][0]["phone"] == "13711112222"
    body["name"] = "上饶市婺源茶业集团有限公司"
    updated = client.put(f"{base}/members/{member['id']}", body, content_type="application/json")
    assert updated.json()["name"] == "上饶市婺源茶业集团有限公司"
    status = client.post(
        f"{base}/members/{member['id']}/status",
        {"status": "expired"},
        content_type="application/json",
    )
    assert status.json()["status"] == "expired"
    history = client.get(f"{base}/members/{member['id']}/history").json()
    assert [h["to_status"] for h in history] == ["active", "expired"]


@pytest.mark.django_db
def test_members_may_read_levels_but_not_write_members(side_a: Side) -> None:
    client = api_client(side_a.member_user)
    base = f"/api/v1/associations/{side_a.association.slug}"
    assert client.get(f"{base}/levels").status_code == 200
    response = client.post(
        f"{base}/members", {"kind": "individual", "name": "张三"}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_export_runs_under_row_level_security_in_batches(
    side_a: Side, side_b: Side, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker connects as the application role, which sees no tenant row before the job's
    tenant context is open; batches page by (pinyin, id) without repeating or skipping."""
    a = side_a.association
    for name in ("安徽同名公司", "安徽同名公司", "北京公司"):
        MemberFactory(association=a, name=name)
    monkeypatch.setattr("shanghui.members.tasks.EXPORT_BATCH", 2)
    client = api_client(side_a.admin)
    response = client.post(
        f"/api/v1/associations/{a.slug}/members/exports", {}, content_type="application/json"
    )
    job_id = json.loads(response.content)["id"]
    run_worker()  # as the application role
    job = json.loads(client.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}").content)
    assert job["status"] == "done", job
    file_response = client.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}/file")
    workbook = load_workbook(BytesIO(b"".join(file_response.streaming_content)))  # type: ignore[attr-defined]
    names = sorted(row[1] for row in list(workbook.active.iter_rows(values_only=True))[1:])
    assert names == sorted(["安徽同名公司", "安徽同名公司", "北京公司", side_a.member.name])
    assert side_b.member.name not in names


@pytest.mark.django_db
def test_overlong_fields_are_refused_with_the_limit_and_nothing_is_saved(side_a: Side) -> None:
    client = api_client(side_a.admin)
    url = f"/api/v1/associations/{side_a.association.slug}/members"
    body = {
        "kind": "individual",
        "name": "长" * 120,
        "address": "路" * 201,
        "representatives": [{"name": "王" * 60, "phone": "13711112222", "title": "职" * 51}],
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    fields = json.loads(response.content)["error"]["fields"]
    assert fields["name"] == ["最多 100 个字"]
    assert fields["address"] == ["最多 200 个字"]
    assert "representatives.0.name" in fields
    assert "representatives.0.title" in fields
    assert json.loads(client.get(url).content)["count"] == 1  # only the fixture's member
