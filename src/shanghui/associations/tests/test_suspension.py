"""A suspended association's name and status are shown only to its own people and the
platform's operators; every stranger gets the 404 of an association that does not exist."""

import pytest
from django.test import Client

from shanghui.accounts.models import User
from shanghui.accounts.services.tokens import api_token_create
from shanghui.associations.models import Association
from shanghui.associations.services.associations import association_set_status
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side, client_for

PUBLIC_PAGES = ["", "join/", "calendar/", "calendar/feed.ics", "org-chart/", "directory/"]
API_PATHS = ["", "/members", "/events"]


def api_client(user: User | None) -> Client:
    if user is None:
        return Client()
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def suspend(association: Association) -> None:
    operator = UserFactory(is_platform_operator=True)
    association_set_status(
        actor=operator, association=association, status="suspended", reason="未年检"
    )


def tells(body: str, side: Side) -> bool:
    names = (side.association.name, side.association.short_name)
    return any(name in body for name in names) or "暂停" in body


@pytest.mark.django_db
def test_strangers_get_the_404_of_a_missing_association(side_a: Side, side_b: Side) -> None:
    suspend(side_a.association)
    slug = side_a.association.slug
    missing = Client().get("/a/no-such-association/")
    assert missing.status_code == 404
    with as_app_role():
        for client in (Client(), client_for(side_b.member_user), client_for(side_b.admin)):
            for page in PUBLIC_PAGES:
                response = client.get(f"/a/{slug}/{page}")
                assert response.status_code == 404, page
                assert not tells(response.content.decode(), side_a), page
        unknown = Client().get("/api/v1/associations/no-such-association").json()
        for user in (None, side_b.member_user, side_b.admin):
            for path in API_PATHS:
                response = api_client(user).get(f"/api/v1/associations/{slug}{path}")
                assert response.status_code == 404, path
                assert response.json() == unknown
    assert (
        missing.content.decode().replace("no-such-association", slug)
        == Client().get(f"/a/{slug}/").content.decode()
    )
    # Neither the platform's home nor its public list names it.
    assert side_a.association.name not in Client().get("/").content.decode()
    listed = Client().get("/api/v1/associations").json()
    assert slug not in str(listed)


@pytest.mark.django_db
def test_its_own_people_and_the_operator_are_told_it_is_suspended(
    side_a: Side, side_b: Side
) -> None:
    suspend(side_a.association)
    slug = side_a.association.slug
    operator = UserFactory(is_platform_operator=True)
    with as_app_role():
        for user in (side_a.admin, side_a.member_user, operator):
            page = client_for(user).get(f"/a/{slug}/")
            assert page.status_code == 403
            body = page.content.decode()
            assert "该商协会空间已暂停使用" in body and side_a.association.name in body
            api = api_client(user).get(f"/api/v1/associations/{slug}/members")
            assert api.status_code == 403
            assert api.json()["error"]["code"] == "association_suspended"
    # Once restored, strangers see its public pages again.
    association_set_status(
        actor=operator, association=side_a.association, status="active", reason=""
    )
    assert Client().get(f"/a/{slug}/join/").status_code == 200
