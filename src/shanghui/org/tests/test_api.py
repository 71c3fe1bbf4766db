import json
from typing import Any

import pytest
from django.test import Client

from shanghui.accounts.models import User
from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.tenancy import tenant_context
from shanghui.org.models import Appointment, Branch, Post, Term
from shanghui.org.services import terms as term_services
from shanghui.org.tests.conftest import Org
from shanghui.testing.fixtures import Side


def api_client(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def url(side: Side, path: str) -> str:
    return f"/api/v1/associations/{side.association.slug}/org/{path}"


def body(response: Any) -> Any:
    return json.loads(response.content)


def send(client: Client, method: str, path: str, data: dict[str, Any]) -> Any:
    return client.generic(method, path, json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_members_read_the_structure(org_a: Org) -> None:
    client = api_client(org_a.side.member_user)
    terms = body(client.get(url(org_a.side, "terms")))
    assert terms["count"] == 1 and terms["items"][0]["is_current"] is True
    posts = body(client.get(url(org_a.side, "posts"), {"page_size": 100}))
    assert [p["name"] for p in posts["items"]][:2] == ["名誉会长", "会长"]
    appointments = body(
        client.get(url(org_a.side, "appointments"), {"term": org_a.term.pk, "running": "true"})
    )
    assert [(a["post_name"], a["person_name"]) for a in appointments["items"]] == [
        ("会长", "钟会长"),
        ("秘书长", "邱秘书长"),
        ("理事", "赖理事"),
        ("理事", "温理事"),
    ]
    assert "1370000" not in json.dumps(appointments)  # no phone numbers in these lists
    members = body(client.get(url(org_a.side, f"committees/{org_a.committee.pk}/memberships")))
    assert members["items"][0]["role_label"] == "主任"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("POST", "terms", {"name": "越权届", "starts_on": "2030-01-01"}),
        ("POST", "term-changes", {"name": "越权届", "starts_on": "2030-01-01"}),
        ("POST", "posts", {"name": "越权职务"}),
        ("POST", "default-posts", {}),
        ("POST", "branches", {"name": "越权分会"}),
        ("POST", "committees", {"name": "越权委员会"}),
        ("POST", "group-members", {"name": "越权团体"}),
        ("PUT", "settings", {"publish_chart": True}),
        ("PUT", "sharing-consents", {"parent_slug": "yishi", "shares_figures_with_parent": True}),
    ],
)
def test_members_may_not_write(org_a: Org, method: str, path: str, data: dict[str, Any]) -> None:
    client = api_client(org_a.side.member_user)
    response = send(client, method, url(org_a.side, path), data)
    assert response.status_code == 403, response.content
    with tenant_context(org_a.side.association):
        assert Term.objects.count() == 1 and not Branch.objects.exists()
        assert not Post.objects.filter(name="越权职务").exists()


@pytest.mark.django_db
def test_members_may_not_change_or_delete(org_a: Org) -> None:
    client = api_client(org_a.side.member_user)
    appointment = org_a.appointment(org_a.president)
    assert client.delete(url(org_a.side, f"appointments/{appointment.pk}")).status_code == 403
    response = send(client, "PATCH", url(org_a.side, f"terms/{org_a.term.pk}"), {"name": "改名"})
    assert response.status_code == 403
    with tenant_context(org_a.side.association):
        assert Appointment.objects.filter(pk=appointment.pk).exists()
        assert Term.objects.get().name == "第一届理事会"


@pytest.mark.django_db
def test_another_associations_member_gets_404(org_a: Org, side_b: Side) -> None:
    client = api_client(side_b.member_user)
    for path in ("terms", f"terms/{org_a.term.pk}", "appointments", "group-members"):
        response = client.get(url(org_a.side, path))
        assert response.status_code == 404, path
        assert "钟会长" not in response.content.decode()


@pytest.mark.django_db
def test_admin_builds_the_structure_through_the_api(org_a: Org) -> None:
    client = api_client(org_a.side.admin)
    post = send(client, "POST", url(org_a.side, "posts"), {"name": "名誉顾问", "sort_order": 200})
    assert post.status_code == 201
    appointment = send(
        client,
        "POST",
        url(org_a.side, "appointments"),
        {
            "term_id": org_a.term.pk,
            "post_id": body(post)["id"],
            "person_id": org_a.secretary.pk,
            "member_id": org_a.side.member.pk,
        },
    )
    assert appointment.status_code == 201, appointment.content
    assert body(appointment)["member_name"] == org_a.side.member.name
    assert body(appointment)["starts_on"] == "2024-01-01"
    ended = send(
        client,
        "PATCH",
        url(org_a.side, f"appointments/{body(appointment)['id']}"),
        {"ends_on": "2025-01-31"},
    )
    assert body(ended)["ends_on"] == "2025-01-31" and body(ended)["post_name"] == "名誉顾问"
    branch = send(
        client,
        "POST",
        url(org_a.side, "branches"),
        {"name": "深圳分会", "region_code": "440300", "leader_id": org_a.president.pk},
    )
    assert body(branch)["leader_name"] == "钟会长" and body(branch)["region_name"] == "广东省深圳市"
    membership = send(
        client,
        "POST",
        url(org_a.side, f"committees/{org_a.committee.pk}/memberships"),
        {"person_id": org_a.directors[0].pk, "role": "vice_chair"},
    )
    assert membership.status_code == 201 and body(membership)["role_label"] == "副主任"


@pytest.mark.django_db
def test_bad_input_gets_a_chinese_error_and_changes_nothing(org_a: Org, side_b: Side) -> None:
    client = api_client(org_a.side.admin)
    response = send(
        client,
        "POST",
        url(org_a.side, "appointments"),
        {
            "term_id": org_a.term.pk,
            "post_id": org_a.posts["理事"].pk,
            "person_id": side_b.person.pk,
        },
    )
    assert response.status_code == 400
    assert body(response)["error"]["fields"] == {"person_id": ["未找到该人员"]}
    response = send(
        client,
        "POST",
        url(org_a.side, "terms"),
        {"name": "第二届", "starts_on": "2030-01-01", "is_current": True},
    )
    assert response.status_code == 400 and "当届" in body(response)["error"]["message"]
    response = send(
        client,
        "POST",
        url(org_a.side, "terms"),
        {"name": "第二届", "starts_on": "2030-01-01", "is_current": "yes"},
    )
    assert response.status_code == 422
    with tenant_context(org_a.side.association):
        assert Term.objects.count() == 1 and Appointment.objects.count() == 4


@pytest.mark.django_db
def test_change_of_term_through_the_api(org_a: Org) -> None:
    client = api_client(org_a.side.admin)
    response = send(
        client,
        "POST",
        url(org_a.side, "term-changes"),
        {
            "name": "第二届理事会",
            "starts_on": "2025-06-01",
            "carry_over_post_ids": [org_a.posts["会长"].pk],
        },
    )
    assert response.status_code == 201, response.content
    result = body(response)
    assert result["term"]["is_current"] and result["term"]["number"] == 2
    assert (result["ended_appointments"], result["carried_over"]) == (4, 1)
    running = body(client.get(url(org_a.side, "appointments"), {"running": "true"}))
    assert [(a["person_name"], a["term_id"]) for a in running["items"]] == [
        ("钟会长", result["term"]["id"])
    ]


@pytest.mark.django_db
def test_group_member_figures_need_the_childs_consent(side_a: Side, side_b: Side) -> None:
    parent = api_client(side_a.admin)
    created = send(
        parent,
        "POST",
        url(side_a, "group-members"),
        {"linked_association_slug": side_b.association.slug},
    )
    assert created.status_code == 201 and body(created)["member_count"] is None
    listing = body(api_client(side_a.member_user).get(url(side_a, "group-members")))
    assert listing["items"][0]["member_count"] is None

    child = api_client(side_b.admin)
    consent = send(
        child,
        "PUT",
        url(side_b, "sharing-consents"),
        {"parent_slug": side_a.association.slug, "shares_figures_with_parent": True},
    )
    assert consent.status_code == 200 and body(consent)["parent_name"] == side_a.association.name
    listing = body(api_client(side_a.member_user).get(url(side_a, "group-members")))
    assert listing["items"][0]["member_count"] == 1
    assert body(child.get(url(side_b, "sharing-consents")))[0]["shares_figures_with_parent"]


@pytest.mark.django_db
def test_the_public_chart_api(org_a: Org) -> None:
    chart_url = url(org_a.side, "chart")
    assert Client().get(chart_url).status_code == 404
    with tenant_context(org_a.side.association):
        term_services.org_settings_update(
            association=org_a.side.association, actor=None, publish_chart=True
        )
    response = Client().get(chart_url)
    assert response.status_code == 200
    chart = body(response)
    assert chart["term"] == "第一届理事会"
    assert {p["name"]: p["names"] for p in chart["posts"]}["理事"] == ["赖理事", "温理事"]
    assert "1370000" not in response.content.decode()


@pytest.mark.django_db
def test_committee_members_walk_by_cursor_chairs_first(org_a: Org) -> None:
    """The list is ordered by an expression (chairs first), then pinyin: the cursor walks it
    one row at a time as one page lists it (core.keyset)."""
    from shanghui.org.services import units as unit_services

    with tenant_context(org_a.side.association):
        for person in [org_a.secretary, *org_a.directors]:
            unit_services.committee_member_add(
                association=org_a.side.association,
                actor=org_a.side.admin,
                committee=org_a.committee,
                person=person,
                role="vice_chair" if person == org_a.directors[-1] else "member",
            )
    client = api_client(org_a.side.admin)
    address = url(org_a.side, f"committees/{org_a.committee.pk}/memberships")
    whole = body(client.get(address, {"page_size": 100}))["items"]
    assert len(whole) >= 4 and [m["role_label"] for m in whole[:2]] == ["主任", "副主任"]
    walked, cursor = [], None
    for _ in range(len(whole)):
        page = body(client.get(address, {"page_size": 1, **({"cursor": cursor} if cursor else {})}))
        walked += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == whole
