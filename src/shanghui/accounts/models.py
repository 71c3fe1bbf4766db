from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shanghui.core.tenancy import TenantModel


class UserManager(BaseUserManager["User"]):
    def create_user(self, phone: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(phone=phone, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_platform_operator", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(phone, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Platform-wide: one person, signing in with a mainland mobile number; may belong to any
    number of associations with a role in each (``Role``)."""

    phone = models.CharField(_("手机号"), max_length=11, unique=True, null=True)
    name = models.CharField(_("姓名"), max_length=50)
    email = models.EmailField(_("邮箱"), blank=True)
    language = models.CharField(_("语言"), max_length=10, blank=True)
    # Set when the person binds their account inside WeChat (/me/wechat/); WeChat messages go
    # to this openid of the platform's official account.
    wechat_openid = models.CharField(_("微信 OpenID"), max_length=64, blank=True)
    is_platform_operator = models.BooleanField(_("平台运营"), default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["wechat_openid"],
                condition=~models.Q(wechat_openid=""),
                name="user_wechat_openid_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.phone)

    @property
    def is_staff(self) -> bool:
        return False


class Role(TenantModel):
    """A person's role in one association. A person has at most one role per association;
    the administrator role includes everything staff and members may do."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("管理员（秘书处）")
        STAFF = "staff", _("工作人员")
        MEMBER = "member", _("会员")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("角色"), max_length=16, choices=Kind.choices)
    # Permissions granted beyond the kind's (``accounts.permissions.GRANTABLE``), e.g.
    # "content.publish" for a staff member who publishes news.
    grants = models.JSONField(_("额外权限"), default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    rls_person_field = "user"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "user"], name="one_role_per_person")
        ]
        indexes = [models.Index(fields=["user"], name="role_user")]


class Invitation(TenantModel):
    """A one-time link with which a person accepts a role in an association (and, when new to
    the platform, activates their account); the role starts on acceptance. Only the token's
    hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The name the inviter typed: the association sees this, never the account's own name,
    # until the person accepts.
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    role_kind = models.CharField(max_length=16, choices=Role.Kind.choices)
    token_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    rls_person_field = "user"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "token_hash"], name="invitation_token")
        ]
        indexes = [models.Index(fields=["association", "user"], name="invitation_user")]


class ApiToken(models.Model):
    """Platform-wide: a bearer token for the mobile app and mini-program. Only the SHA-256 of
    the token is stored; the prefix lets a person recognise it in a list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class OneTimeCode(models.Model):
    """Platform-wide: a six-digit code sent by SMS (password reset, sign-in by code). Hashed,
    short-lived, limited attempts (``accounts.services.codes``)."""

    class Purpose(models.TextChoices):
        PASSWORD_RESET = "password_reset", _("重置密码")
        SIGN_IN = "sign_in", _("验证码登录")

    phone = models.CharField(max_length=11)
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"], name="otc_lookup")]


class PrivacyNotice(models.Model):
    """Platform-wide: a published version of the privacy notice (个人信息保护告知). The newest
    published one is in force; people consent to a specific version."""

    version = models.CharField(_("版本"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Consent(models.Model):
    """Platform-wide: that a person accepted a version of the privacy notice, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="one_consent_per_version")
        ]
