import pytest
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.publishing import selectors
from shanghui.publishing.models import Article
from shanghui.publishing.tests.factories import article_make
from shanghui.testing.fixtures import Side, client_for

pytestmark = pytest.mark.django_db


def test_member_reads_and_anonymous_sees_public_only(side_a: Side) -> None:
    a = side_a.association
    members = article_make(a, side_a.admin, title="会员专享资讯")
    public = article_make(a, side_a.admin, title="公开资讯", audience=Article.Audience.PUBLIC)
    with tenant_context(a):
        assert list(selectors.published_articles(a)) == [public]
    member = client_for(side_a.member_user)
    page = member.get(f"/a/{a.slug}/news/")
    assert "会员专享资讯" in page.content.decode() and "公开资讯" in page.content.decode()
    assert member.get(f"/a/{a.slug}/news/{members.pk}/").status_code == 200
    anonymous = Client()
    assert anonymous.get(f"/a/{a.slug}/news/{members.pk}/").status_code == 404
    assert anonymous.get(f"/a/{a.slug}/news/{public.pk}/").status_code == 200
    office = client_for(side_a.admin)
    edit = office.get(f"/a/{a.slug}/office/news/{members.pk}/")
    assert side_a.member_user.name in edit.content.decode()
    assert office.get(f"/a/{a.slug}/office/news/").status_code == 200
    assert office.get(f"/a/{a.slug}/office/news/new/").status_code == 200
