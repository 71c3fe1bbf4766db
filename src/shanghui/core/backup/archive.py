"""Writing a backup: one zip archive, streamed (rows and files pass through in pieces; the
archive is never whole in memory), written as ``<output>.partial`` and renamed when complete.

Layout::

    manifest.json                   scope, migrations, per table columns/rows/sha256,
                                    per file sha256/size, problems
    rows/<app>.<Model>.jsonl        one canonical line per row, by primary key (tables.line)
    content/a/<id>/<sh>/<sha256>    every StoredContent object of the association(s) — every
                                    file of every module (``core.storage``)
"""

import datetime
import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.recorder import MigrationRecorder

from shanghui.core.backup import tables
from shanghui.core.backup.snapshot import owner_role_check, snapshot
from shanghui.core.models import StoredContent
from shanghui.core.storage.stores import ContentMissing, content_store, key_of, namespace_of
from shanghui.core.tenancy import TenantModel, scopes_disabled, tenant_context
from shanghui.core.types import Tenant

FORMAT = "shanghui-backup"
VERSION = 1
MANIFEST = "manifest.json"
PIECE = 1024 * 1024
ID_CHUNK = 1000


class BackupError(Exception):
    """The backup or restore cannot be made; the message says why and what to do."""


@dataclass
class _Writer:
    zf: zipfile.ZipFile
    alias: str
    association: Tenant | None
    manifest: dict[str, Any]
    user_ids: set[int] = field(default_factory=set)
    other_associations: set[int] = field(default_factory=set)
    skipped_content: set[int] = field(default_factory=set)

    # --- files ---------------------------------------------------------------------------

    def _member(self, name: str, pieces: Iterator[bytes]) -> None:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED  # pictures and documents are compressed already
        digest = hashlib.sha256()
        size = 0
        with self.zf.open(info, "w", force_zip64=True) as out:
            for piece in pieces:
                digest.update(piece)
                size += len(piece)
                out.write(piece)
        self.manifest["files"][name] = {"sha256": digest.hexdigest(), "size": size}

    def content(self) -> None:
        """Every stored object of the scope. A row whose object is missing and that nothing
        refers to is an upload still between its two steps (row, then object) or content
        being released: it is left out. A referred-to row's object is never missing unless
        storage lost it — that is a problem the backup reports."""
        store = content_store()
        rows = StoredContent.objects.using(self.alias).order_by("pk")
        if self.association is not None:
            rows = rows.filter(association_id=self.association.pk)
        for content in rows.iterator(chunk_size=2000):
            key = key_of(namespace_of(content.association_id), content.sha256)
            blocks = store.blocks(key, PIECE)
            try:
                first = next(blocks, b"")
            except ContentMissing:
                if self._unreferenced(content):
                    self.skipped_content.add(content.pk)
                else:
                    self.manifest["problems"].append(f"缺少存储对象 {key}")
                continue
            self._member(f"content/{key}", _chain(first, blocks))
            found = self.manifest["files"][f"content/{key}"]["sha256"]
            if found != content.sha256:
                self.manifest["problems"].append(f"存储对象已损坏 {key}（实际 {found}）")

    def _unreferenced(self, content: StoredContent) -> bool:
        query = StoredContent.objects.using(self.alias).filter(pk=content.pk)
        for relation in StoredContent._meta.related_objects:
            if isinstance(relation, models.ForeignObjectRel) and not relation.many_to_many:
                query = query.filter(**{f"{relation.name}__isnull": True})
        return query.exists()

    # --- rows ----------------------------------------------------------------------------

    def table(self, model: type[models.Model], rows: Iterator[tuple[Any, ...]]) -> None:
        label = tables._label(model)
        fields = tables.columns(model)
        encoders = [tables.encoder(f) for f in fields]
        users = [i for i, f in enumerate(fields) if _points_at(f, tables.user_model())]
        associations = [
            i
            for i, f in enumerate(fields)
            if _points_at(f, _association_model()) and f.name != "association"
        ]
        content_table = model is StoredContent
        fingerprint = tables.Fingerprint()
        info = zipfile.ZipInfo(f"rows/{label}.jsonl", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.zf.open(info, "w", force_zip64=True) as out:
            for row in rows:
                if content_table and row[0] in self.skipped_content:
                    continue
                for i in users:
                    if row[i] is not None:
                        self.user_ids.add(row[i])
                for i in associations:
                    if row[i] is not None:
                        self.other_associations.add(row[i])
                encoded = tables.line(
                    encode(value) for encode, value in zip(encoders, row, strict=True)
                )
                fingerprint.add(encoded)
                out.write(encoded)
        self.manifest["tables"][label] = {
            "table": model._meta.db_table,
            "columns": [f.attname for f in fields],
            **fingerprint.as_dict(),
        }

    def rows_of(self, model: type[models.Model]) -> Iterator[tuple[Any, ...]]:
        manager = model.objects if issubclass(model, TenantModel) else model._base_manager
        query = manager.using(self.alias).order_by("pk")
        if self.association is not None:
            if issubclass(model, TenantModel):
                query = query.filter(association_id=self.association.pk)
            elif model is _association_model():
                query = query.filter(pk=self.association.pk)
        yield from query.values_list(*tables.column_names(model)).iterator(chunk_size=2000)

    def users_of_association(self) -> Iterator[tuple[Any, ...]]:
        model = tables.user_model()
        ids = sorted(self.user_ids)
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start : start + ID_CHUNK]
            yield from (
                model._base_manager.using(self.alias)
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list(*tables.column_names(model))
            )


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _association_model() -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(tables.ASSOCIATION_LABEL)


def _points_at(field: models.Field[Any, Any], model: type[models.Model]) -> bool:
    return bool(field.many_to_one or field.one_to_one) and field.related_model is model


def applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def backup_write(output: Path, *, association: Tenant | None = None) -> dict[str, Any]:
    """Write the backup of the whole platform (``association=None``) or of one association
    to ``output``; answer its manifest. Reads everything from one snapshot (``snapshot``):
    one association's inside its ``tenant_context`` (on PostgreSQL its row-level security
    applies, whatever role runs it), the whole platform as a role that sees every row (the
    owner, as for migrate) — refused otherwise, since row-level security would silently
    leave rows out. Problems (a file missing or corrupt) are listed in the manifest; the
    archive is still complete for everything else."""
    output = Path(output)
    if association is None and (role := owner_role_check()):
        raise BackupError(
            f"整个平台的备份需要能读取所有商协会数据的数据库角色（表的所有者，BYPASSRLS，"
            f"与 migrate 相同）；当前角色 {role} 受行级安全限制。"
        )
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": connections[DEFAULT_DB_ALIAS].vendor,
        "scope": "platform" if association is None else "association",
        "association": None,
        "migrations": applied_migrations(),
        "excluded": {**tables.EXCLUDED_APPS, **tables.EXCLUDED_MODELS},
        "tables": {},
        "files": {},
        "problems": [],
    }
    partial = output.with_name(output.name + ".partial")
    try:
        with open(partial, "wb") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
                _write(zf, manifest, association, output.parent)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _write(
    zf: zipfile.ZipFile, manifest: dict[str, Any], association: Tenant | None, scratch: Path
) -> None:
    platform = association is None
    with ExitStack() as stack:
        alias = stack.enter_context(snapshot(scratch))
        stack.enter_context(
            scopes_disabled() if association is None else tenant_context(association)
        )
        writer = _Writer(zf, alias, association, manifest)
        writer.content()
        for model in tables.included_models(platform=platform):
            writer.table(model, writer.rows_of(model))
        if association is not None:
            writer.table(tables.user_model(), writer.users_of_association())
            model = _association_model()
            manifest["association"] = {"id": association.pk, "slug": association.slug}
            others = sorted(writer.other_associations - {association.pk})
            manifest["other_associations"] = {
                str(pk): slug
                for pk, slug in model._base_manager.using(alias)
                .filter(pk__in=others)
                .values_list("pk", "slug")
            }
    info = zipfile.ZipInfo(MANIFEST, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
