from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext_lazy as _

from shanghui.core.chinese import SEARCH_TOKEN_LENGTH
from shanghui.core.softdelete import ALIVE, SoftDeleteModel
from shanghui.core.storage.fields import StoredFileField
from shanghui.core.tenancy import TenantModel


class Level(TenantModel):  # type: ignore[django-manager-missing]
    """A membership level (会长单位, 副会长单位, 理事单位, 会员单位 …) with its annual dues.
    ``rank`` orders levels: 1 is the highest."""

    name = models.CharField(_("名称"), max_length=30)
    rank = models.PositiveSmallIntegerField(_("级别序号"), help_text=_("1 为最高级别"))
    annual_fee = models.DecimalField(
        _("年度会费（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会员级别")
        ordering = ["rank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="level_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipPolicy(TenantModel):
    """How an association numbers its members and whom it admits: one row per association."""

    member_no_pattern = models.CharField(
        _("会员编号格式"),
        max_length=40,
        default="{number:06d}",
        help_text=_("{number} 为流水号，{year} 为入会年份，例如 GDJX-{number:06d}"),
    )
    next_number = models.PositiveIntegerField(default=1)
    required_referrers = models.PositiveSmallIntegerField(_("需要介绍人数"), default=0)
    referrer_min_level = models.ForeignKey(
        Level,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("介绍人最低级别"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association"], name="one_membership_policy"),
        ]


class Member(TenantModel):  # type: ignore[django-manager-missing]
    """A member of an association: an enterprise (会员企业) or an individual (个人会员)."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业会员")
        INDIVIDUAL = "individual", _("个人会员")

    class Status(models.TextChoices):
        APPLYING = "applying", _("申请中")
        ACTIVE = "active", _("正常")
        IN_ARREARS = "arrears", _("欠费")
        EXPIRED = "expired", _("过期")
        WITHDRAWN = "withdrawn", _("退会")
        EXPELLED = "expelled", _("除名")

    kind = models.CharField(_("会员类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    member_no = models.CharField(_("会员编号"), max_length=30)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    industry_code = models.CharField(_("行业"), max_length=2, blank=True)
    region_code = models.CharField(_("注册地区"), max_length=6, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    hometown_code = models.CharField(_("籍贯"), max_length=6, blank=True)
    introduction = models.TextField(_("简介"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    level = models.ForeignKey(
        Level,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("会员级别"),
    )
    main_products = models.CharField(_("主营产品"), max_length=300, blank=True)
    logo = StoredFileField(_("企业标志"))
    website = models.URLField(_("网站"), blank=True)
    size = models.CharField(
        _("企业规模"),
        max_length=16,
        blank=True,
        choices=[
            ("micro", _("微型")),
            ("small", _("小型")),
            ("medium", _("中型")),
            ("large", _("大型")),
        ],
    )
    joined_on = models.DateField(_("入会日期"), null=True, blank=True)
    # The enterprise agreed to be shown on the association's public site (name, logo,
    # industry, products; never a person's data). Set by the secretariat.
    showcase = models.BooleanField(_("在官网展示"), default=False)
    # The enterprise chose to be found by members of other associations on the platform
    # (network showcase and matching): its own choice, apart from ``showcase`` — the public
    # site and the network reach different people. Off until the member turns it on.
    network_showcase = models.BooleanField(_("加入平台企业展示与供需匹配"), default=False)
    search_text = models.CharField(max_length=400, editable=False)
    sort_key = models.CharField(max_length=100, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会员")
        constraints = [
            models.UniqueConstraint(fields=["association", "member_no"], name="member_no_unique"),
            models.UniqueConstraint(
                fields=["association", "uscc"],
                condition=~models.Q(uscc=""),
                name="member_uscc_unique",
            ),
        ]
        indexes = [
            # The lists are ordered by (sort_key, id): a page after a cursor is a range of
            # this index, and a deep numbered page reads its ids from the index alone (the
            # directory's too, filtered by status): at row 10,000, 12–17 ms instead of 21–24
            # (SQLite).
            models.Index(fields=["association", "sort_key", "id", "status"], name="member_sort"),
            models.Index(fields=["association", "status"], name="member_status"),
            models.Index(fields=["association", "hometown_code"], name="member_hometown"),
            models.Index(fields=["association", "level"], name="member_level"),
            # The public site's showcase: a dozen of 23,000 members, found without reading
            # the others (the sort index scanned every member: 18 ms of PostgreSQL per home).
            models.Index(
                fields=["association", "sort_key", "id"],
                condition=models.Q(showcase=True),
                name="member_showcase",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Person(TenantModel):  # type: ignore[django-manager-missing]
    """A person known to an association — a member enterprise's representative or contact, or
    an individual member. Linked to their platform account once they sign in, so one person
    sees all their memberships across associations."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    hometown_code = models.CharField(_("籍贯"), max_length=6, blank=True)
    show_phone = models.BooleanField(_("向其他会员公开手机号"), default=False)
    # Gone when replaced or removed (personal-information law): no old photo is kept.
    photo = StoredFileField(_("照片"), keeping="replaced")
    # Set by the person on their account page (not by the secretariat): it is theirs, and goes
    # when they delete their account.
    photo_by_person = models.BooleanField(default=False, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_text = models.CharField(max_length=200, editable=False)
    sort_key = models.CharField(max_length=100, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    rls_person_field = "user"
    # What a person changes in their own records, in every association at once, from their
    # account page: their photo and whether members see their phone (core.rls).
    rls_person_updates = ("photo", "photo_by_person", "show_phone")

    class Meta:
        verbose_name = _("联系人")
        # ``user`` has its foreign key's own index.
        indexes = [models.Index(fields=["association", "phone"], name="person_phone")]

    def __str__(self) -> str:
        return self.name


class SearchKeyField(models.CharField):
    """Text ordered by code point on every database, so that "starts with" is a range of a
    btree (``core.chinese.token_range``): the ``C`` collation on PostgreSQL, whose database
    collation may order by a locale; SQLite's BINARY default elsewhere (SQLite has no "C")."""

    def db_parameters(self, connection: BaseDatabaseWrapper) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


class MemberSearchToken(TenantModel):
    """One key under which the directory finds a member (``core.chinese.search_tokens`` of its
    name and credit code). Derived data, written only by ``members.search_index``; the
    primary key is the search index: association, then key, then member.

    Why not an index on ``search_text``: under row-level security PostgreSQL uses an index
    only for leakproof operators; ``LIKE`` and GIN operators are not, btree ``>=``/``<`` on
    text are (docs/performance.md)."""

    pk = models.CompositePrimaryKey("association", "key", "member")
    key = SearchKeyField(max_length=SEARCH_TOKEN_LENGTH)
    # No database constraint: the rows are derived and deleted with their member by Django
    # (CASCADE); checking ~40 rows per member on insert was 40% of an import's commit on
    # PostgreSQL (docs/performance.md). An orphan could match nothing: searches join members.
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        indexes = [models.Index(fields=["association", "member"], name="member_token_member")]


class PersonSearchToken(TenantModel):
    """One key under which the directory finds a person, and through their representations the
    members they act for (``search_tokens`` of the name, read as a person's, and the phone
    number). A person's tokens do not change when they start or stop representing a member."""

    pk = models.CompositePrimaryKey("association", "key", "person")
    key = SearchKeyField(max_length=SEARCH_TOKEN_LENGTH)
    person = models.ForeignKey(  # no database constraint, as MemberSearchToken.member
        Person, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        indexes = [models.Index(fields=["association", "person"], name="person_token_person")]


class Representative(SoftDeleteModel):
    """A person acting for a member enterprise: its representative (会员代表) or a contact.
    Removing one moves it to the recycle bin (``core.softdelete``)."""

    class Kind(models.TextChoices):
        REPRESENTATIVE = "representative", _("会员代表")
        CONTACT = "contact", _("联络人")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="representatives")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="representations")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REPRESENTATIVE)
    title = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "member", "person"],
                condition=ALIVE,
                name="one_representation",
            )
        ]


class MemberStatusChange(TenantModel):
    """One dated step in a member's life (申请中 → 正常 → 欠费/过期 → 退会/除名), with the reason.
    Append-only: the member's page shows the whole history."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Member.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Member.Status.choices)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    effective_on = models.DateField(_("生效日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "created_at"]
        indexes = [
            models.Index(
                fields=["association", "member", "effective_on"], name="status_change_member"
            )
        ]


class MembershipApplication(TenantModel):  # type: ignore[django-manager-missing]
    """An application to join the association (入会申请), filed on the public page. The
    secretariat approves it (which admits the member), rejects it with a reason, or asks for
    more information; the applicant is told at each step."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        NEEDS_INFO = "needs_info", _("待补充资料")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("已驳回")

    kind = models.CharField(_("会员类型"), max_length=16, choices=Member.Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    industry_code = models.CharField(_("行业"), max_length=2, blank=True)
    region_code = models.CharField(_("注册地区"), max_length=6, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    hometown_code = models.CharField(_("籍贯"), max_length=6, blank=True)
    introduction = models.TextField(_("简介"), blank=True)
    level = models.ForeignKey(
        Level,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("申请级别"),
    )
    applicant_name = models.CharField(_("申请人姓名"), max_length=50)
    applicant_phone = models.CharField(_("申请人手机号"), max_length=11)
    applicant_title = models.CharField(_("申请人职务"), max_length=50, blank=True)
    licence = StoredFileField(_("营业执照"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    info_request = models.TextField(_("需补充的资料"), blank=True)
    decision_reason = models.TextField(_("审核意见"), blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("入会申请")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["association", "status", "-created_at"], name="application_status")
        ]


class ApplicationReferrer(TenantModel):
    """A member who introduces an applicant (介绍人)."""

    application = models.ForeignKey(
        MembershipApplication, on_delete=models.CASCADE, related_name="referrers"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "application", "member"], name="one_referral"
            )
        ]


class MemberImport(TenantModel):
    """One Excel/CSV import of members: the uploaded file, the column mapping, the validation
    result (with a downloadable error report) and, once committed, how many were created.
    Validation and commit run as background jobs; the commit is all-or-nothing."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("已上传")
        VALIDATING = "validating", _("校验中")
        VALIDATED = "validated", _("已校验")
        IMPORTING = "importing", _("导入中")
        DONE = "done", _("已导入")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The import's files hold phone lists: they expire (``core.storage.files``), and an import
    # whose source file is gone can no longer be validated or committed.
    source_file = StoredFileField(_("导入文件"), keeping="expiring")
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    column_mapping = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_report = StoredFileField(_("错误报告"), keeping="expiring")
    created_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    job_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["association", "-created_at"], name="member_import_time")]
