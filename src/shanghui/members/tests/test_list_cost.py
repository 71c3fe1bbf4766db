"""What the member lists cost: their filter choices are cached (``core.cache_versions``) and
never stale — every write that changes them shows at once — and each page runs a fixed,
small number of statements whatever the number of rows."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shanghui.core.tenancy import tenant_context
from shanghui.members.services.members import MemberInput, member_create, member_update
from shanghui.members.services.policy import level_active_set, level_save
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side


def directory(client: Client, side: Side) -> str:
    response = client.get(f"/a/{side.association.slug}/directory/")
    assert response.status_code == 200
    return response.content.decode()


def office(client: Client, side: Side) -> str:
    response = client.get(f"/a/{side.association.slug}/office/members/")
    assert response.status_code == 200
    return response.content.decode()


def options(page: str, name: str) -> list[str]:
    """The labels a filter of the page offers (its ``<select name=…>``)."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select is not None, name
    return re.findall(r'<option value="[^"]+"[^>]*>([^<]*)</option>', select.group(0))


def add_member(side: Side, name: str, **fields: str) -> object:
    with tenant_context(side.association):
        return member_create(
            association=side.association,
            actor=side.admin,
            data=MemberInput(kind="enterprise", name=name, uscc=make_uscc(), **fields),
        )


@pytest.mark.django_db
def test_the_filter_choices_follow_members_added_and_edited(
    side_a: Side, member_a: Client, admin_a: Client
) -> None:
    assert "江西省吉安市" not in options(directory(member_a, side_a), "hometown")  # cached now
    assert "江西省吉安市" not in options(office(admin_a, side_a), "hometown")
    member = add_member(side_a, "吉安井冈蜜柚有限公司", hometown_code="360821")
    assert "江西省吉安市" in options(directory(member_a, side_a), "hometown")
    assert "江西省吉安市" in options(office(admin_a, side_a), "hometown")
    with tenant_context(side_a.association):
        member_update(
            association=side_a.association,
            actor=side_a.admin,
            member=member,  # type: ignore[arg-type]
            data=MemberInput(
                kind="enterprise",
                name="吉安井冈蜜柚有限公司",
                uscc=member.uscc,  # type: ignore[attr-defined]
                hometown_code="360730",  # 赣州市宁都县
                industry_code="51",
            ),
        )
    page = directory(member_a, side_a)
    assert "江西省吉安市" not in options(page, "hometown")
    assert "江西省赣州市" in options(page, "hometown")
    assert "批发和零售业" in options(page, "industry")


@pytest.mark.django_db
def test_the_filter_choices_follow_levels_and_committees(side_a: Side, member_a: Client) -> None:
    from shanghui.org.services.units import CommitteeInput, committee_create, committee_delete

    directory(member_a, side_a)
    a = side_a.association
    with tenant_context(a):
        level = level_save(
            association=a, actor=side_a.admin, name="名誉会长单位", rank=1, annual_fee="0"
        )
        committee = committee_create(
            association=a, actor=side_a.admin, data=CommitteeInput("青年企业家委员会", "", 1)
        )
    page = directory(member_a, side_a)
    assert "名誉会长单位" in options(page, "level")
    assert "青年企业家委员会" in options(page, "committee")
    with tenant_context(a):
        level_active_set(association=a, actor=side_a.admin, level=level, active=False)
        committee_delete(association=a, actor=side_a.admin, committee=committee)
    page = directory(member_a, side_a)
    assert "名誉会长单位" not in options(page, "level")
    assert "青年企业家委员会" not in options(page, "committee")


def distinct_statements(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("SELECT DISTINCT" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_another_associations_writes_leave_the_cached_choices_alone(
    side_a: Side, side_b: Side, member_a: Client, member_b: Client
) -> None:
    url_a = f"/a/{side_a.association.slug}/directory/"
    assert distinct_statements(member_a, url_a) == 3  # worked out once …
    assert distinct_statements(member_a, url_a) == 0  # … then read from the cache
    add_member(side_b, "乙方新会员有限公司", hometown_code="360821")
    assert distinct_statements(member_a, url_a) == 0
    assert "江西省吉安市" not in options(directory(member_a, side_a), "hometown")
    assert "江西省吉安市" in options(directory(member_b, side_b), "hometown")
    add_member(side_a, "甲方新会员有限公司", region_code="440106")
    assert distinct_statements(member_a, url_a) == 3


@pytest.mark.django_db
def test_a_search_pages_and_counts_from_one_statement(side_a: Side, member_a: Client) -> None:
    names = [f"刘氏第{n}实业有限公司" for n in range(5)]
    for name in names:
        add_member(side_a, name)
    url = f"/api/v1/associations/{side_a.association.slug}/members"
    pages = []
    for page in (1, 2, 3, 4):
        with CaptureQueriesContext(connection) as queries:
            found = member_a.get(url, {"q": "刘氏", "page": page, "page_size": 2}).json()
        assert found["count"] == 5
        pages.append([item["name"] for item in found["items"]])
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
        if page <= 3:  # the count rides on the page's statement
            assert len(counts) == 1 and "OVER" in counts[0]
    assert pages[3] == []  # past the end: no row to carry the count, counted apart
    listed = [name for page in pages for name in page]
    assert sorted(listed) == sorted(names)  # each once


def _members(side: Side, count: int) -> None:
    from shanghui.testing.factories import MemberFactory, PersonFactory, RepresentativeFactory

    for n in range(count):
        member = MemberFactory(association=side.association, name=f"刘家第{n}号贸易有限公司")
        person = PersonFactory(association=side.association, name=f"刘{n}")
        RepresentativeFactory(association=side.association, member=member, person=person)


# What the tenant scope adds on PostgreSQL (its transaction and the association id set for
# row-level security, core.tenancy).
TENANT_SCOPE_STATEMENTS = {"postgresql": 5, "sqlite": 0}
# Pages also count the person's unread inbox in the top bar; on PostgreSQL the person setting
# it is counted under is emptied again by a statement of its own (``SET LOCAL``).
PAGE_BADGE_STATEMENTS = {"postgresql": 1, "sqlite": 0}


# Statements per page, whatever the number of rows: the session and the user (pages) or the
# token (API), the association and the role, the tenant scope's own on PostgreSQL, the page's
# count and rows and their representatives, the filter choices' versions, the audit of a
# secretariat's read and the page shell's figures. A statement more per row, or a lookup
# repeated, fails these.
@pytest.mark.parametrize(
    ("who", "path", "budget"),
    [
        ("member", "/a/{slug}/directory/", 9),
        ("member", "/a/{slug}/directory/?q=刘家", 9),
        ("admin", "/a/{slug}/office/members/", 12),
        ("admin", "/a/{slug}/office/members/?q=刘家", 12),
        ("member", "/api/v1/associations/{slug}/members", 6),
        ("member", "/api/v1/associations/{slug}/members?q=刘家", 6),
        ("admin", "/api/v1/associations/{slug}/members?q=刘家", 7),
    ],
)
@pytest.mark.django_db
def test_a_list_page_runs_a_fixed_number_of_statements(
    side_a: Side,
    django_assert_max_num_queries: Any,
    who: str,
    path: str,
    budget: int,
) -> None:
    from shanghui.testing.fixtures import api_client_for, client_for

    _members(side_a, 25)
    user = side_a.admin if who == "admin" else side_a.member_user
    client = api_client_for(user) if path.startswith("/api/") else client_for(user)
    url = path.format(slug=side_a.association.slug)
    assert client.get(url).status_code == 200  # the filter choices are cached from here on
    budget += TENANT_SCOPE_STATEMENTS[connection.vendor]
    if not path.startswith("/api/"):
        budget += PAGE_BADGE_STATEMENTS[connection.vendor]
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    shown = str(response.json()) if path.startswith("/api/") else response.content.decode()
    assert "刘家第" in shown


@pytest.mark.django_db(transaction=True)
def test_the_filter_choices_follow_an_import(side_a: Side, privacy_notice: None) -> None:
    from shanghui.members.imports.services import member_import_commit
    from shanghui.members.imports.writer import commit_rows
    from shanghui.members.models import MemberImport
    from shanghui.members.tests.test_import import _validated_import, member_row
    from shanghui.testing.fixtures import client_for

    member = client_for(side_a.member_user)
    assert "江西省吉安市" not in options(directory(member, side_a), "hometown")  # cached now
    row = member_row(
        name="吉安井冈蜜柚有限公司", uscc=make_uscc(), hometown_code="360821", rep_name="邹小平"
    )
    _client, _base, import_id = _validated_import(side_a, [row])
    a = side_a.association
    with tenant_context(a):
        member_import = MemberImport.objects.get(pk=import_id)
        job = member_import_commit(association=a, actor=side_a.admin, member_import=member_import)
        assert commit_rows(member_import=member_import, job=job).members == 1
    assert "江西省吉安市" in options(directory(member, side_a), "hometown")
