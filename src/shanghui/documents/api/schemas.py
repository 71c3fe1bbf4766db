"""Request and response bodies of the library's API (names unique across the API)."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictInt

from shanghui.core.audience import AudienceIn


class DocumentsUsageOut(Schema):
    used: int = Field(..., description="已用字节（含回收站中的文件与历史版本）")
    quota: int = Field(..., description="容量（字节）")
    percent: int


class FolderOut(Schema):
    id: int
    name: str
    parent_id: int | None
    audience: str = Field(
        ..., description="staff（仅秘书处）、members（全体会员）或 rules（指定范围）"
    )
    created_at: datetime
    deleted_at: datetime | None = None


class FolderDetailOut(FolderOut):
    path: list[FolderOut] = Field(..., description="从根文件夹到此文件夹")
    audience_rules: AudienceIn | None = Field(
        None, description="audience 为 rules 时的范围（仅秘书处可见）"
    )


class FolderCreateIn(Schema):
    parent_id: StrictInt
    name: str
    template: str = Field("", description="空、year（年度）或 meeting（会议）：同时建好子文件夹")
    audience: str | None = Field(None, description="默认同上级文件夹")


class FolderUpdateIn(Schema):
    name: str | None = None
    parent_id: StrictInt | None = Field(None, description="移动到此文件夹下")
    audience: str | None = None
    audience_rules: AudienceIn | None = Field(None, description="audience 为 rules 时必填")


class PurgedOut(Schema):
    files: int = Field(..., description="彻底删除的文件数")


class VersionOut(Schema):
    file_id: int
    number: int
    size: int
    created_at: datetime
    uploaded_by: str = Field("", description="上传人姓名")
    restored_from: int | None = Field(None, description="由哪个版本恢复而来")
    sha256: str


class DriveFileOut(Schema):
    id: int
    name: str
    folder_id: int
    size: int
    content_type: str
    version_count: int
    current_version: int | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class FileUpdateIn(Schema):
    name: str | None = None
    folder_id: StrictInt | None = Field(None, description="移动到此文件夹")


class DocumentsTrashOut(Schema):
    folders: list[FolderOut]
    files: list[DriveFileOut]


class ShareIn(Schema):
    days: StrictInt = Field(7, description="有效期（1–30 天）")
    password: str = Field("", description="提取密码，可为空")


class ShareOut(Schema):
    id: int
    file_id: int
    expires_at: datetime
    revoked_at: datetime | None
    has_password: bool
    downloads: int
    created_at: datetime
    state: str = Field(..., description="open、expired、revoked 或 deleted")


class ShareCreatedOut(ShareOut):
    share_token: str = Field(..., description="链接中的令牌，只在创建时返回一次")
    url: str


class ModuleFileOut(Schema):
    id: int = Field(..., description="stored_file_id")
    name: str
    size: int
    content_type: str
    sha256: str
    state: str = Field(
        ..., description="trash（回收站）、version（历史版本）或 current（当前文件）"
    )
    holder: str = Field(..., description="所属字段，如 events.event.cover")
    field_label: str = Field(..., description="所属字段的名称，如“活动封面”")
    model_label: str = Field(..., description="所属记录的类型，如“活动”")
    record_id: str
    record_label: str = Field("", description="所属记录（仍存在时）")
    record_exists: bool
    created_at: datetime
    created_by: str = Field("", description="上传人姓名")
    replaced_at: datetime | None = None
    replaced_by: str = Field("", description="替换人姓名（已知时）")
    deleted_at: datetime | None = None
    removes_at: datetime | None = Field(None, description="回收站自动清除的时间")


class ModuleFileSaveIn(Schema):
    folder_id: StrictInt | None = Field(None, description="存入此文件夹；默认根文件夹")
    name: str = Field("", description="文件名；默认原文件名。同名文件已存在时存为其新版本")
