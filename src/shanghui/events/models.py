"""会务管理: events (meetings, forums, study tours, training courses), who may come, who
registered, their tickets, check-in and what happened afterwards.

Seats are counters changed only by the services with a conditional UPDATE
(``seats_taken + n <= capacity``) — never "count the registrations, then insert one" — so
concurrent registrations cannot overbook, on SQLite (IMMEDIATE transactions) and on
PostgreSQL (the UPDATE re-checks the condition on the row it waited for). A person has at
most one active registration per event: a partial unique constraint, not a check in Python."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shanghui.core.storage.fields import StoredFileField
from shanghui.core.tenancy import TenantModel

ACTIVE_STATUSES = ("pending", "confirmed", "waitlisted")
# How core's tables without keys into this app (the inbox, audience rules) name an event.
EVENT_TYPE = "events.event"
SEATED_STATUSES = ("pending", "confirmed")


class Event(TenantModel):  # type: ignore[django-manager-missing]
    """One event, or one training course (``kind=training``, its sessions are the lessons)."""

    class Kind(models.TextChoices):
        ANNUAL_MEETING = "annual_meeting", _("年会")
        COUNCIL = "council", _("理事会")
        PRESIDENT_OFFICE = "president_office", _("会长办公会")
        FORUM = "forum", _("论坛/峰会")
        STUDY_TOUR = "study_tour", _("考察")
        SOCIAL = "social", _("联谊")
        TRAINING = "training", _("培训课程")
        MATCHMAKING = "matchmaking", _("对接会")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("公开（任何人）")
        MEMBERS = "members", _("全体会员")
        CHOSEN = "chosen", _("指定范围")

    class Quorum(models.TextChoices):
        NONE = "", _("不计法定人数")
        MAJORITY = "majority", _("过半数")
        TWO_THIRDS = "two_thirds", _("三分之二以上")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("名称"), max_length=100)
    summary = models.CharField(_("简介"), max_length=300, blank=True)
    description = models.TextField(_("详细介绍"), blank=True)  # sanitised HTML
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default="draft")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    venue = models.CharField(_("地点"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    online_url = models.URLField(_("线上参会链接"), blank=True)
    cover = StoredFileField(_("封面图片"))
    organizer = models.CharField(_("主办/承办"), max_length=200, blank=True)
    organizing_committee = models.ForeignKey(
        "org.Committee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("组委会"),
    )
    speakers = models.TextField(_("嘉宾/讲师"), blank=True, help_text=_("每行一位"))
    audience = models.CharField(
        _("参加范围"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    registration_opens_at = models.DateTimeField(_("报名开始"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("报名截止"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("总名额"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    requires_approval = models.BooleanField(_("报名需审核"), default=False)
    fee = models.DecimalField(_("费用（元）"), max_digits=10, decimal_places=2, default=Decimal(0))
    max_companions = models.PositiveSmallIntegerField(_("最多随行人数"), default=0)
    questions = models.JSONField(_("报名问题"), default=list, blank=True)
    quorum_rule = models.CharField(
        _("法定人数"), max_length=12, choices=Quorum.choices, default="", blank=True
    )
    min_sessions_for_certificate = models.PositiveSmallIntegerField(
        _("结业所需出勤课次"), default=0
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["association", "status", "starts_at"], name="event_upcoming"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)

    @property
    def is_training(self) -> bool:
        return self.kind == self.Kind.TRAINING


class TicketType(TenantModel):  # type: ignore[django-manager-missing]
    """A kind of seat (嘉宾票, 会员票, 晚宴) with its own price and, optionally, its own
    capacity inside the event's."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(_("票种名称"), max_length=40)
    price = models.DecimalField(_("价格（元）"), max_digits=10, decimal_places=2, default=0)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "event", "name"], name="ticket_type_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EventSession(TenantModel):
    """One item of the agenda, or one lesson of a training course."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("议程/课次"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    location = models.CharField(_("地点"), max_length=100, blank=True)
    speaker = models.CharField(_("主讲/主持"), max_length=100, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["association", "event", "starts_at"], name="session_event")]

    def __str__(self) -> str:
        return self.title


class Registration(TenantModel):  # type: ignore[django-manager-missing]
    """One person's registration (报名). ``seats`` = 1 + companions while it holds seats
    (pending approval or confirmed); a waitlisted one holds none until promoted."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        CONFIRMED = "confirmed", _("已报名")
        WAITLISTED = "waitlisted", _("候补中")
        CANCELLED = "cancelled", _("已取消")
        REJECTED = "rejected", _("未通过")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    ticket_type = models.ForeignKey(
        TicketType, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=11)
    company = models.CharField(_("单位"), max_length=100, blank=True)
    companions = models.PositiveSmallIntegerField(_("随行人数"), default=0)
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    seats = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("签到码"), max_length=8)
    token = models.CharField(max_length=40)
    fee_paid = models.BooleanField(_("已线下缴费"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A person reads their own across associations (their personal-data export).
    rls_person_field = "user"

    class Meta:
        verbose_name = _("报名")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "event", "phone"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="registration_one_per_phone",
            ),
            models.UniqueConstraint(
                fields=["association", "event", "user"],
                condition=Q(status__in=ACTIVE_STATUSES, user__isnull=False),
                name="registration_one_per_user",
            ),
            models.UniqueConstraint(fields=["association", "token"], name="registration_token"),
            models.UniqueConstraint(
                fields=["association", "event", "code"], name="registration_code"
            ),
        ]
        indexes = [
            models.Index(fields=["association", "event", "status"], name="registration_status"),
            models.Index(fields=["association", "member"], name="registration_member"),
            models.Index(fields=["association", "user"], name="registration_user"),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.event_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class IdempotencyRecord(TenantModel):
    """The first answer to an API request sent with an ``Idempotency-Key``: a retry by the
    same caller with the same key and the same request (``fingerprint``: SHA-256 of the
    event id and the canonical JSON body) gets the same registration and status code back;
    the same key with another request is refused (422), as the IETF draft and Stripe do."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    # Empty for records written before fingerprints were kept: those replay by key alone.
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    status_code = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user", "key"], name="idempotency_key_unique"
            )
        ]


class CheckinList(TenantModel):  # type: ignore[django-manager-missing]
    """A place where arrivals are counted: the main hall, the dinner, the shuttle, or one
    lesson of a course (``session``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkin_lists")
    name = models.CharField(_("签到点名称"), max_length=40)
    session = models.ForeignKey(
        EventSession, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "event", "name"], name="checkin_list_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CheckinStaff(TenantModel):
    """A person the secretariat assigned as one event's 签到员 (door volunteer, usually a
    member with an account): they may open that event's check-in pages on their phone and
    check people in, nothing else of the back office. Must hold a role in the association
    when assigned and when they use it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkin_staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("签到员")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "event", "user"], name="checkin_staff_once"
            )
        ]
        indexes = [models.Index(fields=["association", "user"], name="checkin_staff_user")]


class Checkin(TenantModel):
    """An arrival at one check-in list: the registrant (``companion`` 0) or one of their
    accompanying persons (1, 2, …). Unique, so scanning twice changes nothing."""

    checkin_list = models.ForeignKey(CheckinList, on_delete=models.CASCADE, related_name="checkins")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="checkins"
    )
    companion = models.PositiveSmallIntegerField(default=0)
    checked_in_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "checkin_list", "registration", "companion"],
                name="checkin_once",
            )
        ]
        indexes = [
            models.Index(fields=["association", "registration"], name="checkin_registration"),
        ]


class EventDocument(TenantModel):
    """A file attached to an event: material for participants, or an attachment of the
    minutes (会议纪要)."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("会议材料")
        MINUTES = "minutes", _("纪要附件")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MATERIAL)
    name = models.CharField(_("文件名"), max_length=200)
    file = StoredFileField(_("文件"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["association", "event"], name="document_event")]


class Minutes(TenantModel):
    """The minutes (会议纪要) of a governance meeting: one per event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("纪要正文"), blank=True)  # sanitised HTML
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "event"], name="minutes_one_per_event")
        ]


class Resolution(TenantModel):
    """A resolution (决议) taken at a meeting, with its vote."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="resolutions")
    title = models.CharField(_("决议事项"), max_length=200)
    text = models.TextField(_("决议内容"), blank=True)
    votes_for = models.PositiveIntegerField(_("赞成"), default=0)
    votes_against = models.PositiveIntegerField(_("反对"), default=0)
    votes_abstain = models.PositiveIntegerField(_("弃权"), default=0)
    passed = models.BooleanField(_("通过"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["association", "event"], name="resolution_event")]


class Feedback(TenantModel):
    """A participant's rating (1–5) and comment after the event; one per registration."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("评分"))
    comment = models.TextField(_("意见建议"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "registration"], name="feedback_one_per_registration"
            )
        ]
        indexes = [models.Index(fields=["association", "event"], name="feedback_event")]


class GuestCode(TenantModel):
    """A one-time code sent to a guest's phone before they register for a public event.
    Only the hash is stored; short-lived, limited attempts."""

    phone = models.CharField(max_length=11)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["association", "phone", "-created_at"], name="guest_code")]


class CalendarSettings(TenantModel):
    """Whether the association publishes its public events on a public calendar page."""

    publish_calendar = models.BooleanField(_("公开活动日历"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association"], name="one_calendar_settings")
        ]


class CalendarFeed(TenantModel):
    """The reset state of a person's calendar subscription URL (订阅到手机日历). The URL
    carries an HMAC of (association, user, ``nonce``) under the site's secret key, so the
    database holds no usable URL; a person without a row uses the empty nonce. Resetting
    stores a new random nonce, and every URL given out before stops working."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=32)
    reset_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "user"], name="calendar_feed_one")
        ]
