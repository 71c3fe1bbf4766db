"""The document library's tables. All but ``UploadSession`` are tenant tables; the bytes
are ``core.StoredContent`` rows, which a version points at (``PROTECT``: content is never
removed while a version — in the trash or not — refers to it)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shanghui.core.chinese import SEARCH_TOKEN_LENGTH
from shanghui.core.models import StoredContent
from shanghui.core.tenancy import TenantModel
from shanghui.members.models import SearchKeyField


class Folder(TenantModel):
    """A folder. Each association has one root (``parent`` empty), created on first use;
    every other folder has a parent. ``audience`` says who besides the secretariat sees it
    (and so everything inside it): only the secretariat, every member, or the people its
    audience rules invite (``core.audience``, owner "documents.folder") — a person sees a
    folder only if they also see its parent."""

    class Audience(models.TextChoices):
        STAFF = "staff", _("仅秘书处")
        MEMBERS = "members", _("全体会员")
        RULES = "rules", _("指定范围")

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=120)
    audience = models.CharField(
        _("可见范围"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # In the trash since then (with everything inside it); restored by clearing it.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association"], condition=Q(parent__isnull=True), name="folder_one_root"
            ),
            models.UniqueConstraint(
                fields=["association", "parent", "name"],
                condition=Q(deleted_at__isnull=True),
                name="folder_unique_name",
            ),
        ]
        indexes = [models.Index(fields=["association", "parent", "name"], name="folder_parent")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_root(self) -> bool:
        return self.parent_id is None


class DriveFile(TenantModel):
    """A file of the library: a name in a folder whose bytes are its latest version. Uploading
    under a name that is already there adds a version (``version_count`` is the last number
    taken, by a conditional UPDATE; the versions' unique number makes two uploads at the same
    moment two versions, never a lost update)."""

    folder = models.ForeignKey(Folder, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=200)
    search_text = models.CharField(max_length=1200, blank=True)
    version_count = models.PositiveIntegerField(default=0)
    current = models.ForeignKey(
        "FileVersion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    size = models.PositiveBigIntegerField(default=0)  # of the current version
    content_type = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "folder", "name"],
                condition=Q(deleted_at__isnull=True),
                name="drive_file_unique_name",
            )
        ]
        indexes = [
            models.Index(fields=["association", "folder", "name"], name="drive_file_folder"),
            models.Index(
                fields=["association", "deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="drive_file_trash",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        dot = self.name.rfind(".")
        return self.name[dot + 1 :].lower() if dot > 0 else ""


class FileVersion(TenantModel):
    """One version of a file: its bytes as they were uploaded (or restored) then."""

    class Preview(models.TextChoices):
        NONE = "none", _("不预览")
        PENDING = "pending", _("生成中")
        READY = "ready", _("可预览")
        FAILED = "failed", _("无法预览")

    file = models.ForeignKey(DriveFile, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    content = models.ForeignKey(
        StoredContent, on_delete=models.PROTECT, related_name="drive_versions"
    )
    size = models.PositiveBigIntegerField()
    # Restoring version 1 adds a version with its bytes: the history only grows.
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    preview = models.ForeignKey(
        StoredContent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drive_previews",
    )
    preview_status = models.CharField(max_length=10, choices=Preview.choices, default=Preview.NONE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "file", "number"], name="file_version_unique"
            )
        ]
        ordering = ["-number"]


class ShareLink(TenantModel):
    """A link that lets anyone holding it (and the password, if one is set) download one file
    until it expires or is revoked. Only the token's SHA-256 is stored."""

    file = models.ForeignKey(DriveFile, on_delete=models.CASCADE, related_name="+")
    token_sha256 = models.CharField(max_length=64)
    password_hash = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["association", "file"], name="share_link_file")]
        constraints = [
            models.UniqueConstraint(fields=["association", "token_sha256"], name="share_link_token")
        ]


class FileSearchToken(TenantModel):
    """One key under which a search finds a file (``core.chinese.search_tokens`` of its name:
    the Simplified characters, the pinyin from each syllable, the initials), as the member
    directory finds members: a range of this primary key is an index condition even under
    row-level security. Derived data, written by ``services.files`` with the file's name."""

    pk = models.CompositePrimaryKey("association", "key", "file")
    key = SearchKeyField(max_length=SEARCH_TOKEN_LENGTH)
    file = models.ForeignKey(
        DriveFile, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        indexes = [models.Index(fields=["association", "file"], name="file_token_file")]


class UploadSession(models.Model):
    """A resumable upload in progress (the tus protocol, ``documents.uploads``): the bytes
    arrive in chunks into a file of the upload directory, each chunk written outside any
    transaction and recorded here in a short one (``offset``).

    Platform-wide table: its chunks are sent to ``/uploads/<id>/``, outside any association's
    door, so that no request holds a tenant transaction while a phone sends megabytes. It
    holds no personal data (a file name, sizes, ids); the id is an unguessable UUID and only
    the account that started the upload may continue it. The file's rows are written in the
    association's tenant context once the last chunk is in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    folder_id = models.PositiveBigIntegerField()
    filename = models.CharField(max_length=200)
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    # The version the finished upload became (its id), once it is in the library.
    version_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="upload_session_expiry")]
