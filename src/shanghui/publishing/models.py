"""宣传信息发布: the association's news (资讯) — categories, articles with their revisions,
pictures and readers — and the platform table of news shared to the portal.

An article's text is stored as ``core.richtext.sanitize_html`` produced it, whatever the
client sent. Its ``published_at`` may lie in the future (scheduled): every read filters on it,
so nothing needs to run at that moment. View counts are buffered in a counter store and added to
``view_count`` by ``publishing.counters.flush`` — a page view writes nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shanghui.core.storage.fields import StoredFileField
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


class ArticleImage(TenantModel):  # type: ignore[django-manager-missing]
    """A picture uploaded for articles (in the body, or as a cover): re-encoded, at most
    ``ARTICLE_IMAGE_MAX_SIDE`` a side, held in the content store (``StoredFileField``) and
    served by ``publishing:image`` — never a picture of a person from the member records."""

    file = StoredFileField(_("图片"))
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


class ArticlePicture(TenantModel):
    """That an article uses a picture — its cover, or in its body — recorded by the article
    services at every save, so that whether a picture may be served is an indexed lookup
    (``selectors.access_image``) rather than a search through the bodies."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pictures")
    image = models.ForeignKey(ArticleImage, on_delete=models.CASCADE, related_name="uses")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "article", "image"], name="article_picture_once"
            )
        ]
        indexes = [models.Index(fields=["association", "image"], name="article_picture_image")]


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


# ---------------------------------------------------------------------------------------------
# Announcements (通知公告): sent to all members or to core audience rules, read receipts per
# person reached, an optional 回执 (a small form with a deadline).
# ---------------------------------------------------------------------------------------------

# How core's tables without keys into this app (audience rules, the inbox, the delivery log)
# name an announcement.
ANNOUNCEMENT_TYPE = "publishing.announcement"


class Announcement(TenantModel):  # type: ignore[django-manager-missing]
    """One notice to members. A draft is edited freely; sending fixes who it reached
    (``AnnouncementRecipient``) and it is never edited again. ``reply_fields`` is the 回执's
    form: a list of ``{"key", "label", "type" (text/choice/number/yesno), "required",
    "choices"}`` checked by ``services.announcements.reply_fields_clean``; empty, no 回执."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SENT = "sent", _("已发送")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("全体会员")
        RULES = "rules", _("指定范围")

    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), blank=True)  # sanitised HTML (core.richtext)
    audience = models.CharField(
        _("发送范围"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    reply_fields = models.JSONField(_("回执表单"), default=list, blank=True)
    reply_deadline = models.DateTimeField(_("回执截止时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The broadcast job that delivers it, and the last reminder's.
    send_job_id = models.UUIDField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("最近提醒"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("通知公告")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["association", "status", "-sent_at"], name="pub_ann_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def wants_reply(self) -> bool:
        return bool(self.reply_fields)


class AnnouncementAttachment(TenantModel):
    """A file sent with an announcement (PDF, Word, Excel or a picture), held in the content
    store; ``name`` and ``size`` repeat the stored file's for the lists (no join)."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("文件名"), max_length=200)
    file = StoredFileField(_("附件"))
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通知附件")
        ordering = ["created_at", "id"]


class AnnouncementRecipient(TenantModel):
    """One person an announcement reached, fixed when it was sent: a representative of a
    member of its audience (``member``: the enterprise they represent, the first one when they
    represent several) or a person its rules name; ``user`` when they have an account. Their
    read receipt (first read, and how: in the app or through the SMS link) and their 回执
    (``answers``, editable until the deadline) are kept here. Personal data: in the person's
    export and deleted with their account."""

    class Via(models.TextChoices):
        INBOX = "inbox", _("站内")
        LINK = "link", _("短信链接")

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="recipients"
    )
    person = models.ForeignKey(
        "members.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    read_via = models.CharField(_("阅读方式"), max_length=8, choices=Via.choices, blank=True)
    answers = models.JSONField(_("回执内容"), default=dict, blank=True)
    replied_at = models.DateTimeField(_("回执时间"), null=True, blank=True)

    # A person reads their own across associations (their personal-data export).
    rls_person_field = "user"

    class Meta:
        verbose_name = _("通知接收人")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "announcement", "person"], name="pub_ann_recipient_once"
            )
        ]
        indexes = [
            models.Index(fields=["association", "announcement", "read_at"], name="pub_ann_read"),
            models.Index(fields=["association", "user"], name="pub_ann_recipient_user"),
        ]
