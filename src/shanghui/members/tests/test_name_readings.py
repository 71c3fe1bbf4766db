"""Individual members' names read as people's names (issue 13.15): 单 shan, 曾 zeng, 区 ou,
仇 qiu, the given name 珩 heng, the surname 单于 chan yu — found and filed under that letter."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client

from shanghui.core.tenancy import scopes_disabled, tenant_context
from shanghui.members.models import Member
from shanghui.members.search_index import member_search_tokens, search_tokens_write
from shanghui.members.services.members import member_search_fields
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, api_client_for


def names(client: Client, slug: str, query: str) -> list[str]:
    response = client.get(f"/api/v1/associations/{slug}/members", {"q": query, "page_size": 100})
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["items"])


@pytest.fixture
def people(side_a: Side) -> Side:
    for name in ("单文斌", "曾煜珩", "仇志刚", "区嘉欣", "单于丹"):
        MemberFactory(
            association=side_a.association, kind=Member.Kind.INDIVIDUAL, name=name, uscc=""
        )
    return side_a


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("shanwenbin", "单文斌"),
        ("swb", "单文斌"),
        ("zengyuheng", "曾煜珩"),
        ("qiuzhigang", "仇志刚"),
        ("oujiaxin", "区嘉欣"),
        ("chanyudan", "单于丹"),
    ],
)
def test_individual_members_are_found_by_their_names_reading(
    people: Side, query: str, found: str
) -> None:
    client = api_client_for(people.member_user)
    assert names(client, people.association.slug, query) == [found]


@pytest.mark.django_db
def test_individual_members_are_filed_under_their_surnames_letter(people: Side) -> None:
    with tenant_context(people.association):
        keys = dict(Member.objects.values_list("name", "sort_key"))
    assert keys["单文斌"].startswith("shan")
    assert keys["仇志刚"].startswith("qiu")
    assert keys["区嘉欣"].startswith("ou")


@pytest.mark.django_db(transaction=True)
def test_the_migration_rereads_names_stored_the_old_way(people: Side) -> None:
    """Rows written before this change hold the company reading (单 dan); 0012 re-reads them."""
    a = people.association
    with tenant_context(a):
        member = Member.objects.get(name="单文斌")
        old_text, old_key = member_search_fields(member.name, member.uscc)  # as companies read
        Member.objects.filter(pk=member.pk).update(search_text=old_text, sort_key=old_key)
        search_tokens_write(
            association=a,
            members=[(member.pk, member_search_tokens(member.name, member.uscc))],
            replace=True,
        )
    client = api_client_for(people.member_user)
    assert names(client, a.slug, "shanwenbin") == []  # the state the migration finds

    migration = importlib.import_module("shanghui.members.migrations.0012_read_names_as_names")
    # As migrate runs it: in one transaction, with managers that know no scope.
    with transaction.atomic(), scopes_disabled():
        migration.reread(apps, SimpleNamespace(connection=connection))
    with tenant_context(a):
        assert Member.objects.get(pk=member.pk).sort_key.startswith("shan")
    assert names(client, a.slug, "shanwenbin") == ["单文斌"]
