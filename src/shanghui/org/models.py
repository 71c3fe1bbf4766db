from django.db import models
from django.utils.translation import gettext_lazy as _

from shanghui.core.tenancy import TenantModel


class Committee(TenantModel):
    """A specialised committee (专业委员会) of an association."""

    name = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("简介"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("专业委员会")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="committee_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(TenantModel):
    """A group-member unit (团体会员): another association — linked when it is on the
    platform — or an outside organisation."""

    name = models.CharField(_("名称"), max_length=100)
    linked_association = models.ForeignKey(
        "associations.Association",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("平台上的商协会"),
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region_code = models.CharField(_("所在地区"), max_length=6, blank=True)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("团体会员")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="group_member_unique")
        ]

    def __str__(self) -> str:
        return self.name
