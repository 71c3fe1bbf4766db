from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shanghui.core.storage.fields import StoredFileField


class Association(models.Model):
    """The tenant: one chamber of commerce or trade association. Platform-wide table (in a
    Citus cluster it is distributed by its own id, co-located with every tenant table)."""

    class Kind(models.TextChoices):
        HOMETOWN_CHAMBER = "hometown", _("异地商会")
        INDUSTRY = "industry", _("行业协会")
        REGIONAL_CHAMBER = "regional", _("区域商会")
        FEDERATION = "federation", _("联合会")
        OTHER = "other", _("其他社会组织")

    class Status(models.TextChoices):
        APPLYING = "applying", _("申请中")
        ACTIVE = "active", _("正常")
        SUSPENDED = "suspended", _("暂停")
        REJECTED = "rejected", _("未通过")

    name = models.CharField(_("全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30)
    slug = models.SlugField(_("网址标识"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    region_code = models.CharField(_("所在地区"), max_length=6)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    # Its files are StoredFiles of its own (tenant rows): read and written in its
    # tenant_context, although this table is platform-wide.
    logo = StoredFileField(_("标志"))
    introduction = models.TextField(_("简介"), blank=True)
    # The public site (官网) under /a/<slug>/, set on its one settings page (EDIT_SETTINGS).
    banner = StoredFileField(_("横幅图片"))
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    contact_address = models.CharField(_("联系地址"), max_length=200, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=40, blank=True)
    # Whether the public home shows the member enterprises that opted in (Member.showcase).
    showcase_enabled = models.BooleanField(_("官网展示会员风采"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.APPLYING
    )
    # Bytes its stored files may take, versions and trash included (core.storage); empty:
    # the platform's default (STORAGE_QUOTA_DEFAULT). Set by the platform operator.
    storage_quota = models.PositiveBigIntegerField(_("存储容量（字节）"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("商协会")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class OnboardingApplication(models.Model):
    """An association's application to join the platform (入驻申请). Platform-wide table: the
    association is not a tenant until a platform operator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("已驳回")

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="applications"
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系人手机号"), max_length=11)
    contact_email = models.EmailField(_("联系人邮箱"), blank=True)
    # A StoredFile of the applying association (its row exists, not yet active): stored under
    # its namespace, read by the operator in its tenant_context.
    certificate = StoredFileField(_("社会团体法人登记证书"))
    note = models.TextField(_("补充说明"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one application under review per association.
            models.UniqueConstraint(
                fields=["association"],
                condition=models.Q(status="pending"),
                name="one_pending_application",
            )
        ]
