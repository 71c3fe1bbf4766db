from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.demo import GDJX
from shanghui.core.tenancy import tenant_context
from shanghui.publishing import selectors
from shanghui.publishing.models import Article, ArticleRead


@pytest.mark.django_db
def test_the_demo_chamber_has_a_year_of_news() -> None:
    call_command("seed_demo", members=400, stdout=StringIO())
    gdjx = Association.objects.get(slug=GDJX.slug)
    member = User.objects.get(phone=GDJX.member_phone)
    with tenant_context(gdjx):
        articles = list(Article.objects.filter(association=gdjx))
        assert len(articles) >= 30
        assert len({a.category_id for a in articles}) == 4
        published = [a for a in articles if a.status == Article.Status.PUBLISHED]
        assert max(timezone.now() - a.published_at for a in published if a.published_at).days > 300
        assert any(a.published_at and a.published_at > timezone.now() for a in published)
        assert sum(a.pinned for a in articles) >= 2
        assert {a.status for a in articles} >= {"published", "review", "draft"}
        role = Role.objects.get(association=gdjx, user=member)
        for_member = list(selectors.published_articles(gdjx, viewer_role=role))
        public = list(selectors.public_articles(gdjx))
        assert len(for_member) > len(public) > 10
        assert for_member[0].pinned
        assert ArticleRead.objects.filter(association=gdjx, user=member).exists()
    portal = list(selectors.portal_news(limit=100))
    assert {n.title for n in portal} == {a.title for a in public}
