"""宣传信息发布: the association's news (资讯) — categories, articles with their revisions,
pictures and readers — and the platform table of news shared to the portal.

An article's text is stored as ``core.richtext.sanitize_html`` produced it, whatever the
client sent. Its ``published_at`` may lie in the future (scheduled): every read filters on it,
so nothing needs to run at that moment. View counts are buffered in a counter store and added to
``view_count`` by ``publishing.counters.flush`` — a page view writes nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shanghui.core.tenancy import TenantModel

# How core's tables without keys into this app (audience rules, the audit log) name an article.
ARTICLE_TYPE = "publishing.article"

DEFAULT_CATEGORIES = ("商会动态", "会员风采", "政策解读", "公益活动")


class Category(TenantModel):  # type: ignore[django-manager-missing]
    """A news category of one association (商会动态, 会员风采 …), configurable."""

    name = models.CharField(_("栏目名称"), max_length=20)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("资讯栏目")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="category_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SiteSettings(TenantModel):
    """The association's public-site settings, one row per association (made when first
    read). ``share_news_to_portal``: public articles also appear on the platform portal."""

    share_news_to_portal = models.BooleanField(_("资讯同步到平台门户"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("网站设置")
        constraints = [
            models.UniqueConstraint(
                fields=["association"], name="site_settings_one_per_association"
            )
        ]


class ArticleImage(TenantModel):
    """A picture uploaded for articles (in the body, or as a cover): re-encoded, at most
    ``ARTICLE_IMAGE_MAX_SIDE`` a side, stored under its own prefix and served publicly by
    ``publishing:image`` — never a picture of a person from the member records."""

    file = models.FileField(upload_to="publishing/images/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("资讯图片")


class Article(TenantModel):  # type: ignore[django-manager-missing]
    """One article (资讯)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审核")
        PUBLISHED = "published", _("已发布")
        UNPUBLISHED = "unpublished", _("已撤回")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("公开（任何人）")
        MEMBERS = "members", _("全体会员")
        RULES = "rules", _("指定范围")

    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"), blank=True)  # sanitised HTML
    cover = models.ForeignKey(
        ArticleImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("封面图片"),
    )
    tags = models.JSONField(_("标签"), default=list, blank=True)
    author_name = models.CharField(_("作者"), max_length=50, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("栏目"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    audience = models.CharField(
        _("阅读范围"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    pinned = models.BooleanField(_("置顶"), default=False)
    view_count = models.PositiveIntegerField(_("阅读数"), default=0)
    source_url = models.URLField(_("原文链接"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("资讯")
        ordering = ["-pinned", "-published_at", "-id"]
        indexes = [
            models.Index(
                fields=["association", "status", "-published_at"], name="article_published"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(TenantModel):
    """What an article said after one save: restoring it saves it again as a new revision."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["association", "article"], name="revision_article")]


class ArticleRead(TenantModel):
    """That a signed-in person opened an article not meant for everyone — once, at the
    first read (not per view), so the editor sees who read it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    rls_person_field = "user"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "article", "user"], name="article_read_once"
            )
        ]
        indexes = [models.Index(fields=["user"], name="article_read_user")]


class PortalNewsItem(models.Model):
    """Platform-wide: a public article of an association that shares its news to the
    platform portal — written by the publish service, removed on unpublish. No personal data:
    the portal reads this table, never another tenant's articles."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    article_id = models.BigIntegerField()
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300, blank=True)
    cover_url = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "article_id"], name="portal_news_one_per_article"
            )
        ]
        indexes = [models.Index(fields=["-published_at"], name="portal_news_recent")]
