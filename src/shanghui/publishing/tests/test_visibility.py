"""Who sees an article, everywhere it shows: a scheduled one nowhere until its time (the
Atom feed, the sitemap, the public news page, the API, the member home) and everywhere
after; one with audience rules only to the members they name; an unpublished one no longer
on the platform portal (its page and its API)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shanghui.core.audience import AudienceChoice
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Level, Member
from shanghui.org.models import Committee, CommitteeMembership
from shanghui.publishing.models import Article
from shanghui.publishing.services import articles as article_services
from shanghui.publishing.services import categories as category_services
from shanghui.publishing.tests.factories import admin_role, article_make
from shanghui.testing.factories import (
    MemberFactory,
    PersonFactory,
    RepresentativeFactory,
    RoleFactory,
    UserFactory,
)
from shanghui.testing.fixtures import Side, api_client_for, client_for

pytestmark = pytest.mark.django_db

TITLE = "下周发布的年会通知"


def _everywhere(side: Side) -> dict[str, str]:
    """What each place shows of the association's news: the feed, the sitemap, the public
    news page, the public and the member API, and the member home."""
    slug = side.association.slug
    member_api = api_client_for(side.member_user)
    return {
        "feed": Client().get(f"/a/{slug}/news/feed/").content.decode(),
        "sitemap": Client().get(f"/a/{slug}/sitemap.xml").content.decode(),
        "news page": Client().get(f"/a/{slug}/news/").content.decode(),
        "public api": Client().get(f"/api/v1/associations/{slug}/articles").content.decode(),
        "site api": Client().get(f"/api/v1/associations/{slug}/site").content.decode(),
        "member api": member_api.get(f"/api/v1/associations/{slug}/articles").content.decode(),
        "member home": client_for(side.member_user).get(f"/a/{slug}/").content.decode(),
    }


def test_a_scheduled_article_shows_nowhere_until_its_time(side_a: Side) -> None:
    a = side_a.association
    article = article_make(
        a,
        side_a.admin,
        title=TITLE,
        audience=Article.Audience.PUBLIC,
        at=timezone.now() + timedelta(days=7),
    )
    path = f"/news/{article.pk}/"
    for place, text in _everywhere(side_a).items():
        assert TITLE not in text and path not in text, place
    assert Client().get(f"/a/{a.slug}{path}").status_code == 404
    # Its time comes (nothing runs at that moment: every read compares with now).
    with tenant_context(a):
        Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() - timedelta(minutes=1)
        )
    for place, text in _everywhere(side_a).items():
        assert TITLE in text or path in text, place
    assert Client().get(f"/a/{a.slug}{path}").status_code == 200


def _member_with(side: Side, name: str) -> tuple[Client, object]:
    a = side.association
    user = UserFactory(name=name)
    RoleFactory(association=a, user=user)
    member = MemberFactory(association=a, name=f"{name}有限公司")
    person = PersonFactory(association=a, name=name, user=user)
    RepresentativeFactory(association=a, member=member, person=person)
    return client_for(user), (member, person)


def test_an_article_with_audience_rules_is_listed_only_to_the_members_they_name(
    side_a: Side,
) -> None:
    a = side_a.association
    levelled, (levelled_member, _p) = _member_with(side_a, "常务理事甲")
    on_committee, (_m, committee_person) = _member_with(side_a, "委员乙")
    outsider, _ = _member_with(side_a, "普通会员丙")
    with tenant_context(a):
        level = Level.objects.create(association=a, name="常务理事单位", rank=2, annual_fee=0)
        Member.objects.filter(pk=levelled_member.pk).update(level=level)  # type: ignore[attr-defined]
        committee = Committee.objects.create(association=a, name="青年企业家委员会")
        CommitteeMembership.objects.create(
            association=a, committee=committee, person=committee_person
        )
    by_level = article_make(a, side_a.admin, title="常务理事内参", audience="rules",
                            choices=[AudienceChoice("level", [level.pk])])  # fmt: skip
    by_committee = article_make(a, side_a.admin, title="青年委员会纪要", audience="rules",
                                choices=[AudienceChoice("committee", [committee.pk])])  # fmt: skip

    def listed(client: Client) -> set[str]:
        page = client.get(f"/a/{a.slug}/news/").content.decode()
        api = client.get(f"/api/v1/associations/{a.slug}/articles")
        titles = {i["title"] for i in api.json()["items"]} if api.status_code == 200 else set()
        return {t for t in ("常务理事内参", "青年委员会纪要") if t in page} | titles

    assert listed(levelled) == {"常务理事内参"}
    assert listed(on_committee) == {"青年委员会纪要"}
    assert listed(outsider) == set()
    assert listed(client_for(side_a.admin)) == {"常务理事内参", "青年委员会纪要"}  # editors
    assert listed(Client()) == set()
    for client, allowed in ((levelled, by_level), (outsider, None)):
        for article in (by_level, by_committee):
            status = client.get(f"/a/{a.slug}/news/{article.pk}/").status_code
            assert status == (200 if article is allowed else 404)


def test_unpublishing_takes_the_article_off_the_portal(side_a: Side) -> None:
    a = side_a.association
    admin = admin_role(a, side_a.admin)
    with tenant_context(a):
        category_services.portal_sharing_set(
            association=a, actor=side_a.admin, role=admin, share=True
        )
    article = article_make(a, side_a.admin, title="门户上的年会报道", audience="public")
    link = f'href="/a/{a.slug}/news/{article.pk}/"'
    assert link in Client().get("/").content.decode()
    news = Client().get("/api/v1/portal/news").json()["items"]
    assert [n["title"] for n in news] == ["门户上的年会报道"]
    with tenant_context(a):
        article_services.article_unpublish(
            association=a, actor=side_a.admin, role=admin, article=article
        )
    page = Client().get("/").content.decode()
    assert link not in page and "门户上的年会报道" not in page
    assert Client().get("/api/v1/portal/news").json()["items"] == []
