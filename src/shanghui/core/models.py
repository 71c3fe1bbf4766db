import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shanghui.core.storage.fields import StoredFileField
from shanghui.core.tenancy import TenantModel


class AuditFields(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        abstract = True


class AuditEntry(AuditFields, TenantModel):
    """One change made inside an association, or one sign-in to it. Append-only."""

    class Meta:
        indexes = [
            models.Index(fields=["association", "-created_at"], name="audit_assoc_time"),
            models.Index(fields=["association", "actor", "-created_at"], name="audit_assoc_actor"),
        ]


class PlatformAuditEntry(AuditFields):
    """Platform-wide table: sign-ins, onboarding decisions and account changes that belong to
    no single association. Append-only."""

    class Meta:
        indexes = [models.Index(fields=["-created_at"], name="paudit_time")]


class Job(TenantModel):
    """A long-running background job inside an association (an import, an export) and its
    progress, which a page polls."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    # An export's result: it lists members' phones, so it expires (``core.storage.files``).
    result_file = StoredFileField(keeping="expiring")
    result_name = models.CharField(max_length=200, blank=True)
    # The django-tasks result id of the task doing the work (how far the worker got with it).
    task_id = models.CharField(max_length=64, blank=True)
    # What the task works on (an export's filters), read back by the task: kept here, under
    # row-level security, rather than in the task's arguments; emptied by ``prune_tasks``.
    params = models.JSONField(default=dict, blank=True)
    # At most one such job of its kind queued or running per owner (``job_start_once``).
    one_per_owner = models.BooleanField(default=False)
    # How to start it again (``job_restart``): the task's dotted path and its arguments other
    # than the job's and association's ids. Empty for kinds that cannot simply run again.
    task_path = models.CharField(max_length=200, blank=True)
    task_kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last sign of life: a progress report, or the worker's heartbeat while it runs.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["association", "owner", "-created_at"], name="job_owner")]
        constraints = [
            # Thirteen exports clicked in two seconds are one export (and one queue slot).
            models.UniqueConstraint(
                fields=["association", "owner", "kind"],
                condition=models.Q(one_per_owner=True, status__in=["queued", "running"]),
                name="job_one_unfinished_per_owner",
            )
        ]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def can_restart(self) -> bool:
        """Whether its owner may start it again as it was (``core.jobs.job_restart``): it
        failed, its kind runs again safely (started ``restartable``), and it still has its
        parameters (``prune_tasks`` empties them ``TASK_RETENTION_DAYS`` after it ended)."""
        kept_since = timezone.now() - timedelta(days=settings.TASK_RETENTION_DAYS)
        return (
            self.status == self.Status.FAILED
            and bool(self.task_path)
            and self.updated_at is not None
            and self.updated_at > kept_since
        )


class OutboxMessage(TenantModel):
    """The delivery log of the notification center (``core.notifications``): one row per
    message and channel (SMS, WeChat, email), written in the transaction that decides to send
    it and sent by a worker whose task carries only ids — the person's phone, address and the
    text stay in this tenant table under row-level security, never in the task queue. A
    failed attempt is tried again later (``next_attempt_at``, exponential backoff) up to
    ``MAX_ATTEMPTS``; then the row is ``failed`` and shows in the back office's 未送达 list.
    ``manage.py prune_tasks`` empties the personal content of rows older than
    ``TASK_RETENTION_DAYS``; the statuses stay as the log."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("未送达")

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        WECHAT = "wechat", _("微信")
        EMAIL = "email", _("邮件")

    kind = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.SMS)
    # The recipient by address, as callers know them (most representatives have no account);
    # no user key, which an account's deletion would have to follow into every association.
    # WeChat rows carry the phone: the bound account's openid is looked up when sending.
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    # The named parameters the channel's gateway takes (an SMS template's, WeChat keywords).
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=500, blank=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_message_id = models.CharField(max_length=100, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed the row (``sending``): a row sending for longer than
    # ``SENDING_LEASE`` belongs to a worker that stopped, and may be claimed again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["association", "-created_at"], name="outbox_time"),
            # The 未送达 list.
            models.Index(
                fields=["association", "-created_at"],
                condition=models.Q(status="failed"),
                name="outbox_failed",
            ),
        ]


class InboxMessage(TenantModel):
    """A message in a person's in-app inbox (站内通知): the text of the SMS or email they were
    sent through ``notify`` when they have an account, or an in-app-only message. Unread
    until they open the list (``read_at``). ``target_type``/``target_id`` name what it is
    about (``"events.event"`` and the event's id) without a key into the app that sent it:
    core points at no app's table."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # A default in the database too: events' migration 0005 copies its notices in with raw SQL
    # naming neither column, and on an upgraded database it may run after this table gained them.
    kind = models.CharField(max_length=64, blank=True, db_default="")  # core.notifications kind
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=200)
    text = models.CharField(max_length=500)
    link = models.CharField(
        max_length=500, blank=True, db_default=""
    )  # where it leads, if anywhere
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    # A person reads their own across associations (their inbox at /me/inbox/, their
    # personal-data export) and marks them read there.
    rls_person_field = "user"
    rls_person_updates = ("read_at",)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["association", "user", "-created_at"], name="inbox_user"),
            # The unread badge is counted on every member page with the tab bar.
            models.Index(
                fields=["association", "user"],
                condition=models.Q(read_at__isnull=True),
                name="inbox_unread",
            ),
            # The account-level inbox (every association) and its badge.
            models.Index(fields=["user", "-created_at"], name="inbox_person"),
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="inbox_person_unread",
            ),
        ]


class NotificationSettings(models.Model):
    """Platform table: one account's notification preferences, across every association it
    belongs to (``core.notify.preferences``). ``muted``: the "kind/channel" pairs it opted
    out of ("events.reminder/sms"); quiet hours in Asia/Shanghai time, during which messages
    wait until their end. Urgent kinds (one-time codes, invitations) ignore both."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    muted = models.JSONField(default=list, blank=True)
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class AudienceRule(TenantModel):
    """One rule of a chosen audience (``core.audience``): the thing it belongs to
    (``owner_type`` "events.event" and ``owner_id``) is for the people a ``kind`` registered
    by an app (a member level, a committee, the council …) and its ``target_id`` (the level's
    id; none for kinds such as the council) invite. No key points into the apps: each app
    registers its kinds in its ``AppConfig.ready``."""

    owner_type = models.CharField(max_length=64)
    owner_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=32)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["association", "owner_type", "owner_id"], name="audience_owner"),
        ]


class CacheVersion(TenantModel):
    """The current version of one kind of cached read of an association (``core.cache_versions``):
    ``name`` is the kind ("members", "levels" …), ``version`` a random number replaced by every
    write that changes what the kind's cached reads depend on."""

    name = models.CharField(max_length=40)
    version = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="cache_version_unique")
        ]


class StoredContent(TenantModel):  # type: ignore[django-manager-missing]
    """One stored object of an association (``core.storage``): bytes named by their SHA-256
    under the association's namespace, with the SHA-256 of each ``block_size`` block so that a
    download checks every block before sending it. Rows of other modules (a drive file's
    versions …) point at it; it is removed only when nothing does (``content_release``).
    ``corrupt_at`` is set when a read found bytes that no longer match."""

    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    block_size = models.PositiveIntegerField()
    block_sha256 = models.JSONField(default=list)
    store = models.CharField(max_length=16)  # the ContentStore's name when it was written
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    corrupt_at = models.DateTimeField(null=True, blank=True)
    # Set by ``content_release`` when no row referred to it any more; the object is removed
    # a grace period later if still nothing does. A new upload of the same bytes clears it.
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "sha256"], name="content_unique"),
        ]
        indexes = [
            models.Index(
                fields=["association", "released_at"],
                condition=models.Q(released_at__isnull=False),
                name="content_released",
            )
        ]

    @property
    def key(self) -> str:
        from shanghui.core.storage.stores import key_of, namespace_of

        return key_of(namespace_of(self.association_id), self.sha256)


class StoredFile(TenantModel):
    """One version of a file that a record of another module holds in a ``StoredFileField``
    (an event's cover, a member's logo, an application's licence, an export's result):
    its name as uploaded and the stored content it is. ``holder`` names the field
    ("events.event.cover") and ``record_id`` the record (a text: jobs have UUID keys; empty
    while stored and not yet attached). The record's field points at the current version;
    the others are kept versions (``replaced_at``) or in the trash (``deleted_at``) until the
    retention job removes them; import files and export results carry ``expires_at``
    (``core.storage.files``)."""

    content = models.ForeignKey(StoredContent, on_delete=models.PROTECT, related_name="files")
    holder = models.CharField(max_length=100)
    record_id = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["association", "holder", "record_id"], name="storedfile_record"),
            models.Index(
                fields=["association", "deleted_at"],
                condition=models.Q(deleted_at__isnull=False),
                name="storedfile_trash",
            ),
            models.Index(
                fields=["association", "expires_at"],
                condition=models.Q(expires_at__isnull=False),
                name="storedfile_expiry",
            ),
            # The library's list of other modules' kept versions (documents.module_files).
            models.Index(
                fields=["association", "replaced_at"],
                condition=models.Q(replaced_at__isnull=False),
                name="storedfile_replaced",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        """The name's extension, lower case, without the dot ("" when it has none)."""
        stem, dot, extension = self.name.rpartition(".")
        return extension.lower() if dot and stem else ""


class NumberSeries(TenantModel):
    """The last number issued in one series of an association's documents (``core.numbering``):
    one series per document ``kind`` ("dues.receipt", "charity.acknowledgement" …) and year,
    so receipts of 2026 run 2026-000001, 2026-000002 … and restart in 2027."""

    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "kind", "year"], name="number_series_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_number}"
