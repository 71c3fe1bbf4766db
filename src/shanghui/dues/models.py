"""Dues (会费): the fee schedule per level and year, the bills each member receives, and the
payments recorded against them.

Payments are a ledger: a wrong entry is corrected by a reversing entry (negative amount,
``reverses`` pointing at the original), never edited or deleted. A bill's ``paid_amount`` is
the sum of its ledger and is only ever changed by the services, on the locked row with a
compare-and-set, so two clerks recording the last instalment at once cannot overpay it.
CHECK constraints in the database are the last wall: 0 <= paid_amount <= amount, and a
payment is positive unless it reverses another."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shanghui.core.tenancy import TenantModel
from shanghui.members.models import Level, Member


class DuesPolicy(TenantModel):
    """How an association runs its dues: one row per association, created on first use."""

    arrears_after_days = models.PositiveSmallIntegerField(
        _("逾期多少天转为欠费"),
        default=30,
        help_text=_("账单过了应缴日期这么多天仍未缴清，会员状态自动转为“欠费”"),
    )
    due_month = models.PositiveSmallIntegerField(_("默认应缴月份"), default=3)
    due_day = models.PositiveSmallIntegerField(_("默认应缴日"), default=31)
    payee_note = models.CharField(
        _("收款说明"),
        max_length=300,
        blank=True,
        help_text=_("显示在会员的账单页，例如对公账户信息"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association"], name="one_dues_policy"),
        ]


class FeeSchedule(TenantModel):
    """The dues of one level for one year. Defaults to the level's ``annual_fee``; bills copy
    the amount when they are generated, so a later change does not alter issued bills."""

    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("会员级别")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(
        _("会费（元）"), validators=[MinValueValidator(0)], max_digits=12, decimal_places=2
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("会费标准")
        ordering = ["year", "level__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "level", "year"], name="fee_schedule_unique"
            ),
        ]


class DuesBill(TenantModel):  # type: ignore[django-manager-missing]
    """One member's dues for one year (会费账单). At most one per member and year, which makes
    generating the year's bills idempotent."""

    class Status(models.TextChoices):
        OPEN = "open", _("待缴")
        PAID = "paid", _("已缴清")
        WAIVED = "waived", _("已减免")
        CANCELLED = "cancelled", _("已作废")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="dues_bills", verbose_name=_("会员")
    )
    level = models.ForeignKey(
        Level,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("会员级别"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("应缴金额"), max_digits=12, decimal_places=2)
    paid_amount = models.DecimalField(_("已缴金额"), default=0, max_digits=12, decimal_places=2)
    due_on = models.DateField(_("应缴日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    status_reason = models.CharField(_("减免或作废原因"), max_length=300, blank=True)
    last_reminded_at = models.DateTimeField(_("上次催缴"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会费账单")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "member", "year"], name="dues_bill_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=F("amount")),
                name="dues_bill_paid_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "year", "status"], name="dues_bill_year"),
            models.Index(fields=["association", "status", "due_on"], name="dues_bill_due"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.member_id}"

    @property
    def outstanding(self) -> Decimal:
        """What is still owed (nothing once the bill is waived or cancelled)."""
        if self.status != self.Status.OPEN:
            return Decimal("0.00")
        return Decimal(self.amount) - Decimal(self.paid_amount)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class Payment(TenantModel):  # type: ignore[django-manager-missing]
    """One ledger entry against a bill: a payment (positive) or the reversal of one (negative
    amount, ``reverses`` set). Never edited, never deleted."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("银行转账")
        CASH = "cash", _("现金")
        ONLINE = "online", _("在线支付")

    bill = models.ForeignKey(DuesBill, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    method = models.CharField(_("缴费方式"), max_length=16, choices=Method.choices)
    paid_on = models.DateField(_("缴费日期"))
    reference = models.CharField(_("流水号/凭证号"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    receipt_no = models.CharField(_("收据编号"), max_length=30, blank=True)
    reverses = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
        verbose_name=_("冲正的缴费记录"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("缴费记录")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "receipt_no"],
                condition=~Q(receipt_no=""),
                name="payment_receipt_no_unique",
            ),
            # A payment is reversed at most once.
            models.UniqueConstraint(
                fields=["association", "reverses"],
                condition=Q(reverses__isnull=False),
                name="payment_reversed_once",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0)
                | Q(reverses__isnull=False, amount__lt=0),
                name="payment_sign_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "bill", "created_at"], name="payment_bill"),
            models.Index(fields=["association", "paid_on"], name="payment_paid_on"),
        ]

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None
