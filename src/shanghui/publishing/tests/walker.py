"""Teaches the isolation walker this module's objects of association B: a members-only
article (with a revision, a reader and a category), an article picture — named so that only
B's pages could show them."""

from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import ArticleRead, ArticleRevision
from shanghui.publishing.selectors import categories_ensure
from shanghui.publishing.services import articles as article_services
from shanghui.publishing.tests import announcement_walker
from shanghui.publishing.tests.factories import admin_role, article_make, picture_make
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    b = side_b.association
    with tenant_context(b):
        category = categories_ensure(b)[0]
        category.name = "乙市内部栏目"
        category.save(update_fields=["name"])
    article = article_make(
        b, side_b.admin, title="乙市会员内参", body="<p>乙市内参正文</p>", category_id=category.pk
    )
    with tenant_context(b):
        image = picture_make(b, side_b.admin, side=64)
        ArticleRead.objects.create(association=b, article=article, user=side_b.member_user)
        revision = ArticleRevision.objects.filter(association=b, article=article).first()
        assert revision is not None
        article_services.article_pin(
            association=b, actor=side_b.admin, role=admin_role(b, side_b.admin),
            article=article, pinned=True,
        )  # fmt: skip
    notices, notice_markers = announcement_walker.foreign_objects(side_b)
    return (
        {
            "article_id": str(article.pk),
            "image_id": str(image.pk),
            "revision_id": str(revision.pk),
            "category_id": str(category.pk),
            **notices,
        },
        ["乙市会员内参", "乙市内参正文", "乙市内部栏目", *notice_markers],
    )
