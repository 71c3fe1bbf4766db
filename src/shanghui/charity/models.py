"""Charity (慈善公益): campaigns, the donations ledger in cash and goods, pledges, student
sponsorship, goods distributions and honors.

The donations ledger is history: an entry is never edited or deleted; a mistake is corrected
by a reversing entry (negative amount and quantity, ``reverses`` pointing at the original,
at most one per original). Every total the platform shows — a campaign's progress, the
dashboard, the public disclosure, the federation roll-up — is an aggregate of this ledger
(``charity.totals``), never a stored counter. CHECK constraints are the last wall: an entry
is positive unless it reverses another; goods carry an item, a quantity and the basis of
their value.

The platform records and discloses donations; it does not collect money from the public
(online public fundraising in China goes through designated platforms: a campaign that raises
publicly links to its partner charity's page).

Beneficiaries (受助学生) are their own records, not members: their ID number is encrypted at
rest (``core.encryption``), their photos never appear on public pages, and their records
follow the retention and consent rules in ``services.beneficiaries``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shanghui.core.encryption import EncryptedTextField
from shanghui.core.storage.fields import StoredFileField
from shanghui.core.tenancy import TenantModel
from shanghui.members.models import Member, Person
from shanghui.org.models import GroupMember

# Money: up to 999,999,999,999.99 元 (max_digits=14). Quantities: 10,000 schoolbags, 2.5 吨.


class CharitySettings(TenantModel):
    """How an association shows its charity work: one row per association, created on first
    use. The public disclosure page is off until the association turns it on."""

    disclose_publicly = models.BooleanField(_("公开慈善公益信息"), default=False)
    public_intro = models.TextField(_("公开页简介"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("慈善公益设置")
        constraints = [models.UniqueConstraint(fields=["association"], name="one_charity_settings")]


class Partner(TenantModel):  # type: ignore[django-manager-missing]
    """An organization the association gives through or to: 红十字会, 慈善总会, a school, a
    foundation. Schools are also where goods are distributed and students study."""

    class Kind(models.TextChoices):
        RED_CROSS = "red_cross", _("红十字会")
        CHARITY_FEDERATION = "charity_federation", _("慈善总会/慈善会")
        FOUNDATION = "foundation", _("基金会")
        SCHOOL = "school", _("学校")
        GOVERNMENT = "government", _("政府部门")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices, default=Kind.OTHER)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region_code = models.CharField(_("所在地区"), max_length=6, blank=True)
    # Only qualified organizations issue 公益事业捐赠统一票据; they are the ones with this on.
    issues_official_receipts = models.BooleanField(_("可开具公益事业捐赠统一票据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("合作机构")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="charity_partner_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(TenantModel):  # type: ignore[django-manager-missing]
    """A campaign or project (募捐活动/公益项目): 2020 抗击新冠肺炎疫情, 乳源·阳江·陆河助学, a
    schoolbag drive. Its goal is money, items, or both; its progress is read from the ledger."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        ACTIVE = "active", _("进行中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("名称"), max_length=100)
    summary = models.TextField(_("简介"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    goal_amount = models.DecimalField(
        _("目标金额（元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    goal_item = models.CharField(_("目标物资"), max_length=50, blank=True)
    goal_quantity = models.DecimalField(
        _("目标数量"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    goal_unit = models.CharField(_("单位"), max_length=10, blank=True)
    # GB/T 2260 codes of the regions that benefit (乳源 440232, 阳江 441700, 陆河 441523).
    region_codes = models.JSONField(_("受益地区"), default=list, blank=True)
    partners = models.ManyToManyField(
        Partner, through="CampaignPartner", related_name="campaigns", verbose_name=_("合作机构")
    )
    # Members may pledge (认捐) until this date; empty: pledges are not invited.
    pledge_deadline = models.DateField(_("认捐截止日期"), null=True, blank=True)
    # Where the public can give, on a designated fundraising platform (the partner's page).
    public_fundraising_url = models.URLField(_("公开募捐链接"), blank=True)
    # Shown on the public disclosure page (when the association discloses at all).
    is_public = models.BooleanField(_("公开"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公益项目")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal_amount__isnull=True) | Q(goal_amount__gt=0),
                name="campaign_goal_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(goal_quantity__isnull=True) | Q(goal_quantity__gt=0),
                name="campaign_goal_quantity_positive",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaign_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "status", "starts_on"], name="campaign_list")
        ]

    def __str__(self) -> str:
        return self.title


class CampaignPartner(TenantModel):
    """A partner of a campaign (the explicit through table carries the association)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "campaign", "partner"], name="campaign_partner_unique"
            )
        ]


class DonorKind(models.TextChoices):
    MEMBER = "member", _("会员")
    INDIVIDUAL = "individual", _("个人")
    GROUP_MEMBER = "group_member", _("团体会员")
    OUTSIDE = "outside", _("其他捐赠方")


class GiftKind(models.TextChoices):
    CASH = "cash", _("现金")
    GOODS = "goods", _("物资")


class ValueBasis(models.TextChoices):
    INVOICE = "invoice", _("发票价")
    MARKET = "market", _("市场价")
    APPRAISED = "appraised", _("评估价")


class Donor(models.Model):
    """Who gives: a member (enterprise or individual member), a person, a group-member unit,
    or an outside donor named in ``donor_name``. ``donor_name`` and ``donor_uscc`` are copied
    when the entry is recorded, so the ledger reads the same after a member is renamed; the
    credit code also recognises the same donation reported to two associations."""

    donor_kind = models.CharField(_("捐赠方类型"), max_length=16, choices=DonorKind.choices)
    donor_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    donor_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    donor_group_member = models.ForeignKey(
        GroupMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    donor_name = models.CharField(_("捐赠方"), max_length=100)
    donor_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    # Named nowhere but in the secretariat's ledger ("爱心人士").
    anonymous = models.BooleanField(_("匿名"), default=False)

    class Meta:
        abstract = True


class Pledge(Donor, TenantModel):  # type: ignore[django-manager-missing]
    """A promise to give (认捐) to a campaign, due by ``due_on`` or by its installments. What
    was received against it is the sum of the donations that name it."""

    class Status(models.TextChoices):
        OPEN = "open", _("待履行")
        FULFILLED = "fulfilled", _("已履行")
        CANCELLED = "cancelled", _("已取消")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pledges")
    kind = models.CharField(_("类别"), max_length=8, choices=GiftKind.choices)
    amount = models.DecimalField(_("认捐金额（元）"), max_digits=14, decimal_places=2)
    item = models.CharField(_("物资名称"), max_length=50, blank=True)
    quantity = models.DecimalField(
        _("数量"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    due_on = models.DateField(_("承诺到位日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # The member who pledged on their phone, or the clerk who took it down.
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("认捐")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="pledge_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(kind="cash", amount__gt=0)
                | Q(kind="goods", quantity__gt=0) & ~Q(item=""),
                name="pledge_has_what",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "campaign", "status"], name="pledge_campaign"),
            models.Index(fields=["association", "donor_member"], name="pledge_member"),
        ]


class PledgeInstallment(TenantModel):
    """One installment of a pledge's schedule (分期): how much is due when."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="installments")
    due_on = models.DateField(_("到期日"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="installment_amount_positive")
        ]


class Donation(Donor, TenantModel):  # type: ignore[django-manager-missing]
    """One entry of the donations ledger: a gift received (or given directly by a member and
    reported), in cash or in goods, or the reversal of one. Never edited, never deleted."""

    class Channel(models.TextChoices):
        ORGANIZED = "organized", _("经商会组织")
        REPORTED = "reported", _("会员企业自行捐赠（报备）")

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    kind = models.CharField(_("类别"), max_length=8, choices=GiftKind.choices)
    # Cash: the amount. Goods: their value, on ``value_basis``. Negative only in a reversal.
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    item = models.CharField(_("物资名称"), max_length=50, blank=True)
    quantity = models.DecimalField(
        _("数量"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    value_basis = models.CharField(
        _("价值依据"), max_length=16, choices=ValueBasis.choices, blank=True
    )
    channel = models.CharField(
        _("捐赠渠道"), max_length=16, choices=Channel.choices, default=Channel.ORGANIZED
    )
    recipient = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    recipient_name = models.CharField(_("受赠方"), max_length=100, blank=True)
    donated_on = models.DateField(_("捐赠日期"))
    # The 公益事业捐赠统一票据 number when the 慈善总会/红十字会 issued one.
    official_receipt_no = models.CharField(_("捐赠票据号"), max_length=50, blank=True)
    # The donor agreed to be named on the public honor roll (光荣榜) for this gift.
    name_public = models.BooleanField(_("同意公开署名"), default=False)
    # Also reported to the parent association: the federation roll-up counts it once.
    reported_to_parent = models.BooleanField(_("已同时报备上级商会"), default=False)
    # 捐赠证明编号, taken from the "charity.acknowledgement" series when first issued.
    acknowledgement_no = models.CharField(_("捐赠证明编号"), max_length=30, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    reverses = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
        verbose_name=_("冲正的捐赠记录"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("捐赠记录")
        ordering = ["-donated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gte=0)
                | Q(reverses__isnull=False, amount__lte=0),
                name="donation_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="cash", amount__gt=0, item="")
                | Q(kind="cash", amount__lt=0, reverses__isnull=False, item="")
                | Q(kind="goods", quantity__gt=0, reverses__isnull=True)
                & ~Q(item="")
                & ~Q(value_basis="")
                | Q(kind="goods", quantity__lt=0, reverses__isnull=False) & ~Q(item=""),
                name="donation_has_what",
            ),
            models.UniqueConstraint(
                fields=["association", "reverses"],
                condition=Q(reverses__isnull=False),
                name="donation_reversed_once",
            ),
            models.UniqueConstraint(
                fields=["association", "acknowledgement_no"],
                condition=~Q(acknowledgement_no=""),
                name="donation_acknowledgement_no_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "donated_on"], name="donation_date"),
            models.Index(
                fields=["association", "campaign", "donated_on"], name="donation_campaign"
            ),
            models.Index(fields=["association", "donor_member"], name="donation_member"),
            models.Index(fields=["association", "donor_uscc"], name="donation_uscc"),
        ]

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class DonationEvidence(TenantModel):
    """A file proving a donation: the recipient's receipt, a photo of the handover."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("受赠方收据")
        PHOTO = "photo", _("照片")
        OTHER = "other", _("其他")

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.RECEIPT)
    file = StoredFileField(_("文件"))
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Distribution(TenantModel):  # type: ignore[django-manager-missing]
    """Goods handed out by a drive (物资发放): so many schoolbags to this school, with the
    school's receipt. A mistake is corrected by a reversing record, like the ledger."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="distributions")
    recipient = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="distributions", verbose_name=_("接收单位")
    )
    item = models.CharField(_("物资名称"), max_length=50)
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    distributed_on = models.DateField(_("发放日期"))
    receipt = StoredFileField(_("接收单位回执"))
    note = models.CharField(_("备注"), max_length=300, blank=True)
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("物资发放")
        ordering = ["-distributed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, quantity__gt=0)
                | Q(reverses__isnull=False, quantity__lt=0),
                name="distribution_sign_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["association", "reverses"],
                condition=Q(reverses__isnull=False),
                name="distribution_reversed_once",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "campaign", "item"], name="distribution_item")
        ]


class Beneficiary(TenantModel):  # type: ignore[django-manager-missing]
    """A sponsored student (受助学生). Not a member and never shown publicly: the ID number is
    encrypted at rest and shown masked (every reveal is audit-logged); photos stay in the back
    office. A minor's record needs the guardian's consent, and sensitive data (family
    situation, ID number) a separate consent (个人信息保护法 §§28–31)."""

    class Gender(models.TextChoices):
        MALE = "m", _("男")
        FEMALE = "f", _("女")

    class Stage(models.TextChoices):
        HIGH_SCHOOL = "high_school", _("高中")
        UNIVERSITY = "university", _("大学")
        GRADUATED = "graduated", _("已毕业")
        EMPLOYED = "employed", _("已就业")
        ENDED = "ended", _("已终止")

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    # HMAC of the normalised ID number: finds the same student entered twice.
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    region_code = models.CharField(_("户籍地区"), max_length=6, blank=True)
    school = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school_name = models.CharField(_("学校"), max_length=100, blank=True)
    grade = models.CharField(_("年级"), max_length=30, blank=True)
    stage = models.CharField(
        _("阶段"), max_length=16, choices=Stage.choices, default=Stage.HIGH_SCHOOL
    )
    family_situation = EncryptedTextField(_("家庭情况"), blank=True)
    guardian_name = models.CharField(_("监护人"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("与学生关系"), max_length=20, blank=True)
    guardian_phone = models.CharField(_("监护人电话"), max_length=20, blank=True)
    # Consent for processing a minor's data, given by the guardian (recorded: when, how).
    guardian_consent_on = models.DateField(_("监护人同意日期"), null=True, blank=True)
    # Separate consent for sensitive personal data (ID number, family situation).
    sensitive_consent_on = models.DateField(_("敏感信息单独同意日期"), null=True, blank=True)
    consent_note = models.CharField(_("同意方式说明"), max_length=200, blank=True)
    photo = StoredFileField(_("照片"), keeping="replaced")
    graduated_on = models.DateField(_("毕业日期"), null=True, blank=True)
    outcome = models.CharField(_("去向/就业情况"), max_length=200, blank=True)
    # When the sponsorship relation ended for good; retention runs from here.
    ended_on = models.DateField(_("资助结束日期"), null=True, blank=True)
    # Personal data erased (retention passed or consent withdrawn); the row stays for totals.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("受助学生")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "id_number_index"],
                condition=~Q(id_number_index=""),
                name="beneficiary_id_number_unique",
            )
        ]
        indexes = [models.Index(fields=["association", "stage"], name="beneficiary_stage")]

    def __str__(self) -> str:
        return self.name


class Sponsorship(TenantModel):  # type: ignore[django-manager-missing]
    """Who sponsors whom (结对资助): a member enterprise (or another donor) supports a student
    for years, term by term, from high school until graduation."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("资助中")
        COMPLETED = "completed", _("已完成")
        ENDED = "ended", _("已中止")

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="sponsorships"
    )
    sponsor_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sponsor_name = models.CharField(_("资助方"), max_length=100)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="sponsorships"
    )
    starts_on = models.DateField(_("开始日期"))
    expected_end_on = models.DateField(_("预计结束日期"), null=True, blank=True)
    amount_per_term = models.DecimalField(
        _("每学期资助金额（元）"), max_digits=14, decimal_places=2
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结对资助")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_per_term__gt=0), name="sponsorship_amount_positive"
            )
        ]
        indexes = [
            models.Index(fields=["association", "sponsor_member"], name="sponsorship_member")
        ]


class Disbursement(TenantModel):
    """One term's payment of a sponsorship (发放计划): due on ``due_on``; paid when
    ``paid_on`` is set. Paying books the gift in the ledger (``donation``), so sponsorships
    count in every total. A missed one (due and unpaid) is alerted once a day at most
    (``charity_disbursement_alerts``)."""

    sponsorship = models.ForeignKey(
        Sponsorship, on_delete=models.PROTECT, related_name="disbursements"
    )
    term = models.CharField(_("学期"), max_length=40)
    due_on = models.DateField(_("应发日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    reference = models.CharField(_("凭证号"), max_length=100, blank=True)
    donation = models.ForeignKey(
        Donation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alerted_at = models.DateTimeField(_("上次提醒"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("资助发放")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.UniqueConstraint(
                fields=["association", "sponsorship", "term"], name="disbursement_term_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["association", "due_on"],
                condition=Q(paid_on__isnull=True),
                name="disbursement_unpaid",
            )
        ]


class Visit(TenantModel):  # type: ignore[django-manager-missing]
    """A visit to a student (走访): who went, what they found; photos attached."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    visitors = models.CharField(_("走访人员"), max_length=200)
    notes = models.TextField(_("走访记录"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        ordering = ["-visited_on", "-id"]


class VisitPhoto(TenantModel):
    """A photo of a visit. Back office only: a minor's photo never reaches a public page."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = StoredFileField(_("照片"), keeping="replaced")
    caption = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]


class AcademicRecord(TenantModel):
    """A student's results for a term (学业情况)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="academic_records"
    )
    term = models.CharField(_("学期"), max_length=40)
    school_name = models.CharField(_("学校"), max_length=100, blank=True)
    grade = models.CharField(_("年级"), max_length=30, blank=True)
    summary = models.CharField(_("成绩与表现"), max_length=300)
    recorded_on = models.DateField(_("记录日期"))

    class Meta:
        verbose_name = _("学业记录")
        ordering = ["-recorded_on", "-id"]


class Honor(TenantModel):
    """An honor: received by the association (全国工商联 "抗击新冠肺炎疫情先进组织") or given
    by it to a donor (爱心企业). A given honor has a certificate whose QR code opens its
    public verification page (``verify_token``); it shows on the member's card only if the
    member agreed."""

    class Direction(models.TextChoices):
        RECEIVED = "received", _("商会获得的荣誉")
        GIVEN = "given", _("授予会员的荣誉")

    direction = models.CharField(_("类别"), max_length=16, choices=Direction.choices)
    title = models.CharField(_("荣誉名称"), max_length=100)
    awarded_by = models.CharField(_("授予单位"), max_length=100)
    awarded_on = models.DateField(_("授予日期"))
    description = models.TextField(_("说明"), blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="honors"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_name = models.CharField(_("获得者"), max_length=100, blank=True)
    shown_on_card = models.BooleanField(_("会员同意在名片展示"), default=False)
    is_public = models.BooleanField(_("在公开页展示"), default=False)
    certificate_no = models.CharField(_("证书编号"), max_length=30, blank=True)
    verify_token = models.CharField(max_length=32, blank=True, editable=False)
    image = StoredFileField(_("证书或奖牌照片"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("荣誉")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="received", member__isnull=True)
                | Q(direction="given") & (Q(member__isnull=False) | ~Q(recipient_name="")),
                name="honor_recipient_matches_direction",
            ),
            models.UniqueConstraint(
                fields=["association", "certificate_no"],
                condition=~Q(certificate_no=""),
                name="honor_certificate_no_unique",
            ),
            # The public verification page: /a/<slug>/charity/verify/<token>/.
            models.UniqueConstraint(
                fields=["association", "verify_token"],
                condition=~Q(verify_token=""),
                name="honor_verify_token_unique",
            ),
        ]
        indexes = [models.Index(fields=["association", "member"], name="honor_member")]

    def __str__(self) -> str:
        return self.title
