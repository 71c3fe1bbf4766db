"""The public site of an association (官网): a visitor at /a/<slug>/ — and anyone at
/a/<slug>/site/ — sees its banner, introduction, latest public news, upcoming public events,
leadership, member showcase, contact and ICP 备案号, and nothing members-only. These are the
isolation walker's deliberate exceptions (core/tests/test_isolation_walker.py): each is
proven here to show only what is public."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from shanghui.accounts.models import Role
from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.events.services.events import calendar_settings_update
from shanghui.events.tests.factories import make_event
from shanghui.members.models import Member
from shanghui.members.services.members import member_set_showcase
from shanghui.org.services.terms import org_settings_update
from shanghui.publishing.models import Article
from shanghui.publishing.services.articles import ArticleInput, article_create, article_publish
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.pictures import photo_like

pytestmark = pytest.mark.django_db


def publish(side: Side, title: str, audience: str = "public", **fields: object) -> Article:
    a = side.association
    with tenant_context(a):
        role = Role.objects.get(association=a, user=side.admin)
        article = article_create(
            association=a,
            actor=side.admin,
            role=role,
            data=ArticleInput(title=title, body="<p>正文</p>", audience=audience, **fields),  # type: ignore[arg-type]
        )
        return article_publish(association=a, actor=side.admin, role=role, article=article)


def visit(path: str, client: Client | None = None) -> str:
    response = (client or Client()).get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_visitor_sees_the_public_site_at_the_associations_address(side_a: Side) -> None:
    a = side_a.association
    a.introduction = "本会成立于2006年，服务在粤赣商。"
    a.contact_phone = "020-83561234"
    a.icp_number = "粤ICP备20260001号-1"
    a.save()
    page = visit(f"/a/{a.slug}/")
    assert f"<title>{a.name}" in page
    assert '<meta property="og:title" content="' + a.name in page
    assert 'property="og:url" content="http://testserver/a/jiashi/"' in page
    assert "本会成立于2006年" in page and "020-83561234" in page
    assert "粤ICP备20260001号-1" in page  # in the footer
    assert f'href="/a/{a.slug}/join/"' in page  # apply to join
    assert "12377" in page  # 举报: the national reporting centre
    assert "会员登录" in page
    # The same page for members at /site/, who keep their member home at /a/<slug>/.
    member = client_for(side_a.member_user)
    assert "我代表的会员" in visit(f"/a/{a.slug}/", member)
    assert "本会成立于2006年" in visit(f"/a/{a.slug}/site/", member)


def test_only_public_published_due_articles_show(side_a: Side) -> None:
    publish(side_a, "公开的年会报道")
    publish(side_a, "只给会员的通知", audience="members")
    later = publish(side_a, "明天才发布的文章")
    with tenant_context(side_a.association):
        Article.objects.filter(pk=later.pk).update(published_at=timezone.now() + timedelta(days=1))
    page = visit(f"/a/{side_a.association.slug}/")
    assert "公开的年会报道" in page
    assert "只给会员的通知" not in page and "明天才发布的文章" not in page


def test_public_events_show_only_when_the_calendar_is_published(side_a: Side) -> None:
    a = side_a.association
    make_event(a, side_a.admin, title="公开论坛", audience="public")
    make_event(a, side_a.admin, title="会员内部活动", audience="members")
    assert "公开论坛" not in visit(f"/a/{a.slug}/")
    with tenant_context(a):
        calendar_settings_update(association=a, actor=side_a.admin, publish_calendar=True)
    page = visit(f"/a/{a.slug}/")
    assert "公开论坛" in page and "会员内部活动" not in page
    assert f'href="/a/{a.slug}/calendar/"' in page


def test_the_leadership_shows_only_when_the_chart_is_published(side_a: Side) -> None:
    from shanghui.org.tests.walker import foreign_objects

    foreign_objects(side_a)  # a current term with posts held by A's people
    a = side_a.association
    assert "领导班子" not in visit(f"/a/{a.slug}/")
    with tenant_context(a):
        org_settings_update(association=a, actor=side_a.admin, publish_chart=True)
    page = visit(f"/a/{a.slug}/")
    assert "领导班子" in page and f'href="/a/{a.slug}/org-chart/"' in page


def test_the_showcase_shows_opted_in_enterprises_without_personal_data(side_a: Side) -> None:
    a = side_a.association
    shown = MemberFactory(association=a, name="赣商科技有限公司", main_products="智能电表")
    MemberFactory(association=a, name="未同意展示的公司")
    with tenant_context(a):
        member_set_showcase(association=a, actor=side_a.admin, member=shown, showcase=True)
        with pytest.raises(Exception, match="企业会员"):
            person = MemberFactory(association=a, name="张三", kind=Member.Kind.INDIVIDUAL)
            member_set_showcase(association=a, actor=side_a.admin, member=person, showcase=True)
    assert "赣商科技有限公司" not in visit(f"/a/{a.slug}/")  # the showcase is off
    a.showcase_enabled = True
    a.save(update_fields=["showcase_enabled"])
    page = visit(f"/a/{a.slug}/")
    assert "赣商科技有限公司" in page and "智能电表" in page
    assert "未同意展示的公司" not in page
    assert side_a.person.name not in page and side_a.person.phone not in page


def test_a_showcased_logo_is_public_and_no_other_is(side_a: Side) -> None:
    from shanghui.members.services.pictures import member_logo_set

    a = side_a.association
    a.showcase_enabled = True
    a.save(update_fields=["showcase_enabled"])
    shown = MemberFactory(association=a, name="有标志的公司")
    with tenant_context(a):
        for member in (shown, side_a.member):
            member_logo_set(
                association=a,
                actor=side_a.admin,
                member=member,
                upload=SimpleUploadedFile("logo.jpg", photo_like(3)),
            )
        member_set_showcase(association=a, actor=side_a.admin, member=shown, showcase=True)
    logo = Client().get(f"/a/{a.slug}/site/showcase/{shown.pk}/logo/")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/jpeg"
    hidden = Client().get(f"/a/{a.slug}/site/showcase/{side_a.member.pk}/logo/")
    assert hidden.status_code == 404


def test_the_sitemap_lists_the_public_pages_and_articles(side_a: Side) -> None:
    public = publish(side_a, "公开文章")
    members_only = publish(side_a, "会员文章", audience="members")
    a = side_a.association
    response = Client().get(f"/a/{a.slug}/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert f"http://testserver/a/{a.slug}/news/{public.pk}/" in body
    assert f"/news/{members_only.pk}/" not in body
    assert f"http://testserver/a/{a.slug}/join/" in body
    assert "/calendar/" not in body  # not published


def test_the_feed_carries_the_public_news(side_a: Side) -> None:
    publish(side_a, "公开的新闻", summary="摘要一句")
    publish(side_a, "会员的新闻", audience="members")
    a = side_a.association
    response = Client().get(f"/a/{a.slug}/news/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "公开的新闻" in body and "摘要一句" in body and "会员的新闻" not in body
    assert 'rel="alternate" type="application/atom+xml"' in visit(f"/a/{a.slug}/")


def test_the_banner_is_shown_and_named_for_sharing(side_a: Side) -> None:
    from shanghui.associations.services.associations import association_set_banner, banner_prepare

    a = side_a.association
    banner = SimpleUploadedFile("b.jpg", photo_like(5, side=1600, height=600))
    picture = banner_prepare(banner, association=a, actor=side_a.admin)
    association_set_banner(actor=side_a.admin, association=a, picture=picture)
    page = visit(f"/a/{a.slug}/")
    src = re.search(r'class="site-hero__banner" src="([^"]+)"', page)
    assert src is not None
    picture = Client().get(src.group(1).replace("&amp;", "&"))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    assert '<meta property="og:image" content="http://testserver/a/jiashi/site/banner/' in page


def test_a_suspended_association_has_no_public_site(side_a: Side) -> None:
    a = side_a.association
    a.status = Association.Status.SUSPENDED
    a.save(update_fields=["status"])
    assert Client().get(f"/a/{a.slug}/").status_code == 404
    assert Client().get(f"/a/{a.slug}/site/").status_code == 404
    assert Client().get(f"/a/{a.slug}/sitemap.xml").status_code == 404


def test_the_public_site_api_shows_what_the_page_shows(side_a: Side, side_b: Side) -> None:
    publish(side_a, "接口里的公开文章")
    publish(side_a, "接口里的会员文章", audience="members")
    answer = Client().get(f"/api/v1/associations/{side_a.association.slug}/site").json()
    assert answer["name"] == side_a.association.name
    assert [n["title"] for n in answer["news"]] == ["接口里的公开文章"]
    assert answer["showcase"] == [] and answer["leaders"] == []


def test_the_public_home_costs_a_fixed_number_of_statements(
    side_a: Side, django_assert_max_num_queries: object
) -> None:
    from shanghui.org.tests.walker import foreign_objects

    a = side_a.association
    foreign_objects(side_a)
    a.showcase_enabled = True
    a.save(update_fields=["showcase_enabled"])
    with tenant_context(a):
        calendar_settings_update(association=a, actor=side_a.admin, publish_calendar=True)
        org_settings_update(association=a, actor=side_a.admin, publish_chart=True)
        for n in range(12):
            member = MemberFactory(association=a, name=f"展示企业{n:02d}")
            member_set_showcase(association=a, actor=side_a.admin, member=member, showcase=True)
    for n in range(8):
        publish(side_a, f"公开文章{n}")
        make_event(a, side_a.admin, title=f"公开活动{n}", audience="public")
    visit(f"/a/{a.slug}/")
    # 12 on SQLite; PostgreSQL adds the tenant scope's statements (14 there).
    extra = {"postgresql": 2, "sqlite": 0}[connection.vendor]
    with django_assert_max_num_queries(12 + extra):  # type: ignore[operator]
        page = visit(f"/a/{a.slug}/")
    assert page.count("展示企业") == 12 and page.count("公开活动") == 4


def test_a_public_article_is_framed_by_the_site(side_a: Side) -> None:
    a = side_a.association
    a.icp_number = "粤ICP备20260001号-1"
    a.save(update_fields=["icp_number"])
    article = publish(side_a, "年会圆满召开", summary="三百位会员出席")
    page = visit(f"/a/{a.slug}/news/{article.pk}/")
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="年会圆满召开">' in page
    assert 'content="三百位会员出席"' in page
    assert "粤ICP备20260001号-1" in page and "12377" in page
    listing = visit(f"/a/{a.slug}/news/")
    assert "年会圆满召开" in listing and "粤ICP备20260001号-1" in listing


def test_the_site_menu_links_the_published_calendar_and_chart(side_a: Side) -> None:
    from shanghui.org.tests.walker import foreign_objects

    foreign_objects(side_a)  # a current term with posts
    a = side_a.association
    article = publish(side_a, "菜单测试文章")
    pages = (f"/a/{a.slug}/", f"/a/{a.slug}/news/", f"/a/{a.slug}/news/{article.pk}/")
    calendar_link = f'href="/a/{a.slug}/calendar/"'
    chart_link = f'href="/a/{a.slug}/org-chart/"'
    for path in pages:
        nav = visit(path).split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
        assert calendar_link not in nav and chart_link not in nav, path
    with tenant_context(a):
        calendar_settings_update(association=a, actor=side_a.admin, publish_calendar=True)
        org_settings_update(association=a, actor=side_a.admin, publish_chart=True)
    for path in pages:
        nav = visit(path).split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
        assert calendar_link in nav and chart_link in nav, path
    # A visitor can open both.
    assert Client().get(f"/a/{a.slug}/calendar/").status_code == 200
    assert Client().get(f"/a/{a.slug}/org-chart/").status_code == 200


def test_canonical_and_feed_links_name_the_public_addresses(side_a: Side) -> None:
    a = side_a.association
    article = publish(side_a, "规范地址的文章")
    home = f"http://testserver/a/{a.slug}/"
    for path in (f"/a/{a.slug}/site/", f"/a/{a.slug}/?from=timeline"):
        page = visit(path)
        assert f'<link rel="canonical" href="{home}">' in page, path
        assert f'<meta property="og:url" content="{home}">' in page, path
    page = visit(f"/a/{a.slug}/news/{article.pk}/?from=singlemessage&isappinstalled=0")
    assert f'<link rel="canonical" href="{home}news/{article.pk}/">' in page
    page = visit(f"/a/{a.slug}/news/?page=1&utm_source=x")
    assert f'<link rel="canonical" href="{home}news/">' in page
    assert f'href="/a/{a.slug}/news/feed/"' in page
    feed = Client().get(f"/a/{a.slug}/news/feed/").content.decode()
    assert f'<link href="{home}" rel="alternate"' in feed
    assert "/site/" not in feed
