"""The article workflow: who may write, submit, publish (now or later), unpublish, pin and
delete; what readers see at each step; revisions and restoring one; the audit log; the
portal's copy."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shanghui.accounts.models import Role
from shanghui.core.audience import AudienceChoice
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.publishing import selectors
from shanghui.publishing.models import Article, ArticleRevision, PortalNewsItem
from shanghui.publishing.services import articles as article_services
from shanghui.publishing.services import categories as category_services
from shanghui.publishing.tests.factories import admin_role, article_make
from shanghui.testing.factories import RoleFactory, UserFactory
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

XSS = (
    "<p>欢迎<script>alert(1)</script>各位会员</p><img src=x onerror=alert(1)>"
    '<a href="javascript:alert(1)">链接</a><p onclick="alert(1)">正文</p>'
)


def _staff(side: Side, *, grants: list[str] | None = None) -> Role:
    with tenant_context(side.association):
        return RoleFactory(association=side.association, user=UserFactory(name="宣传干事"),
                           kind=Role.Kind.STAFF, grants=grants or [])  # fmt: skip


def _member_role(side: Side) -> Role:
    with tenant_context(side.association):
        return Role.objects.get(association=side.association, user=side.member_user)


def _visible(side: Side, role: Role | None) -> list[str]:
    with tenant_context(side.association):
        return [a.title for a in selectors.published_articles(side.association, viewer_role=role)]


def test_body_is_sanitized_whatever_the_client_sends(side_a: Side) -> None:
    article = article_make(side_a.association, side_a.admin, body=XSS)
    assert "script" not in article.body and "onerror" not in article.body
    assert "javascript" not in article.body and "onclick" not in article.body
    assert "欢迎" in article.body and "各位会员" in article.body and "正文" in article.body


def test_staff_writes_and_submits_an_administrator_publishes(side_a: Side) -> None:
    a = side_a.association
    staff = _staff(side_a)
    with tenant_context(a):
        draft = article_services.article_create(
            association=a, actor=staff.user, role=staff,
            data=article_services.ArticleInput(title="会员企业走访纪实", body="<p>走访</p>"),
        )  # fmt: skip
        with pytest.raises(PermissionDenied):
            article_services.article_publish(association=a, actor=staff.user, role=staff,
                                             article=draft)  # fmt: skip
        article_services.article_submit(association=a, actor=staff.user, role=staff, article=draft)
        draft.refresh_from_db()
        assert draft.status == Article.Status.REVIEW
    assert "会员企业走访纪实" not in _visible(side_a, _member_role(side_a))
    admin = admin_role(a, side_a.admin)
    with tenant_context(a):
        article_services.article_publish(association=a, actor=side_a.admin, role=admin,
                                         article=draft)  # fmt: skip
        actions = list(
            AuditEntry.objects.filter(association=a, target_id=str(draft.pk))
            .order_by("id").values_list("action", flat=True)
        )  # fmt: skip
    assert actions == [
        "publishing.article.create",
        "publishing.article.submit",
        "publishing.article.publish",
    ]
    assert "会员企业走访纪实" in _visible(side_a, _member_role(side_a))
    assert "会员企业走访纪实" not in _visible(side_a, None)  # members only


def test_staff_granted_publishing_may_publish_but_not_without_it_edit_published(
    side_a: Side,
) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, title="已发布资讯")
    plain = _staff(side_a)
    with tenant_context(a), pytest.raises(PermissionDenied):
        article_services.article_update(
            association=a, actor=plain.user, role=plain, article=article,
            data=article_services.ArticleInput(title="偷偷改标题"),
        )  # fmt: skip
    publisher = _staff(side_a, grants=["content.publish"])
    with tenant_context(a):
        article_services.article_unpublish(association=a, actor=publisher.user, role=publisher,
                                           article=article)  # fmt: skip
    assert _visible(side_a, _member_role(side_a)) == []
    member = _member_role(side_a)
    with tenant_context(a), pytest.raises(PermissionDenied):
        article_services.article_create(
            association=a, actor=side_a.member_user, role=member,
            data=article_services.ArticleInput(title="会员投稿"),
        )  # fmt: skip


def test_scheduled_article_appears_at_its_time(side_a: Side) -> None:
    a = side_a.association
    later = timezone.now() + timedelta(days=2)
    article = article_make(a, side_a.admin, title="定时发布", at=later,
                           audience=Article.Audience.PUBLIC)  # fmt: skip
    assert article.status == Article.Status.PUBLISHED and article.published_at == later
    assert _visible(side_a, _member_role(side_a)) == []
    with tenant_context(a):
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(1))
    assert _visible(side_a, None) == ["定时发布"]


def test_audience_rules_choose_the_readers(side_a: Side) -> None:
    a = side_a.association
    article_make(a, side_a.admin, title="理事内参", audience=Article.Audience.RULES,
                 choices=[AudienceChoice("person", [side_a.person.pk])])  # fmt: skip
    assert _visible(side_a, _member_role(side_a)) == ["理事内参"]
    with tenant_context(a):
        other = RoleFactory(association=a, user=UserFactory(), kind=Role.Kind.MEMBER)
    assert _visible(side_a, other) == []
    with tenant_context(a), pytest.raises(ValidationError):
        article_services.article_create(
            association=a, actor=side_a.admin, role=admin_role(a, side_a.admin),
            data=article_services.ArticleInput(title="空范围", audience="rules"),
        )  # fmt: skip


def test_pinned_first_then_newest(side_a: Side) -> None:
    a = side_a.association
    first = article_make(a, side_a.admin, title="较早")
    article_make(a, side_a.admin, title="较新")
    with tenant_context(a):
        article_services.article_pin(
            association=a, actor=side_a.admin, role=admin_role(a, side_a.admin),
            article=first, pinned=True,
        )  # fmt: skip
    assert _visible(side_a, _member_role(side_a)) == ["较早", "较新"]


def test_every_save_is_a_revision_and_one_can_be_restored(side_a: Side) -> None:
    a = side_a.association
    admin = admin_role(a, side_a.admin)
    article = article_make(a, side_a.admin, title="初稿标题", body="<p>初稿</p>", publish=False)
    with tenant_context(a):
        article_services.article_update(
            association=a, actor=side_a.admin, role=admin, article=article,
            data=article_services.ArticleInput(title="修改后标题", body="<p>改稿</p>"),
        )  # fmt: skip
        revisions = list(selectors.revisions(association=a, article=article))
        assert [r.title for r in revisions] == ["修改后标题", "初稿标题"]
        restored = article_services.article_restore(
            association=a, actor=side_a.admin, role=admin, article=article, revision=revisions[1]
        )
        assert restored.title == "初稿标题" and restored.body == "<p>初稿</p>"
        assert ArticleRevision.objects.filter(association=a, article=article).count() == 3


def test_portal_copy_follows_publishing_and_the_opt_in(side_a: Side) -> None:
    a = side_a.association
    admin = admin_role(a, side_a.admin)
    public = article_make(a, side_a.admin, title="公开新闻", audience=Article.Audience.PUBLIC)
    article_make(a, side_a.admin, title="会员新闻")
    assert not PortalNewsItem.objects.exists()  # not opted in
    with tenant_context(a):
        category_services.portal_sharing_set(association=a, actor=side_a.admin, role=admin,
                                             share=True)  # fmt: skip
    assert [n.title for n in selectors.portal_news()] == ["公开新闻"]
    with tenant_context(a):
        article_services.article_unpublish(association=a, actor=side_a.admin, role=admin,
                                           article=public)  # fmt: skip
    assert list(selectors.portal_news()) == []
    later = article_make(a, side_a.admin, title="明日新闻", audience=Article.Audience.PUBLIC,
                         at=timezone.now() + timedelta(days=1))  # fmt: skip
    assert PortalNewsItem.objects.filter(article_id=later.pk).exists()
    assert list(selectors.portal_news()) == []  # scheduled: not yet due
    with tenant_context(a):
        article_services.article_delete(association=a, actor=side_a.admin, role=admin,
                                        article=later)  # fmt: skip
    assert not PortalNewsItem.objects.exists()


def test_categories_are_seeded_and_configurable(side_a: Side) -> None:
    a = side_a.association
    admin = admin_role(a, side_a.admin)
    with tenant_context(a):
        names = [c.name for c in selectors.categories_ensure(a)]
        assert names == ["商会动态", "会员风采", "政策解读", "公益活动"]
        extra = category_services.category_create(association=a, actor=side_a.admin,
                                                  role=admin, name="招商引资")  # fmt: skip
        with pytest.raises(ValidationError):
            category_services.category_create(association=a, actor=side_a.admin, role=admin,
                                              name="招商引资")  # fmt: skip
        category_services.category_delete(association=a, actor=side_a.admin, role=admin,
                                          category=extra)  # fmt: skip
        assert "招商引资" not in [c.name for c in selectors.categories(a)]


def test_a_change_by_a_non_publisher_sends_an_article_in_review_back_to_draft(
    side_a: Side,
) -> None:
    a = side_a.association
    staff = _staff(side_a)
    admin = admin_role(a, side_a.admin)
    with tenant_context(a):
        article = article_services.article_create(
            association=a, actor=staff.user, role=staff,
            data=article_services.ArticleInput(title="审核前的标题", body="<p>审核过的</p>"),
        )  # fmt: skip
        first = ArticleRevision.objects.get(association=a, article=article)
        article_services.article_submit(association=a, actor=staff.user, role=staff,
                                        article=article)  # fmt: skip
        # The publisher previews it; then the editor changes it.
        changed = article_services.article_update(
            association=a, actor=staff.user, role=staff, article=article,
            data=article_services.ArticleInput(title="审核后偷改", body="<p>未审核</p>"),
        )  # fmt: skip
        assert changed.status == Article.Status.DRAFT
        entry = AuditEntry.objects.filter(association=a, action="publishing.article.update").get()
        assert entry.data.get("back_to_draft") is True
        # A restore is a change too.
        article_services.article_submit(association=a, actor=staff.user, role=staff,
                                        article=article)  # fmt: skip
        restored = article_services.article_restore(association=a, actor=staff.user, role=staff,
                                                     article=article, revision=first)  # fmt: skip
        assert restored.status == Article.Status.DRAFT
        # A publisher's own edit in review keeps it in review.
        article_services.article_submit(association=a, actor=staff.user, role=staff,
                                        article=article)  # fmt: skip
        kept = article_services.article_update(
            association=a, actor=side_a.admin, role=admin, article=article,
            data=article_services.ArticleInput(title="审核人修改", body="<p>改好</p>"),
        )  # fmt: skip
        assert kept.status == Article.Status.REVIEW


def test_portal_sharing_copies_every_article_in_a_fixed_number_of_statements(
    side_a: Side,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = side_a.association
    admin = admin_role(a, side_a.admin)

    def toggle(share: bool) -> int:
        with tenant_context(a), CaptureQueriesContext(connection) as queries:
            category_services.portal_sharing_set(
                association=a, actor=side_a.admin, role=admin, share=share
            )
        return len(queries)

    for n in range(2):
        article_make(a, side_a.admin, title=f"公开新闻{n}", audience=Article.Audience.PUBLIC)
    toggle(False)  # the settings row exists from here on
    few_on, few_off = toggle(True), toggle(False)
    for n in range(2, 12):
        article_make(a, side_a.admin, title=f"公开新闻{n}", audience=Article.Audience.PUBLIC)
    article_make(a, side_a.admin, title="会员新闻")
    assert toggle(True) == few_on
    assert sorted(n.title for n in selectors.portal_news()) == sorted(
        f"公开新闻{n}" for n in range(12)
    )
    assert toggle(False) == few_off
    assert not PortalNewsItem.objects.exists()
