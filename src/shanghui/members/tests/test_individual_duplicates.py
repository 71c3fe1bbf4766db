"""An individual member is one per person (the phone is the person's key): importing a list
of individuals again skips those already members and says so; the back-office form and the
API refuse a second individual member for the same person, naming the first; the same name
with another phone is another person."""

import html

import pytest
from django.db import connection
from django.test import Client

from shanghui.core.rls import APP_DB_ROLE
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, Person
from shanghui.members.services.members import MemberInput, RepresentativeInput, member_create
from shanghui.members.tests.test_import import (
    api_client,
    body,
    run_worker,
    upload_api,
    validate,
    xlsx,
)
from shanghui.testing.fixtures import Side

LIST = [
    ["姓名", "手机号码", "籍贯"],
    ["钟建国", "13800138000", "360731"],
    ["刘小梅", "13900139000", "360731"],
    ["钟建国", "13800138000", "360731"],  # the same person twice in the list
]


def _import(client: Client, slug: str, rows: list[list[str]]) -> tuple[int, dict]:
    created = body(upload_api(client, slug, "个人会员.xlsx", xlsx(rows)))
    return created["id"], validate(client, slug, created["id"])


def _commit(client: Client, slug: str, import_id: int) -> dict:
    base = f"/api/v1/associations/{slug}/members/imports/{import_id}"
    assert client.post(f"{base}/commit").status_code == 202
    run_worker()
    return body(client.get(base))


def _individuals(side: Side) -> list[tuple[str, str]]:
    with tenant_context(side.association):
        return sorted(
            Member.objects.filter(
                association=side.association, kind=Member.Kind.INDIVIDUAL
            ).values_list("name", "representatives__person__phone")
        )


@pytest.mark.django_db(transaction=True)
def test_importing_the_same_individuals_twice_creates_no_duplicates(
    side_a: Side, privacy_notice: None
) -> None:
    a = side_a.association
    client = api_client(side_a.admin)
    first_id, first = _import(client, a.slug, LIST)
    assert (first["valid_rows"], first["error_rows"]) == (2, 0), first["issues"]
    assert [(i["row"], i["message"]) for i in first["issues"]] == [
        (4, "与第 2 行是同一位个人会员，将跳过，不会重复导入")
    ]
    assert _commit(client, a.slug, first_id)["created_count"] == 2
    added = _individuals(side_a)
    assert added == [("刘小梅", "13900139000"), ("钟建国", "13800138000")]

    # The same list again, and 刘小梅 once more with another phone: another person.
    again_id, again = _import(client, a.slug, [*LIST, ["刘小梅", "13700137000", ""]])
    assert (again["valid_rows"], again["error_rows"]) == (1, 0), again["issues"]
    with tenant_context(a):
        zhong = Member.objects.get(association=a, name="钟建国")
    page = Client()
    page.force_login(side_a.admin)
    check = html.unescape(
        page.get(f"/a/{a.slug}/office/members/import/{again_id}/").content.decode()
    )
    assert f"已是本会个人会员“钟建国”（会员编号 {zhong.member_no}），将跳过，不会重复导入" in check
    assert "3 行已是本会个人会员，将跳过" in check
    assert "本会已有同名个人会员“刘小梅”，手机号不同，将作为另一人导入，请核对" in check
    assert _commit(client, a.slug, again_id)["created_count"] == 1
    assert _individuals(side_a) == [
        ("刘小梅", "13700137000"),
        ("刘小梅", "13900139000"),
        ("钟建国", "13800138000"),
    ]
    with tenant_context(a):
        assert Person.objects.filter(association=a, phone="13800138000").count() == 1


def _existing(side: Side) -> Member:
    with tenant_context(side.association):
        return member_create(
            association=side.association,
            actor=side.admin,
            data=MemberInput(
                kind=Member.Kind.INDIVIDUAL,
                name="钟建国",
                representatives=[RepresentativeInput(name="钟建国", phone="13800138000")],
            ),
        )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_check_finds_the_individual_member_under_row_level_security(
    side_a: Side, side_b: Side, privacy_notice: None
) -> None:
    """The worker validates as the application role: the member is found through its
    representative and person, and another association's member of the same phone is not."""
    a = side_a.association
    existing = _existing(side_a)
    _existing(side_b)
    client = api_client(side_a.admin)
    rows = [["姓名", "手机号码"], ["钟建国", "13800138000"]]
    created = body(upload_api(client, a.slug, "个人会员.xlsx", xlsx(rows)))
    base = f"/api/v1/associations/{a.slug}/members/imports/{created['id']}"
    assert client.post(f"{base}/validate").status_code == 202
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APP_DB_ROLE}")
        try:
            run_worker()
        finally:
            cursor.execute("RESET ROLE")
    result = body(client.get(base))
    assert result["valid_rows"] == 0
    assert [i["message"] for i in result["issues"]] == [
        f"已是本会个人会员“钟建国”（会员编号 {existing.member_no}），将跳过，不会重复导入"
    ]


@pytest.mark.django_db
def test_the_form_refuses_a_second_individual_member_for_the_same_person(
    side_a: Side, admin_a: Client
) -> None:
    a = side_a.association
    existing = _existing(side_a)
    url = f"/a/{a.slug}/office/members/new/"
    # The phone in the representative's field, the name left to the member's (as people do).
    refused = admin_a.post(
        url, {"kind": "individual", "name": "钟建国", "rep_phone": "138 0013 8000"}
    )
    assert refused.status_code == 200
    page = html.unescape(refused.content.decode())
    assert f"此人已是本会个人会员“钟建国”（会员编号 {existing.member_no}），不能重复添加" in page
    assert f'href="/a/{a.slug}/office/members/{existing.pk}/"' in page
    assert _individuals(side_a) == [("钟建国", "13800138000")]

    added = admin_a.post(url, {"kind": "individual", "name": "钟建国", "rep_phone": "13700137000"})
    assert added.status_code == 302, added.content.decode()[:2000]
    assert _individuals(side_a) == [("钟建国", "13700137000"), ("钟建国", "13800138000")]


@pytest.mark.django_db
def test_the_api_refuses_a_second_individual_member_for_the_same_person(side_a: Side) -> None:
    a = side_a.association
    existing = _existing(side_a)
    client = api_client(side_a.admin)
    payload = {
        "kind": "individual",
        "name": "钟建国",
        "representatives": [{"name": "钟建国", "phone": "13800138000"}],
    }
    url = f"/api/v1/associations/{a.slug}/members"
    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    message = f"此人已是本会个人会员“钟建国”（会员编号 {existing.member_no}），不能重复添加"
    assert error["fields"]["representatives.0.phone"] == [message]
    assert _individuals(side_a) == [("钟建国", "13800138000")]

    payload["representatives"][0]["phone"] = "13700137000"  # type: ignore[index]
    assert client.post(url, payload, content_type="application/json").status_code == 201
    assert len(_individuals(side_a)) == 2
