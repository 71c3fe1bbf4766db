"""Which tables a backup holds, and the canonical form of their rows.

A row is written as one JSON array of its columns' values (the model's concrete fields, in
the model's order) in a form that does not depend on the database it was read from:
datetimes in UTC ISO 8601, decimals as their exact string, UUIDs with dashes, JSON values
with sorted keys, a file field as the name it stores. A table's fingerprint is the SHA-256 of
its rows in that form, one per line, ordered by primary key — so the same data gives the same
fingerprint on SQLite and on PostgreSQL, and a restore that reads back what it wrote can
prove it wrote exactly that.
"""

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from shanghui.core.tenancy import TenantModel

# Not in any backup, whatever its scope:
EXCLUDED_APPS = {
    "sessions": "会话：恢复后重新登录",
    "django_tasks_database": "任务队列：恢复时不重放旧任务",
    "axes": "登录失败锁定记录：短期安全记录",
    "contenttypes": "由 migrate 生成",
    "auth": "Django 的权限组（平台不使用；账号的 is_superuser/is_staff 在用户表中）",
}
EXCLUDED_MODELS = {
    "accounts.OneTimeCode": "一次性验证码：几分钟内失效",
    # Derived rows (some 40 per member): restore rebuilds them with ``search_index``, the
    # one writer of the search tokens, rather than carrying a million rows in the archive.
    "members.MemberSearchToken": "搜索词：恢复后由 search_index 重建",
    "members.PersonSearchToken": "搜索词：恢复后由 search_index 重建",
    "documents.FileSearchToken": "资料库搜索词：恢复后由 index_documents 重建",
}
# The commands that write the excluded derived rows again, run after a restore (each app's
# own; core names no app, so a command a platform lacks is passed over).
REBUILD_COMMANDS = ("search_index", "index_documents")
ASSOCIATION_LABEL = "associations.Association"


def _label(model: type[models.Model]) -> str:
    return str(model._meta.label)


def is_excluded(model: type[models.Model]) -> bool:
    return model._meta.app_label in EXCLUDED_APPS or _label(model) in EXCLUDED_MODELS


def included_models(*, platform: bool) -> list[type[models.Model]]:
    """The models whose rows a backup holds, in label order. The whole platform: every table
    but the excluded ones. One association: its tenant tables (every ``TenantModel``) and the
    association row; the users its rows point at are added by the backup (not listed here)."""
    chosen = [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and not is_excluded(model)
        and (platform or issubclass(model, TenantModel) or _label(model) == ASSOCIATION_LABEL)
    ]
    return sorted(chosen, key=_label)


def user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def column_names(model: type[models.Model]) -> list[str]:
    return [field.attname for field in columns(model)]


# --- canonical values ---------------------------------------------------------------------


def _datetime(value: datetime.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC)
    return value.isoformat()


def encoder(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """The canonical JSON value of what the ORM reads for ``field`` (None stays null)."""

    def encode(value: Any) -> Any:
        if value is None or isinstance(value, bool | int | str):
            return value
        if isinstance(value, datetime.datetime):
            return _datetime(value)
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return str(value)
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, datetime.timedelta):
            return value // datetime.timedelta(microseconds=1)
        if isinstance(value, bytes | memoryview):
            return bytes(value).hex()
        return str(value)

    if isinstance(field, models.JSONField):
        return lambda value: value  # already JSON; keys are sorted when the line is written
    return encode


def decoder(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """The Python value the ORM would hold for a canonical JSON value."""
    if isinstance(field, models.JSONField):
        return lambda value: value
    if isinstance(field, models.DurationField):
        return lambda value: None if value is None else datetime.timedelta(microseconds=value)
    if isinstance(field, models.BinaryField):
        return lambda value: None if value is None else bytes.fromhex(value)
    if isinstance(field, models.ForeignKey):
        return field.target_field.to_python
    return field.to_python


def line(values: Iterable[Any]) -> bytes:
    """One row's canonical line (UTF-8, ending in a newline)."""
    text = json.dumps(list(values), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode() + b"\n"


class Fingerprint:
    """Rows counted and hashed in the order given (by primary key)."""

    def __init__(self) -> None:
        self.rows = 0
        self._hash = hashlib.sha256()

    def add(self, row_line: bytes) -> None:
        self.rows += 1
        self._hash.update(row_line)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "sha256": self.sha256}
