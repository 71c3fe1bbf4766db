"""宣传信息发布: articles and news (资讯), announcements to members (通知公告) with read
receipts and 回执."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shanghui.core.tenancy import TenantModel

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
    """A file sent with an announcement (PDF, Word, Excel or a picture)."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="publishing/announcements/%Y/%m/")
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
