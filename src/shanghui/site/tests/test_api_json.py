"""The API writes Chinese as UTF-8, not as ``\\u`` escapes, and says so in its Content-Type."""

from shanghui.testing.fixtures import Side, api_client_for


def test_chinese_is_sent_as_utf8_bytes(side_a: Side) -> None:
    response = api_client_for(side_a.admin).get(
        f"/api/v1/associations/{side_a.association.slug}/members"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert side_a.member.name.encode() in response.content  # 甲市龚氏实业有限公司
    assert b"\\u" not in response.content
    assert response.json()["items"][0]["name"] == side_a.member.name


def test_errors_are_sent_as_utf8_bytes(side_a: Side) -> None:
    response = api_client_for(side_a.admin).get("/api/v1/associations/nowhere/members")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "未找到".encode() in response.content
