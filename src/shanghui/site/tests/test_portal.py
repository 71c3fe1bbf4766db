"""The platform portal (/): a directory of associations, each card a link to its public site,
searchable in pinyin, initials, Simplified and Traditional characters, filtered by kind and
province, paged; and the news that associations share with the portal, read from the
platform table ``PortalNewsItem``."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.publishing.models import PortalNewsItem
from shanghui.testing.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def names(query: str = "") -> list[str]:
    response = Client().get(f"/{query}")
    assert response.status_code == 200
    return re.findall(r'class="assoc-card__name">([^<]+)<', response.content.decode())


@pytest.fixture
def directory() -> None:
    AssociationFactory(
        name="深圳市江西商会", short_name="深圳江西商会", slug="szjx", region_code="440300"
    )
    AssociationFactory(
        name="上海市浙江商会", short_name="上海浙江商会", slug="shzj", region_code="310000"
    )
    AssociationFactory(
        name="广州市软件产业协会",
        short_name="广州软件产业协会",
        slug="gzrj",
        region_code="440100",
        kind=Association.Kind.INDUSTRY,
    )
    AssociationFactory(
        name="南昌市福建商会",
        short_name="南昌福建商会",
        slug="ncfj",
        region_code="360100",
        status=Association.Status.APPLYING,
    )


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("query", ["jx", "jiangxi", "JiangXi", "江西", "江西商會", "szjxsh"])
def test_the_directory_finds_an_association_by_pinyin_initials_and_characters(query: str) -> None:
    assert names(f"?q={query}") == ["深圳市江西商会"]


@pytest.mark.usefixtures("directory")
def test_each_card_links_to_the_public_site() -> None:
    page = Client().get("/").content.decode()
    assert 'href="/a/szjx/"' in page and 'href="/a/shzj/"' in page
    assert "南昌市福建商会" not in page  # not approved yet: not listed


@pytest.mark.usefixtures("directory")
def test_the_directory_filters_by_kind_and_province() -> None:
    assert names("?kind=industry") == ["广州市软件产业协会"]
    assert sorted(names("?region=440000")) == ["广州市软件产业协会", "深圳市江西商会"]
    assert names("?region=440000&q=rj") == ["广州市软件产业协会"]
    assert names("?q=_") == []  # nothing searchable: nothing, not everyone


def test_the_directory_is_paged() -> None:
    for n in range(30):
        AssociationFactory(name=f"第{n:02d}号测试商会", short_name=f"测试{n}")
    first, second = names(), names("?page=2")
    assert len(first) == 24 and len(second) == 6 and not set(first) & set(second)


def test_the_portal_shows_shared_news_with_links(side_a: object) -> None:
    association = side_a.association  # type: ignore[attr-defined]
    PortalNewsItem.objects.create(
        association=association,
        article_id=4242,
        title="甲市江西商会召开年会",
        published_at=timezone.now(),
    )
    page = Client().get("/").content.decode()
    assert "甲市江西商会召开年会" in page
    assert f'href="/a/{association.slug}/news/4242/"' in page


def test_the_portal_api_searches_the_directory() -> None:
    AssociationFactory(name="深圳市江西商会", short_name="深圳江西商会", slug="szjx")
    AssociationFactory(name="上海市浙江商会", short_name="上海浙江商会", slug="shzj")
    answer = Client().get("/api/v1/associations?q=jx").json()
    assert [item["slug"] for item in answer["items"]] == ["szjx"]
    assert answer["count"] == 1


def test_the_portal_news_api_lists_shared_news_of_active_associations(side_a: object) -> None:
    association = side_a.association  # type: ignore[attr-defined]
    hidden = AssociationFactory(status=Association.Status.SUSPENDED)
    for owner, title in ((association, "公开的商会新闻"), (hidden, "暂停商会的新闻")):
        PortalNewsItem.objects.create(
            association=owner, article_id=1, title=title, published_at=timezone.now()
        )
    answer = Client().get("/api/v1/portal/news").json()
    assert [item["title"] for item in answer["items"]] == ["公开的商会新闻"]
    assert answer["items"][0]["association_slug"] == association.slug


def test_a_scheduled_article_reaches_the_portal_only_at_its_time(side_a: object) -> None:
    """The publish service copies a scheduled article at once; its time is filtered at read
    time, on the page and in the API alike."""
    association = side_a.association  # type: ignore[attr-defined]
    for title, when in (
        ("已发布的新闻", timezone.now()),
        ("下周才发布的新闻", timezone.now() + timedelta(days=7)),
    ):
        PortalNewsItem.objects.create(
            association=association, article_id=len(title), title=title, published_at=when
        )
    page = Client().get("/").content.decode()
    assert "已发布的新闻" in page and "下周才发布的新闻" not in page
    answer = Client().get("/api/v1/portal/news").json()
    assert [item["title"] for item in answer["items"]] == ["已发布的新闻"]
