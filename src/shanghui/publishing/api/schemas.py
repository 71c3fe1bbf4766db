"""Request and response schemas of the publishing API (names unique across the whole API)."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from shanghui.publishing.models import Article

Id = StrictInt


class ArticleAudienceIn(Schema):
    level_ids: list[StrictInt] = Field(default_factory=list)
    committee_ids: list[StrictInt] = Field(default_factory=list)
    post_ids: list[StrictInt] = Field(default_factory=list)
    person_ids: list[StrictInt] = Field(default_factory=list)
    council: StrictBool = False


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
    rules: ArticleAudienceIn | None = Field(None, description="audience 为 rules 时的阅读范围")
    source_url: str = ""


class ArticleListItemOut(Schema):
    id: int
    title: str
    summary: str
    category_id: int | None
    category_name: str
    cover_url: str
    tags: list[str]
    author_name: str
    audience: str
    published_at: datetime | None
    pinned: bool


class ArticleOut(ArticleListItemOut):
    body: str
    view_count: int
    source_url: str


class ArticleEditorOut(ArticleOut):
    status: str
    status_label: str
    rules: list[dict[str, Any]]
    created_at: datetime
    updated_at: datetime


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


class ArticleReaderOut(Schema):
    user_id: int
    name: str
    read_at: datetime


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


class PortalSharingIn(Schema):
    share_news_to_portal: StrictBool


class PortalSharingOut(Schema):
    share_news_to_portal: bool


STATUSES = Article.Status.values
