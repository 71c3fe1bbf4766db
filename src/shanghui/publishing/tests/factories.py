"""Articles for tests, written and published through the services."""

from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.audience import AudienceChoice
from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import Article, ArticleImage
from shanghui.publishing.services import articles as article_services
from shanghui.publishing.services.images import image_keep, image_put
from shanghui.testing.pictures import photo_like


def admin_role(association: Association, user: User) -> Role:
    with tenant_context(association):
        return Role.objects.get(association=association, user=user)


def article_make(
    association: Association,
    admin: User,
    *,
    title: str = "商会召开年度理事会",
    body: str = "<p>会议审议通过了年度工作报告。</p>",
    audience: str = Article.Audience.MEMBERS,
    publish: bool = True,
    at: datetime | None = None,
    choices: list[AudienceChoice] | None = None,
    category_id: int | None = None,
) -> Article:
    """An article by ``admin`` (an administrator of ``association``), published unless not."""
    role = admin_role(association, admin)
    with tenant_context(association):
        article = article_services.article_create(
            association=association,
            actor=admin,
            role=role,
            data=article_services.ArticleInput(
                title=title,
                body=body,
                audience=audience,
                audience_choices=choices or [],
                category_id=category_id,
            ),
        )
        if publish:
            article = article_services.article_publish(
                association=association, actor=admin, role=role, article=article, at=at
            )
    return article


def cover_set(association: Association, admin: User, article: Article, image: object) -> None:
    """Makes ``image`` (an ``ArticleImage``) the article's cover through the editor's service."""
    role = admin_role(association, admin)
    with tenant_context(association):
        data = article_services.input_of(article)
        data.cover_id = image.pk  # type: ignore[attr-defined]
        article_services.article_update(
            association=association, actor=admin, role=role, article=article, data=data
        )


def picture_make(
    association: Association, actor: User | None = None, seed: int = 0, *, side: int = 120
) -> ArticleImage:
    """An article picture of ``association`` (a photo-like JPEG), stored as the services
    store one: its bytes in the content store, then the ``ArticleImage`` holding them."""
    picture = ContentFile(photo_like(seed, side=side), name="p.jpg")
    stored = image_put(association=association, actor=actor, picture=picture)
    with tenant_context(association), transaction.atomic():
        return image_keep(association=association, actor=actor, stored=stored)
