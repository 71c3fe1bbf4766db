"""The member list by ``cursor`` (keyset paging, core.keyset): every member once, in pinyin
order, through filters and searches; a forged or foreign cursor is a 422, never a 500 nor
another association's members."""

import json
from typing import Any

import pytest
from django.test import Client

from shanghui.members.models import Member
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, api_client_for


def url(side: Side) -> str:
    return f"/api/v1/associations/{side.association.slug}/members"


def walk(
    client: Client, address: str, params: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[int]]:
    """The members a walk by cursor returns, and the count each page gave."""
    items: list[dict[str, Any]] = []
    counts: list[int] = []
    cursor = None
    for _ in range(100):
        response = client.get(address, {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        body = json.loads(response.content)
        items += body["items"]
        counts.append(body["count"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items, counts
    raise AssertionError("the walk did not end")


@pytest.fixture
def crowd(side_a: Side, side_b: Side) -> Side:
    """Eleven members of A named alike (the same pinyin sort key: ties), a few others, some
    individuals; B has its own 刘伟 too."""
    a = side_a.association
    for i in range(11):
        MemberFactory(association=a, name="刘伟商贸有限公司", member_no=f"T{i:03d}")
    for name in ["安远脐橙有限公司", "刘氏实业有限公司", "赵刘记酒家", "已退会刘记贸易有限公司"]:
        MemberFactory(association=a, name=name, status="withdrawn" if "退会" in name else "active")
    for i in range(3):
        MemberFactory(association=a, name=f"刘伟{i}", kind=Member.Kind.INDIVIDUAL)
    MemberFactory(association=side_b.association, name="刘伟商贸有限公司")
    return side_a


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{}, {"q": "刘"}, {"q": "liuwei"}, {"kind": "individual"}, {"status": "active", "q": "lw"}],
    ids=str,
)
@pytest.mark.parametrize("size", [1, 4, 100])
def test_a_cursor_walk_returns_every_member_once_in_order(
    crowd: Side, params: dict[str, str], size: int
) -> None:
    client = api_client_for(crowd.admin)
    by_page = json.loads(client.get(url(crowd), {**params, "page_size": 100}).content)
    expected = [item["id"] for item in by_page["items"]]
    assert len(expected) >= 3 and by_page["next_cursor"] is None

    items, counts = walk(client, url(crowd), {**params, "page_size": size})

    assert [item["id"] for item in items] == expected
    assert set(counts) == {len(expected)}


@pytest.mark.django_db
def test_page_still_works_and_its_next_cursor_continues_it(crowd: Side) -> None:
    client = api_client_for(crowd.admin)
    everyone = [
        i["id"] for i in json.loads(client.get(url(crowd), {"page_size": 100}).content)["items"]
    ]
    second = json.loads(client.get(url(crowd), {"page": 2, "page_size": 5}).content)
    assert [i["id"] for i in second["items"]] == everyone[5:10]
    third = json.loads(
        client.get(url(crowd), {"page_size": 5, "cursor": second["next_cursor"]}).content
    )
    assert [i["id"] for i in third["items"]] == everyone[10:15]
    assert third["count"] == second["count"] == len(everyone)
    last = json.loads(client.get(url(crowd), {"page": 4, "page_size": 5}).content)
    assert last["next_cursor"] is None and [i["id"] for i in last["items"]] == everyone[15:]


@pytest.mark.django_db
def test_members_walk_the_directory_without_withdrawn_members(crowd: Side) -> None:
    client = api_client_for(crowd.member_user)
    items, _counts = walk(client, url(crowd), {"page_size": 2})
    names = [item["name"] for item in items]
    assert "已退会刘记贸易有限公司" not in names and names.count("刘伟商贸有限公司") == 11
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == 18  # A's 18 but the withdrawn one, and the fixture's


@pytest.mark.django_db
@pytest.mark.parametrize("forged", ["garbage", "W10:x", "", "…", "a" * 3000, "AAAA:BBBB:CCCC"])
def test_a_garbled_cursor_is_a_422_in_chinese(crowd: Side, forged: str) -> None:
    client = api_client_for(crowd.admin)
    good = json.loads(client.get(url(crowd), {"page_size": 2}).content)["next_cursor"]
    for cursor in (
        [forged, good[:-1] + ("A" if good[-1] != "A" else "B")] if forged else [good[:-3]]
    ):
        response = client.get(url(crowd), {"page_size": 2, "cursor": cursor})
        assert response.status_code == 422
        error = json.loads(response.content)["error"]
        assert error["code"] == "validation_error"
        assert "cursor" in error["fields"]
        if len(cursor) <= 2000:
            assert "翻页位置无效" in error["message"]
            assert "翻页位置无效" in error["fields"]["cursor"][0]


@pytest.mark.django_db
def test_an_edited_cursor_is_refused_not_followed(crowd: Side) -> None:
    """A cursor whose values were changed (an id of another association, a sort key moved)
    does not match its signature."""
    import base64

    client = api_client_for(crowd.admin)
    good = json.loads(client.get(url(crowd), {"page_size": 2}).content)["next_cursor"]
    payload, signature = good.rsplit(":", 1)
    values = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    values[-1] = 1
    edited = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    response = client.get(url(crowd), {"cursor": f"{edited}:{signature}"})
    assert response.status_code == 422


@pytest.mark.django_db
def test_a_cursor_of_association_a_gives_nothing_of_it_in_b(crowd: Side, side_b: Side) -> None:
    cursor = json.loads(api_client_for(crowd.admin).get(url(crowd), {"page_size": 1}).content)[
        "next_cursor"
    ]
    response = api_client_for(side_b.admin).get(url(side_b), {"cursor": cursor})
    assert response.status_code == 422
    assert b"\\u" not in response.content and "翻页位置无效".encode() in response.content


@pytest.mark.django_db
def test_the_message_follows_the_callers_language(crowd: Side) -> None:
    client = api_client_for(crowd.admin)
    response = client.get(url(crowd), {"cursor": "garbage"}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 422
    error = json.loads(response.content)["error"]
    assert error["fields"]["cursor"] == [error["message"]] and error["message"]
