"""Request and response schemas of the publishing API (names unique across the whole API)."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from shanghui.core.audience import AudienceIn
from shanghui.core.models import AudienceRule
from shanghui.publishing.counters import views_of
from shanghui.publishing.models import ARTICLE_TYPE, Article, ArticleRead, ArticleRevision
from shanghui.publishing.pictures import image_url

Id = StrictInt


class ArticleIn(Schema):
    title: str = Field(..., description="标题")
    summary: str = ""
    body: str = Field(
        "", description="正文（HTML，服务器端净化：脚本、事件属性与外部图片会被去掉）"
    )
    category_id: StrictInt | None = Field(None, ge=1, le=2**63 - 1)
    cover_id: StrictInt | None = Field(None, ge=1, le=2**63 - 1, description="封面：资讯图片 id")
    tags: list[str] = Field(default_factory=list, max_length=20)
    author_name: str = ""
    audience: str = Field("members", description="public, members 或 rules")
    rules: AudienceIn | None = Field(None, description="audience 为 rules 时的阅读范围")
    source_url: str = ""


class ArticleListItemOut(Schema):
    id: int
    title: str
    summary: str
    category_id: int | None
    category_name: str
    cover_url: str = Field(..., description="封面图片地址（手机屏幕宽度）；无封面为空")
    tags: list[str]
    author_name: str
    audience: str
    published_at: datetime | None
    pinned: bool

    @staticmethod
    def resolve_category_name(obj: Article) -> str:
        return obj.category.name if obj.category_id and obj.category else ""

    @staticmethod
    def resolve_cover_url(obj: Article, context: dict[str, Any]) -> str:
        if not obj.cover_id or obj.cover is None:
            return ""
        return image_url(context["request"].association, obj.cover, size="screen")


class ArticleEditorItemOut(ArticleListItemOut):
    status: str
    status_label: str
    view_count: int
    updated_at: datetime

    @staticmethod
    def resolve_status_label(obj: Article) -> str:
        return obj.get_status_display()


class ArticleOut(ArticleListItemOut):
    body: str
    view_count: int = Field(..., description="阅读数（含尚未写入数据库的缓冲计数）")
    source_url: str

    @staticmethod
    def resolve_view_count(obj: Article) -> int:
        return views_of(obj)


class ArticleRuleOut(Schema):
    kind: str
    target_id: int | None


class ArticleEditorOut(ArticleOut):
    status: str
    status_label: str
    rules: list[ArticleRuleOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_status_label(obj: Article) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_rules(obj: Article) -> list[AudienceRule]:
        return list(
            AudienceRule.objects.filter(
                association=obj.association_id, owner_type=ARTICLE_TYPE, owner_id=obj.pk
            ).order_by("id")
        )


class ArticleStatusQuery(Schema):
    status: str = Field("", description="draft, review, published, unpublished；不填为全部")


class ArticleCategoryQuery(Schema):
    category_id: StrictInt | None = Field(None, ge=1, le=2**63 - 1)


class ArticlePublishIn(Schema):
    at: datetime | None = Field(None, description="定时发布时间；不填则立即发布")


class ArticleReturnIn(Schema):
    reason: str = Field("", max_length=200)


class ArticlePinIn(Schema):
    pinned: StrictBool = True


class ArticleRevisionOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    saved_by_name: str
    created_at: datetime

    @staticmethod
    def resolve_saved_by_name(obj: ArticleRevision) -> str:
        return obj.saved_by.name if obj.saved_by else ""


class ArticleReaderOut(Schema):
    user_id: int
    name: str
    read_at: datetime

    @staticmethod
    def resolve_name(obj: ArticleRead) -> str:
        return obj.user.name


class ArticleImageOut(Schema):
    id: int
    url: str = Field(..., description="正文中使用的地址")
    thumb_url: str


class ArticleImportIn(Schema):
    url: str = Field("", description="公众号文章链接（https://mp.weixin.qq.com/…）")
    html: str = Field("", description="或文章网页源代码")


class CategoryIn(Schema):
    name: str
    sort_order: StrictInt = Field(0, ge=0, le=999)


class CategoryOut(Schema):
    id: int
    name: str
    sort_order: int


STATUSES = Article.Status.values
