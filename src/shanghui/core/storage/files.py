"""The files other modules' records hold (``StoredFileField``): stored, attached, replaced,
kept as versions, trashed, expired — one service for every module.

Storing and attaching are two steps, in the order ``core.storage.content`` explains:

1. ``file_store`` — with no transaction open — stores the bytes (``content_put``) and makes a
   ``StoredFile`` row not yet attached to any record;
2. ``file_attach`` — in the caller's transaction, with the record saved — points the record's
   field at it and retires the file it held before: kept as a version (``versioned``) or
   gone (``replaced`` and ``expiring`` fields).

A crash between the two leaves an unattached row, removed by ``files_expire`` a day later,
and its content released after that. Removing a file (``file_attach(record, field, None)``)
or a record (``files_discard``) puts a versioned field's files in the trash, from which only
the retention job (``files_expire``, after ``DOCUMENTS_TRASH_DAYS``) or an administrator's
purge removes them — never the quota.
"""

import mimetypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.core.models import StoredFile
from shanghui.core.storage.content import (
    ContentTooLarge,
    QuotaExceeded,
    content_put,
    content_response,
    size_label,
)
from shanghui.core.storage.fields import StoredFileField, stored_file_fields
from shanghui.core.storage.names import display_name
from shanghui.core.storage.stores import Readable
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Account, Tenant

# A stored file no record took within this is left over from an interrupted request.
UNATTACHED_GRACE = timedelta(days=1)

__all__ = [
    "content_type_of",
    "file_attach",
    "file_response",
    "file_restore",
    "file_store",
    "file_versions",
    "files_discard",
    "files_expire",
    "held_file",
    "holder_field",
    "store_refusals",
]


def content_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@contextmanager
def store_refusals(field: str) -> Iterator[None]:
    """The content store's refusals inside the block — the file too large, the association's
    quota reached — as a form's ValidationError on ``field``; nothing was kept."""
    try:
        yield
    except ContentTooLarge as error:
        raise ValidationError(
            {field: _("文件不能超过 %(size)s") % {"size": size_label(error.limit)}}
        ) from None
    except QuotaExceeded as error:
        raise ValidationError({field: error.message()}) from None


def holder_field(holder: str) -> StoredFileField:
    """The field a ``StoredFile.holder`` names ("events.event.cover"); ``LookupError`` when
    none does (a module not installed, a field since renamed)."""
    try:
        app_label, model_name, field_name = holder.split(".")
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    except (ValueError, FieldDoesNotExist):
        raise LookupError(holder) from None
    if not isinstance(field, StoredFileField):
        raise LookupError(holder)
    return field


def _field_of(record: models.Model, field_name: str) -> StoredFileField:
    field = record._meta.get_field(field_name)
    if not isinstance(field, StoredFileField):
        raise TypeError(f"{type(record).__name__}.{field_name} is not a StoredFileField")
    return field


def file_store(
    association: Tenant,
    source: Readable,
    *,
    holder: str,
    name: str,
    by: Account | None = None,
    max_bytes: int | None = None,
    check_quota: bool = True,
    check: Callable[[Path], object] | None = None,
) -> StoredFile:
    """Store the bytes ``source`` gives as a file for the field ``holder`` names, not yet
    attached. Call it with no transaction open (``content_put``); its errors —
    ``ContentTooLarge``, ``QuotaExceeded``, what ``check`` raises — leave nothing behind."""
    holder_field(holder)  # a typo is a bug, found here rather than by the expiry job
    content = content_put(
        association, source, max_bytes=max_bytes, check_quota=check_quota, check=check
    )
    with tenant_context(association):
        return StoredFile.objects.create(
            association_id=association.pk,
            content=content,
            holder=holder,
            name=display_name(name),
            created_by_id=by.pk if by is not None else None,
        )


def _retire(field: StoredFileField, file_id: int, *, now: datetime, removed: bool) -> None:
    """The file a record's field held is no longer its current one."""
    rows = StoredFile.objects.filter(pk=file_id)
    if field.keeping != "versioned":
        rows.delete()
    elif removed:
        rows.update(deleted_at=now)
    else:
        rows.update(replaced_at=now)


def file_attach(
    record: models.Model, field_name: str, stored: StoredFile | None, *, now: datetime | None = None
) -> None:
    """Make ``stored`` the file ``record.<field_name>`` holds (None: remove it), writing the
    field at once, and retire the one it held: a versioned field keeps it as a version (or
    in the trash, when removed); other fields let it go. Run inside the record's tenant
    context, in the transaction of the change it belongs to; the record must be saved."""
    if record.pk is None:
        raise ValueError("save the record before attaching a file to it")
    field = _field_of(record, field_name)
    now = now or timezone.now()
    previous_id = getattr(record, field.attname)
    new_id = stored.pk if stored is not None else None
    if previous_id == new_id:
        return
    with transaction.atomic():
        if stored is not None:
            if stored.holder != field.holder:
                raise ValueError(f"a file stored for {stored.holder} is not one of {field.holder}")
            expires = (
                now + timedelta(days=settings.TASK_RETENTION_DAYS)
                if field.keeping == "expiring"
                else None
            )
            taken = StoredFile.objects.filter(pk=stored.pk, record_id="").update(
                record_id=str(record.pk), expires_at=expires
            )
            if not taken:
                raise ValueError("this file is attached already")
            stored.record_id, stored.expires_at = str(record.pk), expires
        type(record)._base_manager.filter(pk=record.pk).update(**{field.attname: new_id})
        setattr(record, field.name, stored)
        if previous_id is not None:
            _retire(field, previous_id, now=now, removed=stored is None)


def held_file(association: Tenant, file_id: int | None) -> StoredFile | None:
    """The stored file a record's ``<field>_id`` names, with its content, in one query —
    looked up within ``association``, so a row naming another association's file serves
    nothing. None for none. The caller has checked the viewer against the record."""
    if file_id is None:
        return None
    with tenant_context(association):
        return (
            StoredFile.objects.filter(association_id=association.pk, pk=file_id)
            .select_related("content")
            .first()
        )


def file_versions(record: models.Model, field_name: str) -> list[StoredFile]:
    """The field's current file and its kept versions, newest first (not the trash)."""
    field = _field_of(record, field_name)
    return list(
        StoredFile.objects.filter(
            holder=field.holder, record_id=str(record.pk), deleted_at__isnull=True
        )
        .select_related("content")
        .order_by("-created_at", "-pk")
    )


def file_restore(
    record: models.Model, field_name: str, version: StoredFile, *, by: Account | None = None
) -> StoredFile:
    """Make a kept version current again — as a new version with the same content, so the
    history only grows and the one it replaces is kept too."""
    field = _field_of(record, field_name)
    if (
        version.holder != field.holder
        or version.record_id != str(record.pk)
        or version.deleted_at is not None
    ):
        raise ValueError("not a kept version of this record's file")
    with transaction.atomic():
        restored = StoredFile.objects.create(
            association_id=version.association_id,
            content_id=version.content_id,
            holder=version.holder,
            name=version.name,
            created_by_id=by.pk if by is not None else None,
        )
        file_attach(record, field_name, restored)
    return restored


def files_discard(record: models.Model, *, now: datetime | None = None) -> None:
    """The record is about to be deleted: its versioned files — current and kept versions —
    go to the trash, the others go. Call it in the deletion's transaction, before the
    ``delete()``."""
    now = now or timezone.now()
    for field in stored_file_fields(type(record)):
        rows = StoredFile.objects.filter(holder=field.holder, record_id=str(record.pk))
        if field.keeping == "versioned":
            rows.filter(deleted_at__isnull=True).update(deleted_at=now)
        else:
            if getattr(record, field.attname) is not None:
                type(record)._base_manager.filter(pk=record.pk).update(**{field.attname: None})
                setattr(record, field.name, None)
            rows.delete()


def files_expire(association: Tenant, *, now: datetime | None = None) -> int:
    """The retention job, for one association: removes expired import files and export
    results (emptying the field that holds them), trash older than ``DOCUMENTS_TRASH_DAYS``,
    and files stored but never attached. Their content is released by ``content_release``.
    Answers how many files were removed."""
    now = now or timezone.now()
    trash_before = now - timedelta(days=settings.DOCUMENTS_TRASH_DAYS)
    removed = 0
    with tenant_context(association), transaction.atomic():
        expired = StoredFile.objects.filter(association_id=association.pk, expires_at__lte=now)
        for holder, record_id in expired.values_list("holder", "record_id").distinct():
            field = holder_field(holder)
            field.model._base_manager.filter(pk=record_id).filter(
                **{f"{field.attname}__in": expired.filter(holder=holder).values("pk")}
            ).update(**{field.attname: None})
        removed += expired.delete()[0]
        removed += StoredFile.objects.filter(
            association_id=association.pk, deleted_at__lte=trash_before
        ).delete()[0]
        removed += StoredFile.objects.filter(
            association_id=association.pk, record_id="", created_at__lte=now - UNATTACHED_GRACE
        ).delete()[0]
    return removed


def file_response(
    association: Tenant, stored: StoredFile, *, inline: bool = False
) -> StreamingHttpResponse:
    """The file as a private download (``inline``: shown in the browser), verified block by
    block as it is sent (``content_response``). The caller has checked the viewer."""
    return content_response(
        association,
        stored.content,
        filename=stored.name,
        content_type=content_type_of(stored.name),
        inline=inline,
    )
