from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shanghui.core.softdelete import ALIVE, SoftDeleteModel
from shanghui.core.tenancy import TenantModel


class Committee(SoftDeleteModel):  # type: ignore[django-manager-missing]
    """A specialised committee (专业委员会) of an association."""

    name = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("简介"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("专业委员会")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], condition=ALIVE, name="committee_name_unique"
            )
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
            models.UniqueConstraint(fields=["association", "name"], name="group_member_unique"),
            models.UniqueConstraint(
                fields=["association", "linked_association"],
                condition=models.Q(linked_association__isnull=False),
                name="group_member_link_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Term(SoftDeleteModel):  # type: ignore[django-manager-missing]
    """A term of office (届), e.g. 第五届理事会. At most one term of an association is current;
    a change of term (换届) closes it and opens the next."""

    name = models.CharField(_("名称"), max_length=60)
    number = models.PositiveSmallIntegerField(_("届次"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_current = models.BooleanField(_("当届"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("届次")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "number"], condition=ALIVE, name="term_number_unique"
            ),
            models.UniqueConstraint(
                fields=["association"],
                condition=models.Q(is_current=True) & ALIVE,
                name="term_one_current",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Post(SoftDeleteModel):  # type: ignore[django-manager-missing]
    """A post (职务) an association appoints people to, in its own order. ``is_council`` marks
    the posts whose holders sit on the council (理事会); ``is_secretariat`` the secretariat's
    staff posts (秘书长, 副秘书长 …)."""

    name = models.CharField(_("名称"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_council = models.BooleanField(_("理事会成员"), default=False)
    is_secretariat = models.BooleanField(_("秘书处职务"), default=False)

    class Meta:
        verbose_name = _("职务")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], condition=ALIVE, name="post_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Appointment(SoftDeleteModel):
    """A person appointed to a post in a term, optionally on behalf of a member enterprise
    (会员代表). ``ends_on`` set means the appointment has ended (卸任 or 换届)."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="appointments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="appointments"
    )
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    starts_on = models.DateField(_("任职日期"))
    ends_on = models.DateField(_("卸任日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("任职")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "term", "post", "person"],
                condition=ALIVE,
                name="appointment_unique",
            )
        ]
        indexes = [
            models.Index(fields=["association", "person"], name="appointment_person"),
            models.Index(fields=["association", "post"], name="appointment_post"),
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.person}"


class CommitteeMembership(SoftDeleteModel):
    """A person on a specialised committee: its chair (主任), a vice-chair or a member."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("主任")
        VICE_CHAIR = "vice_chair", _("副主任")
        MEMBER = "member", _("委员")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="committee_memberships"
    )
    role = models.CharField(_("职务"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("委员会成员")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "committee", "person"],
                condition=ALIVE,
                name="committee_membership_unique",
            ),
            models.UniqueConstraint(
                fields=["association", "committee"],
                condition=models.Q(role="chair") & ALIVE,
                name="committee_one_chair",
            ),
        ]
        indexes = [models.Index(fields=["association", "person"], name="committee_member_person")]

    def __str__(self) -> str:
        return f"{self.committee} {self.person}"


class Branch(SoftDeleteModel):
    """A branch (分会) of an association, usually for a region, with an optional leader."""

    name = models.CharField(_("名称"), max_length=60)
    region_code = models.CharField(_("所在地区"), max_length=6, blank=True)
    leader = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("负责人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("分会")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], condition=ALIVE, name="branch_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FigureSharingConsent(TenantModel):
    """The child side of a group-member link: this association (``association``) agrees — or
    no longer agrees — that ``parent``, which lists it as a group member, may see its headline
    figures (member count). Owned by the child, so only the child can write it; the parent
    reads it only inside the child's tenant scope (``org.selectors.group_member_figures``)."""

    parent = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    shares_figures_with_parent = models.BooleanField(_("向上级商协会共享会员总数"), default=False)
    # A scope of its own: a chamber may share its member count and not its charity totals.
    shares_charity_with_parent = models.BooleanField(
        _("向上级商协会共享慈善公益汇总"), default=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("数据共享授权")
        constraints = [
            models.UniqueConstraint(fields=["association", "parent"], name="sharing_consent_unique")
        ]


class OrgSettings(TenantModel):
    """Per-association settings of the organisation structure. The public organisation chart
    names people, so it is off until the association publishes it."""

    publish_chart = models.BooleanField(_("公开组织架构图"), default=False)

    class Meta:
        verbose_name = _("组织架构设置")
        constraints = [models.UniqueConstraint(fields=["association"], name="org_settings_unique")]
