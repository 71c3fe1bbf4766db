"""The network (供需对接): members' offers and needs, their platform-wide search index,
conversations between members of any associations, and deals.

How it crosses associations is in docs/architecture.md ("Network and providers"): a listing
is a tenant row of the poster's association; ``ListingIndex`` and ``EnterpriseIndex`` are
platform tables holding no personal data, searched across associations; conversations and
deals are platform rows under their own row-level-security policies (participants, and the
two associations for counting)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shanghui.core.rls import RlsPolicy
from shanghui.core.storage.fields import StoredFileField
from shanghui.core.tenancy import TenantModel
from shanghui.members.models import SearchKeyField

LISTING_TITLE_MAX = 60
LISTING_BODY_MAX = 2000
CONTACT_MAX = 200
WORD_MAX = 32


class Visibility(models.TextChoices):
    """Who may find a listing. Only the last two get an index row."""

    ASSOCIATION = "association", _("仅本会")
    FEDERATION = "federation", _("本会及上下级商会")
    PLATFORM = "platform", _("平台供需网络")


class ListingKind(models.TextChoices):
    OFFER = "offer", _("供应")
    NEED = "need", _("需求")


class NetworkSettings(TenantModel):
    """An association's part in the platform-wide network: one row per association, created
    on first use. Off until the association joins; leaving removes its listings from the
    platform index (they stay visible inside the association and its federation)."""

    joins_platform = models.BooleanField(_("加入平台供需网络"), default=False)
    moderate_before_publishing = models.BooleanField(_("发布前由秘书处审核"), default=False)
    # The weekly digest has told members about listings published up to this moment.
    digest_sent_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("供需对接设置")
        constraints = [models.UniqueConstraint(fields=["association"], name="one_network_settings")]


class Listing(TenantModel):  # type: ignore[django-manager-missing]
    """A member's offer (供应) or need (采购/需求). A tenant row of the poster's association;
    what others may find of it is its ``ListingIndex`` row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        PUBLISHED = "published", _("已发布")
        REJECTED = "rejected", _("未通过审核")
        WITHDRAWN = "withdrawn", _("已撤回")
        EXPIRED = "expired", _("已过期")
        TAKEN_DOWN = "taken_down", _("已下架")

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    kind = models.CharField(_("类型"), max_length=8, choices=ListingKind.choices)
    title = models.CharField(_("标题"), max_length=LISTING_TITLE_MAX)
    body = models.TextField(_("详细说明"), max_length=LISTING_BODY_MAX, blank=True)
    industry_code = models.CharField(_("行业"), max_length=3)
    region_code = models.CharField(_("地区"), max_length=6)
    quantity = models.CharField(_("数量"), max_length=60, blank=True)
    budget = models.DecimalField(
        _("预算（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    valid_until = models.DateField(_("有效期至"))
    visibility = models.CharField(
        _("可见范围"), max_length=12, choices=Visibility.choices, default=Visibility.ASSOCIATION
    )
    # How to reach the poster. Shown to nobody outside the association, and inside it only
    # when the poster says so; in a conversation only after the poster shares it there.
    contact = models.CharField(_("联系方式"), max_length=CONTACT_MAX, blank=True)
    contact_visible_to_members = models.BooleanField(_("本会会员可见联系方式"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    moderation_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    renewed_times = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("供需信息")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["association", "status", "-published_at"], name="listing_status"),
            models.Index(fields=["association", "member", "-created_at"], name="listing_member"),
            models.Index(fields=["association", "poster"], name="listing_poster"),
            models.Index(fields=["association", "valid_until"], name="listing_expiry"),
        ]


class ListingImage(TenantModel):
    """A picture of a listing (at most a few; the first is its thumbnail)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images")
    file = StoredFileField(_("图片"), keeping="replaced")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["association", "listing"], name="listing_image")]


class ListingIndex(models.Model):
    """Platform table: the searchable shadow of a listing that may be seen outside its
    association (visibility ``federation`` or ``platform``), written only by the listing
    services in the listing's own transaction. Never a person's name, phone or the listing's
    contact field."""

    listing_id = models.BigIntegerField(primary_key=True)
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=ListingKind.choices)
    visibility = models.CharField(max_length=12, choices=Visibility.choices)
    title = models.CharField(max_length=LISTING_TITLE_MAX)
    industry_code = models.CharField(max_length=3)
    region_code = models.CharField(max_length=6)
    valid_until = models.DateField()
    published_at = models.DateTimeField()
    # The poster enterprise's credit code: one enterprise in several chambers is one result.
    member_uscc = models.CharField(max_length=18, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "industry_code", "-published_at"], name="lindex_kind"),
            models.Index(fields=["region_code", "-published_at"], name="lindex_region"),
            models.Index(fields=["-published_at"], name="lindex_recent"),
            models.Index(fields=["association", "-published_at"], name="lindex_association"),
        ]


class ListingWord(models.Model):
    """Platform table: one searchable word of an indexed listing (``network.words``)."""

    pk = models.CompositePrimaryKey("word", "listing")
    word = SearchKeyField(max_length=WORD_MAX)
    listing = models.ForeignKey(ListingIndex, on_delete=models.CASCADE, related_name="words")

    class Meta:
        indexes = [models.Index(fields=["listing"], name="listing_word_listing")]


class ListingReach(models.Model):
    """Platform table: an association that may find a ``federation`` listing — the poster
    association's linked group members and the parents it named on its data-sharing page
    (``org.FigureSharingConsent``), as the publish service read them in the poster's own
    scope. Renewing the listing reads them again."""

    pk = models.CompositePrimaryKey("association", "listing")
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    listing = models.ForeignKey(ListingIndex, on_delete=models.CASCADE, related_name="reach")

    class Meta:
        indexes = [models.Index(fields=["listing"], name="listing_reach_listing")]


class EnterpriseIndex(models.Model):
    """Platform table: a member enterprise that opted in to the platform-wide showcase and
    matching (``Member.network_showcase``): what matching and the cross-association directory
    read. The enterprise's public face only — never a person."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    member_id = models.BigIntegerField()
    name = models.CharField(max_length=100)
    uscc = models.CharField(max_length=18, blank=True)
    industry_code = models.CharField(max_length=3, blank=True)
    region_code = models.CharField(max_length=6, blank=True)
    products = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "member_id"], name="enterprise_once")
        ]
        indexes = [
            models.Index(fields=["industry_code", "region_code"], name="eindex_industry"),
            models.Index(fields=["uscc"], name="eindex_uscc"),
        ]


class EnterpriseWord(models.Model):
    """Platform table: one searchable word of an indexed enterprise."""

    pk = models.CompositePrimaryKey("word", "enterprise")
    word = SearchKeyField(max_length=WORD_MAX)
    enterprise = models.ForeignKey(EnterpriseIndex, on_delete=models.CASCADE, related_name="words")

    class Meta:
        indexes = [models.Index(fields=["enterprise"], name="enterprise_word_enterprise")]


class ShowcaseItem(TenantModel):
    """A product or service on a member enterprise's profile (企业风采)."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("企业")
    )
    name = models.CharField(_("产品/服务"), max_length=60)
    description = models.CharField(_("介绍"), max_length=500, blank=True)
    image = StoredFileField(_("图片"), keeping="replaced")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["association", "member"], name="showcase_member")]


# A conversation's participants, and the two associations it joins (for their counts only:
# messages are for the participants alone).
_PARTICIPANT = "poster_id = {person} OR inquirer_id = {person}"
_PARTY = "poster_association_id = {association} OR inquirer_association_id = {association}"


class Conversation(models.Model):
    """Platform table: an inquiry about a listing between its poster and one member of any
    association (站内信). Copies no contact details of the listing; a side's contact appears
    here only when that side shares it (``*_shared_contact``, withdrawable).

    Row-level security: the participants read and write it (``app.user_id``); either
    association reads it (``app.association_id``) — for its reports' counts, never the
    messages."""

    poster_association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    listing_id = models.BigIntegerField()
    listing_title = models.CharField(max_length=LISTING_TITLE_MAX)
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    poster_member_id = models.BigIntegerField(null=True)
    inquirer_association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    inquirer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    inquirer_member_id = models.BigIntegerField(null=True)
    # From a match suggestion rather than a search or the listing page: counted as a match.
    from_match = models.BooleanField(default=False)
    poster_shared_contact = models.CharField(max_length=CONTACT_MAX, blank=True)
    poster_shared_at = models.DateTimeField(null=True, blank=True)
    inquirer_shared_contact = models.CharField(max_length=CONTACT_MAX, blank=True)
    inquirer_shared_at = models.DateTimeField(null=True, blank=True)
    poster_read_at = models.DateTimeField(null=True, blank=True)
    inquirer_read_at = models.DateTimeField(null=True, blank=True)
    # A participant who blocked the other: no more messages either way.
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    rls_policies = (
        RlsPolicy("conversation_participant", "ALL", _PARTICIPANT),
        RlsPolicy("conversation_party", "SELECT", _PARTY),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["listing_id", "inquirer"], name="one_conversation_per_inquirer"
            )
        ]
        indexes = [
            models.Index(fields=["poster", "-last_message_at"], name="conversation_poster"),
            models.Index(fields=["inquirer", "-last_message_at"], name="conversation_inquirer"),
            models.Index(fields=["poster_association", "created_at"], name="conversation_pa"),
            models.Index(fields=["inquirer_association", "created_at"], name="conversation_ia"),
        ]


class Message(models.Model):
    """Platform table: one message of a conversation; its participants' alone — its sender
    and its recipient, the conversation's other side. (The policy names the message's own
    columns rather than its conversation's: Citus keeps a policy with a subquery on no node.)"""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    rls_policies = (
        RlsPolicy("message_participant", "ALL", "sender_id = {person} OR recipient_id = {person}"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_thread")]


class Deal(models.Model):
    """Platform table: the poster says a conversation led to a deal (成交), with an optional
    value; later both sides are asked whether it closed. Counted in both associations'
    reports (对接成功数, 金额). Same policies as its conversation."""

    class Answer(models.TextChoices):
        CLOSED = "closed", _("已成交")
        NOT_CLOSED = "not_closed", _("未成交")

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="deal")
    poster_association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    inquirer_association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    inquirer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    listing_id = models.BigIntegerField()
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    marked_at = models.DateTimeField(auto_now_add=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    poster_answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    inquirer_answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)

    rls_policies = (
        RlsPolicy("deal_participant", "ALL", _PARTICIPANT),
        RlsPolicy("deal_party", "SELECT", _PARTY),
    )

    class Meta:
        indexes = [
            models.Index(fields=["poster_association", "marked_at"], name="deal_pa"),
            models.Index(fields=["inquirer_association", "marked_at"], name="deal_ia"),
        ]


class ListingReport(models.Model):
    """Platform table: a 举报 of a listing by anyone who could see it. The listing's
    association's secretariat handles reports of its listings; the platform operator's
    queue holds those of platform-wide listings."""

    class Reason(models.TextChoices):
        FRAUD = "fraud", _("虚假或诈骗信息")
        PROHIBITED = "prohibited", _("违法违禁内容")
        ADVERTISING = "advertising", _("垃圾广告")
        OFFENSIVE = "offensive", _("不当言论")
        OTHER = "other", _("其他")

    class Outcome(models.TextChoices):
        OPEN = "open", _("待处理")
        TAKEN_DOWN = "taken_down", _("已下架")
        DISMISSED = "dismissed", _("不予处理")

    listing_association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    listing_id = models.BigIntegerField()
    platform_wide = models.BooleanField(default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("举报原因"), max_length=12, choices=Reason.choices)
    text = models.CharField(_("补充说明"), max_length=300, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["listing_association", "outcome"], name="report_association"),
            models.Index(fields=["platform_wide", "outcome"], name="report_platform"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["listing_id", "reporter"],
                condition=models.Q(outcome="open"),
                name="one_open_report_per_reporter",
            )
        ]


class PosterBlock(TenantModel):
    """The secretariat stopped a person from posting listings in its association."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("原因"), max_length=200)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "user"], name="one_poster_block")
        ]


class PlatformBlock(models.Model):
    """Platform table: the operator stopped a person from the platform-wide network (posting
    platform-wide, writing to members of other associations)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=200)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)


class SensitiveWord(models.Model):
    """Platform table: a word the operator added to the built-in list
    (``network/data/sensitive_words.txt``); a listing or message containing one is refused."""

    word = models.CharField(max_length=WORD_MAX, unique=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
