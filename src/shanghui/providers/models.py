"""Service providers (服务商) — the second kind of tenant.

A ``Provider`` is a platform row (it applies to the platform and an operator vets it). Its own
rows — its users, the leads members send it and its notes on them — are tenant rows of the
provider: ``ProviderTenantModel`` gives them a non-null ``provider`` key, a django-scopes
manager on the ``provider`` dimension (``core.tenancy.provider_context`` opens it) and, on
PostgreSQL, a policy on ``app.provider_id``. Offers are read by every association choosing
among them, so their policy lets anyone read a published offer and only the provider write.
What an association and its members keep of their use of offers (``OfferChoice``,
``OfferApplication``) are tenant rows of the association. docs/architecture.md has the why."""

from django.conf import settings
from django.db import models
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from shanghui.core.rls import RlsPolicy
from shanghui.core.tenancy import TenantModel

OWN_PROVIDER = "provider_id = {provider}"


class Category(models.TextChoices):
    """What a provider does; each names the licence it must show (``LICENCES``)."""

    BANK = "bank", _("银行")
    INSURANCE = "insurance", _("保险")
    MEDICAL = "medical", _("医疗健康")
    LEGAL = "legal", _("法律服务")
    TRAINING = "training", _("教育培训")
    CULTURE = "culture", _("文化")


LICENCES: dict[str, StrPromise] = {
    Category.BANK: _("金融许可证"),
    Category.INSURANCE: _("经营保险业务许可证"),
    Category.MEDICAL: _("医疗机构执业许可证"),
    Category.LEGAL: _("律师事务所执业许可证"),
    Category.TRAINING: _("办学许可证或营业执照"),
    Category.CULTURE: _("营业执照"),
}


class Provider(models.Model):
    """Platform table: an organization that applied to offer members services, and the
    operator's decision on it. Its slug opens its back office at ``/p/<provider_slug>/``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已认证")
        REJECTED = "rejected", _("未通过")
        SUSPENDED = "suspended", _("已暂停")

    name = models.CharField(_("机构名称"), max_length=100, unique=True)
    slug = models.SlugField(_("网址标识"), max_length=40, unique=True)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    licence_number = models.CharField(_("许可证编号"), max_length=60)
    # The licence's scan, stored in the platform's namespace (core.storage, ``platform/``).
    licence_file_key = models.CharField(max_length=200, blank=True)
    licence_file_name = models.CharField(max_length=200, blank=True)
    region_code = models.CharField(_("所在地区"), max_length=6)
    introduction = models.TextField(_("机构简介"), max_length=2000, blank=True)
    website = models.URLField(_("网站"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系人手机号"), max_length=11)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decision_reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("服务商")
        indexes = [models.Index(fields=["status", "category"], name="provider_status")]

    def __str__(self) -> str:
        return self.name


class ProviderTenantModel(models.Model):
    """Base of a provider's own rows: a non-null provider key, the provider-scoped manager,
    and on PostgreSQL the policy that admits the provider set by ``provider_context`` only."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(provider="provider")  # type: ignore[django-manager-missing]

    rls_policies: tuple[RlsPolicy, ...] = (RlsPolicy("provider_isolation", "ALL", OWN_PROVIDER),)

    class Meta:
        abstract = True


class ProviderUser(ProviderTenantModel):
    """A person who works in a provider's back office."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("管理员")
        STAFF = "staff", _("业务员")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("身份"), max_length=8, choices=Kind.choices, default=Kind.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    # The door finds a person's provider roles before any provider is open (as the roles
    # lookup at sign-in does for associations): a person reads their own rows everywhere.
    rls_policies = (
        RlsPolicy("provider_isolation", "ALL", OWN_PROVIDER),
        RlsPolicy("provider_user_self", "SELECT", "user_id = {person}"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "user"], name="one_provider_user")
        ]
        indexes = [models.Index(fields=["user"], name="provider_user_user")]


class Offer(models.Model):
    """A provider's offer to members (商会会员专属贷款, 体检套餐, 法律顾问…). Platform table
    with the provider's policy for writing; a published offer of an approved provider is read
    by every association choosing offers and by the members shown them."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已上架")
        WITHDRAWN = "withdrawn", _("已下架")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(_("标题"), max_length=60)
    summary = models.CharField(_("摘要"), max_length=200)
    body = models.TextField(_("详细介绍"), max_length=5000, blank=True)
    # Loans must state the annualized rate (年化利率, percent), as the regulator requires.
    annual_rate_min = models.DecimalField(
        _("年化利率下限（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    annual_rate_max = models.DecimalField(
        _("年化利率上限（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    region_codes = models.CharField(_("服务地区"), max_length=200, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    # A course of a training or culture provider that an association may run as an event.
    is_course = models.BooleanField(_("培训课程"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    rating_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    rls_policies = (
        RlsPolicy("offer_provider", "ALL", OWN_PROVIDER),
        RlsPolicy("offer_published", "SELECT", "status = 'published'"),
    )

    class Meta:
        verbose_name = _("服务产品")
        indexes = [models.Index(fields=["provider", "status"], name="offer_provider")]


class OfferChoice(TenantModel):
    """An association's administrator chose to show an offer to its members."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "offer"], name="one_offer_choice")
        ]


class ConsentField(models.TextChoices):
    """What a member may agree to share with a provider, one by one."""

    NAME = "name", _("姓名")
    PHONE = "phone", _("手机号")
    ENTERPRISE = "enterprise", _("企业名称")
    USCC = "uscc", _("统一社会信用代码")
    REGION = "region", _("所在地区")


class OfferApplication(TenantModel):
    """A member applied to an offer, consenting to share named fields with that named
    provider for a stated purpose. The consent record stays in the member's association; the
    provider receives a ``Lead`` with exactly those fields. Withdrawing the consent empties the
    lead's personal fields. The member may rate the service afterwards."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_fields = models.JSONField(_("同意提供的信息"), default=list)
    purpose = models.CharField(_("用途"), max_length=200)
    consented_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    lead_id = models.BigIntegerField(null=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=300, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    rls_person_field = "user"

    class Meta:
        indexes = [
            models.Index(fields=["association", "offer"], name="application_offer"),
            models.Index(fields=["association", "user"], name="application_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__range=(1, 5)),
                name="application_rating_1_to_5",
            ),
            # One application whose consent holds per person and offer (a withdrawn one
            # leaves room for a new one).
            models.UniqueConstraint(
                fields=["association", "offer", "user"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_open_application",
            ),
        ]


class Lead(ProviderTenantModel):  # type: ignore[django-manager-missing]
    """What a provider receives when a member applies: exactly the consented fields, the
    purpose and the time, and the association the member came from. The provider's users
    follow it up (status, notes); nobody else reads it."""

    class Status(models.TextChoices):
        NEW = "new", _("新线索")
        CONTACTED = "contacted", _("已联系")
        SERVED = "served", _("已服务")
        CLOSED = "closed", _("已关闭")

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="+"
    )
    application_id = models.BigIntegerField()
    # {field: value} for the consented fields only; emptied when consent is withdrawn.
    shared = models.JSONField(default=dict)
    purpose = models.CharField(max_length=200)
    consented_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["provider", "status", "-created_at"], name="lead_provider"),
        ]


class LeadNote(ProviderTenantModel):
    """A provider user's note on a lead (跟进记录)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("跟进记录"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
