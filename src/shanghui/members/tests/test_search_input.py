"""Searching as people type (issue 13.16): full-width letters and digits, +86 numbers,
and a query of punctuation that finds nothing, not everyone."""

import pytest
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Person
from shanghui.testing.factories import MemberFactory, PersonFactory, RepresentativeFactory
from shanghui.testing.fixtures import Side, api_client_for


def names(client: Client, slug: str, query: str) -> list[str]:
    response = client.get(f"/api/v1/associations/{slug}/members", {"q": query, "page_size": 100})
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["items"])


@pytest.fixture
def people(side_a: Side) -> Side:
    a = side_a.association
    rep = RepresentativeFactory(
        association=a,
        member=MemberFactory(association=a, name="百色覃氏糖业有限公司"),
        person=PersonFactory(association=a, name="覃海燕", phone="13912345678"),
    )
    with tenant_context(a):
        Person.objects.filter(pk=rep.person_id).update(show_phone=True)
    return side_a


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["ＱＨＹ", "ｑｉｎ　ｈａｉ", "+86 139 1234 5678", "0086-139-1234-5678", " 13912345678 "],
)
def test_search_input_is_normalised(people: Side, query: str) -> None:
    for user in (people.member_user, people.admin):  # the phone is shown: members find it too
        assert names(api_client_for(user), people.association.slug, query) == [
            "百色覃氏糖业有限公司"
        ]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["_", "%", "·", "- -", "."])
def test_a_query_of_punctuation_finds_nothing(people: Side, admin_a: Client, query: str) -> None:
    slug = people.association.slug
    assert names(api_client_for(people.admin), slug, query) == []
    assert names(api_client_for(people.member_user), slug, query) == []
    office = admin_a.get(f"/a/{slug}/office/members/", {"q": query}).content.decode()
    assert "百色覃氏糖业有限公司" not in office
