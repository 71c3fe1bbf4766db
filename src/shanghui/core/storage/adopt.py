"""Data migrations that move a module's files from a plain ``FileField`` (the default storage,
``var/media`` or the S3 bucket, under keys that name no association) into the content store
under ``a/<association_id>/`` with their checksums, as ``core.StoredFile`` rows.

Each app's migration renames its old field (``<name>_legacy``), adds the ``StoredFileField``,
runs ``files_adopt`` and removes the old field. It works on the migration's historical
models and the store directly — not on ``core.storage.files``, which follows today's models
— so it keeps working as they change. It runs as the owner role (row-level security does not
apply), every association at once, and reads each file once, in pieces.

The old files are left where they were: the migration copies, it does not delete, so a
migration rolled back or a file read wrongly loses nothing. Once ``manage.py verify_storage``
passes, the old media directory can be archived and removed (docs/deploy.md). A row whose
file is missing from the old storage is counted and reported, and its new field left empty —
the record then honestly holds no file rather than pointing at nothing.
"""

import logging
import sys
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from shanghui.core.storage.names import display_name
from shanghui.core.storage.stores import content_store, key_of, namespace_of

logger = logging.getLogger(__name__)

# The largest file a migration adopts: what the library itself accepts.
ADOPT_MAX_BYTES = 100 * 1024**3


def files_adopt(
    apps: Any,
    *,
    model: str,
    old: str,
    new: str,
    keeping: str = "versioned",
    association: str = "association_id",
) -> None:
    """Store every file ``<model>.<old>`` names and point ``<new>`` at it. ``model`` is
    "app_label.ModelName"; ``association`` the attribute holding the row's association id."""
    Model = apps.get_model(model)
    StoredContent = apps.get_model("core", "StoredContent")
    StoredFile = apps.get_model("core", "StoredFile")
    holder = f"{Model._meta.app_label}.{Model._meta.model_name}.{new}"
    expires = (
        timezone.now() + timedelta(days=settings.TASK_RETENTION_DAYS)
        if keeping == "expiring"
        else None
    )
    adopted = missing = 0
    # Read first, then written: SQLite does not isolate a query from writes to its table.
    rows = list(
        Model._base_manager.exclude(**{old: ""})
        .exclude(**{f"{old}__isnull": True})
        .order_by("pk")
        .values_list("pk", association, old)
    )
    for pk, association_id, name in rows:
        stored_id = file_adopt(
            StoredContent,
            StoredFile,
            association_id=association_id,
            name=str(name),
            holder=holder,
            record_id=str(pk),
            expires_at=expires,
        )
        if stored_id is None:
            missing += 1
            continue
        Model._base_manager.filter(pk=pk).update(**{f"{new}_id": stored_id})
        adopted += 1
    if adopted or missing:
        message = f"  {holder}: {adopted} file(s) moved into the content store"
        if missing:
            message += f", {missing} missing from the old storage (left empty, see the log)"
        print(message, file=sys.stderr)


def file_adopt(
    StoredContent: Any,
    StoredFile: Any,
    *,
    association_id: int,
    name: str,
    holder: str,
    record_id: str,
    expires_at: datetime | None = None,
) -> int | None:
    """Store the file the default storage holds as ``name`` for the association (its content
    found or made, the object written as every upload is) and make its ``StoredFile`` row;
    answers the row's id, or None when the file is not there. The model classes are the
    migration's (or, in a test, today's)."""
    store = content_store()
    namespace = namespace_of(association_id)
    try:
        with default_storage.open(name, "rb") as source:
            spool = store.spool(namespace, source, max_bytes=ADOPT_MAX_BYTES)
    except OSError as exc:  # FileNotFoundError among them
        logger.warning("%s of record %s: file %s not found (%s)", holder, record_id, name, exc)
        return None
    try:
        digest = spool.digest
        content, created = StoredContent.objects.get_or_create(
            association_id=association_id,
            sha256=digest.sha256,
            defaults={
                "size": digest.size,
                "block_size": digest.block_size,
                "block_sha256": list(digest.block_sha256),
                "store": store.name,
            },
        )
        if not created and content.released_at is not None:
            StoredContent.objects.filter(pk=content.pk).update(released_at=None)
        store.put(key_of(namespace, digest.sha256), spool)
    finally:
        spool.discard()
    stored = StoredFile.objects.create(
        association_id=association_id,
        content_id=content.pk,
        holder=holder,
        record_id=record_id,
        name=display_name(name.rsplit("/", 1)[-1]),
        expires_at=expires_at,
    )
    return int(stored.pk)
