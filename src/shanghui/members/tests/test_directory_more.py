"""The member directory loads more by cursor (core.keyset.more_page): pressing "加载更多" (or
scrolling to it) until it is gone shows every member in good standing once, in pinyin order,
through ties, filters and searches; the A–Z index starts the list at its letter."""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.members.search_index import member_tokens_save
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side

MORE = re.compile(r'hx-get="([^"]*cursor=[^"]*)"')
CARD = re.compile(r"/directory/(\d+)/\"")


def load_all(client: Client, url: str, params: dict[str, str]) -> tuple[list[int], list[str]]:
    """The member ids in the order the directory shows them, pressing "more" to the end, and
    each chunk's HTML."""
    first = client.get(url, params)
    assert first.status_code == 200
    chunks = [first.content.decode()]
    for _ in range(100):
        found = MORE.search(chunks[-1])
        if not found:
            break
        more = client.get(url + html.unescape(found.group(1)), HTTP_HX_REQUEST="true")
        assert more.status_code == 200
        chunks.append(more.content.decode())
    return [int(i) for chunk in chunks for i in CARD.findall(chunk)], chunks


@pytest.fixture
def many(side_a: Side) -> Side:
    """75 members sharing one name (ties on the sort key), a few others, one withdrawn."""
    a = side_a.association
    with tenant_context(a):
        created = Member.objects.bulk_create(
            Member(
                association=a,
                name="阿里贸易有限公司",
                member_no=f"A{n:03d}",
                status=Member.Status.ACTIVE,
                sort_key="alimaoyiyouxiangongsi",
                search_text="阿里贸易有限公司 alimaoyiyouxiangongsi almyyxgs",
                kind=Member.Kind.INDIVIDUAL if n % 5 == 0 else Member.Kind.ENTERPRISE,
            )
            for n in range(75)
        )
        member_tokens_save(association=a, members=created)
    for name in ["章贡区百货有限公司", "赵记阿里酒家", "已退会阿里贸易有限公司"]:
        MemberFactory(association=a, name=name, status="withdrawn" if "退会" in name else "active")
    return side_a


def expected(side: Side, **filters: object) -> list[int]:
    with tenant_context(side.association):
        qs = Member.objects.filter(
            association=side.association,
            status__in=["active", "arrears", "expired"],
            **filters,
        )
        return list(qs.order_by("sort_key", "id").values_list("id", flat=True))


@pytest.mark.django_db
def test_loading_more_to_the_end_shows_every_member_once(many: Side, member_a: Client) -> None:
    url = f"/a/{many.association.slug}/directory/"
    ids, chunks = load_all(member_a, url, {})
    assert ids == expected(many)
    assert len(ids) > 60 and len(chunks) == -(-len(ids) // 30)  # 30 a chunk
    assert "加载更多" in chunks[0] and "加载更多" not in chunks[-1]
    # A chunk that continues a letter does not repeat its heading.
    assert chunks[1].count('class="m-letter"') == 0 and "<html" not in chunks[1]


@pytest.mark.django_db
def test_loading_more_keeps_the_filters_and_the_search(many: Side, member_a: Client) -> None:
    url = f"/a/{many.association.slug}/directory/"
    ids, _chunks = load_all(member_a, url, {"kind": "individual"})
    assert ids == expected(many, kind="individual") and len(ids) == 15
    ids, chunks = load_all(member_a, url, {"q": "阿里"})
    with tenant_context(many.association):
        names = set(Member.objects.filter(pk__in=ids).values_list("name", flat=True))
    assert names == {"阿里贸易有限公司", "赵记阿里酒家"} and len(ids) == len(set(ids)) == 76
    assert "找到 76 位会员" in chunks[0]


@pytest.mark.django_db
def test_the_letter_index_starts_at_its_letter_and_loads_on(many: Side, member_a: Client) -> None:
    url = f"/a/{many.association.slug}/directory/"
    ids, chunks = load_all(member_a, url, {"letter": "Z"})
    with tenant_context(many.association):
        names = list(Member.objects.filter(pk__in=ids).values_list("name", flat=True))
    assert sorted(names) == sorted(["章贡区百货有限公司", "赵记阿里酒家"])
    assert "阿里贸易有限公司" not in chunks[0]


@pytest.mark.django_db
def test_a_garbled_cursor_shows_the_start_of_the_directory(many: Side, member_a: Client) -> None:
    url = f"/a/{many.association.slug}/directory/"
    for cursor in ["garbage", "W10:abc", "x" * 5000]:
        response = member_a.get(url, {"cursor": cursor})
        assert response.status_code == 200
        assert [int(i) for i in CARD.findall(response.content.decode())] == expected(many)[:30]


@pytest.mark.django_db
def test_a_cursor_from_another_associations_directory_is_not_followed(
    many: Side, side_b: Side, member_a: Client
) -> None:
    first = member_a.get(f"/a/{many.association.slug}/directory/").content.decode()
    cursor = re.search(r"cursor=([^&\"]+)", first)
    assert cursor
    member_b = Client()
    member_b.force_login(side_b.member_user)
    page = member_b.get(
        f"/a/{side_b.association.slug}/directory/", {"cursor": html.unescape(cursor.group(1))}
    ).content.decode()
    assert side_b.member.name in page and "阿里贸易有限公司" not in page


@pytest.mark.django_db
def test_loading_more_of_a_search_does_not_count_the_matches_again(
    many: Side, member_a: Client
) -> None:
    """The number found heads the first page only; a common needle's count re-runs the whole
    match, so "load more" does not pay for it again."""
    url = f"/a/{many.association.slug}/directory/"
    first = member_a.get(url, {"q": "阿里"}).content.decode()
    found = MORE.search(first)
    assert found
    with CaptureQueriesContext(connection) as queries:
        more = member_a.get(url + html.unescape(found.group(1)), HTTP_HX_REQUEST="true")
    assert more.status_code == 200 and CARD.search(more.content.decode())
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
