"""Restoring a backup written by ``archive.backup_write``.

- **The whole platform** goes into an empty database (migrated, with no association and no
  user): every table of the archive is emptied (what migrations seeded, such as the privacy
  notice) and filled with the archive's rows, ids kept.
- **One association** goes into any platform, touching no one else: its rows are written
  with its own association id only; the people its rows point at are merged by phone (an
  account the platform already has is used as it is, never changed; an account it does not
  have is created); the names and credit code of other associations are never taken over
  (a restore that would is refused). Ids are kept by default and the restore is refused,
  naming the tables, when any is taken; ``into_new_ids`` gives every row a new id and
  rewrites every foreign key (and the ``<x>_type``/``<x>_id`` pairs that name a row of the
  archive) to match.

Files first, rows after (as ``content_put`` does): content objects are
stored — each checked against the archive's SHA-256 — before the one transaction that writes
every row, so a committed row never points at a file that is not there. A restore that fails
leaves no row behind (the objects it stored are named by their hash, and nothing refers to
them). Before the commit, every table written is read back and its fingerprint compared with
that of the rows written; and every table read from the archive is checked against the
manifest's fingerprint.
"""

import contextlib
import json
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from shanghui.core.backup import numbering, tables
from shanghui.core.backup.archive import (
    FORMAT,
    ID_CHUNK,
    MANIFEST,
    BackupError,
    applied_migrations,
)
from shanghui.core.backup.snapshot import owner_role_check
from shanghui.core.storage.stores import content_store
from shanghui.core.tenancy import scopes_disabled, tenant_context

BATCH = 500


@dataclass
class RestoreResult:
    scope: str
    association_id: int | None
    # Per model label, the ids that changed: {archive id: id in this platform}.
    maps: dict[str, dict[Any, Any]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    users_merged: int = 0
    users_created: int = 0
    dropped: list[str] = field(default_factory=list)
    search_seconds: float = 0.0


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError("这不是云商会的备份文件（缺少 manifest.json）。") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != 1:
        raise BackupError("这不是本版本能读取的云商会备份文件。")
    return manifest


def backup_restore(path: Path, *, into_new_ids: bool = False) -> RestoreResult:
    """Restore the archive at ``path`` (see the module's docstring for what it guarantees).
    On PostgreSQL it runs as the tables' owner, as migrate does: it writes platform rows and
    sets sequences, which the application role may not."""
    if role := owner_role_check():
        raise BackupError(
            f"恢复需要以表的所有者角色运行（与 migrate 相同）；当前角色 {role} 不能设置序列。"
        )
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        _check_compatible(manifest)
        restore = _Restore(archive, manifest)
        if manifest["scope"] == "platform":
            if into_new_ids:
                raise BackupError(
                    "--into-new-ids 只用于单个商协会的备份；整个平台恢复到空数据库，保留原编号。"
                )
            result = restore.platform()
        else:
            result = restore.association(into_new_ids=into_new_ids)
    started = time.monotonic()
    _rebuild_search(result, manifest)
    result.search_seconds = time.monotonic() - started
    return result


def _check_compatible(manifest: dict[str, Any]) -> None:
    here = set(applied_migrations())
    there = set(manifest["migrations"])
    if here != there:
        missing = sorted(there - here)[:5]
        extra = sorted(here - there)[:5]
        raise BackupError(
            "备份与本数据库的结构版本不同，"
            "请用与备份时相同版本的程序恢复（先 migrate 到同一版本）。"
            f" 本库缺少：{', '.join(missing) or '无'}；本库多出：{', '.join(extra) or '无'}。"
        )
    for label, entry in manifest["tables"].items():
        model = apps.get_model(label)
        if tables.column_names(model) != entry["columns"]:
            raise BackupError(f"表 {label} 的列与备份不同：请用与备份时相同版本的程序恢复。")


def _rebuild_search(result: RestoreResult, manifest: dict[str, Any]) -> None:
    """Search tokens are derived rows, not in the archive: written again by the commands that
    write them (the members app's and the library's; core names no app)."""
    options: dict[str, Any] = {"verbosity": 0}
    if result.association_id is not None:
        model = apps.get_model(tables.ASSOCIATION_LABEL)
        options["association"] = model._base_manager.get(pk=result.association_id).slug
    for command in tables.REBUILD_COMMANDS:
        with contextlib.suppress(CommandError):  # a platform without that app
            call_command(command, **options)


# --- rows ---------------------------------------------------------------------------------


def _rows(archive: zipfile.ZipFile, manifest: dict[str, Any], label: str) -> Iterator[list[Any]]:
    """The archive's rows of one table, checked against the manifest as they are read (a
    damaged archive raises before the transaction commits)."""
    fingerprint = tables.Fingerprint()
    with archive.open(f"rows/{label}.jsonl") as handle:
        for raw in handle:
            fingerprint.add(raw)
            yield json.loads(raw)
    expected = manifest["tables"][label]
    if (fingerprint.rows, fingerprint.sha256) != (expected["rows"], expected["sha256"]):
        raise BackupError(f"备份文件已损坏：表 {label} 的内容与清单不符。")


class _Inserter:
    """Writes canonical rows of one model with plain INSERTs (no ``save()``, no signals, no
    ``auto_now``: every value is the archive's), and fingerprints what it wrote."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = tables.columns(model)
        self.decoders = [tables.decoder(f) for f in self.fields]
        self.connection = connections[DEFAULT_DB_ALIAS]
        names = ", ".join(numbering.quote(str(f.column)) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        # Names from the models, quoted; the values are parameters.
        table = numbering.quote(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        self.batch: list[list[Any]] = []
        self.written = tables.Fingerprint()

    def add(self, row: list[Any]) -> None:
        self.written.add(tables.line(row))
        self.batch.append(
            [
                f.get_db_prep_save(decode(value), self.connection)
                for f, decode, value in zip(self.fields, self.decoders, row, strict=True)
            ]
        )
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, self.batch)
            self.batch = []


def _read_back(model: type[models.Model], query: models.QuerySet[Any]) -> tables.Fingerprint:
    encoders = [tables.encoder(f) for f in tables.columns(model)]
    fingerprint = tables.Fingerprint()
    for row in (
        query.order_by("pk").values_list(*tables.column_names(model)).iterator(chunk_size=2000)
    ):
        fingerprint.add(
            tables.line(encode(value) for encode, value in zip(encoders, row, strict=True))
        )
    return fingerprint


def _check_written(label: str, written: tables.Fingerprint, read: tables.Fingerprint) -> None:
    if written.as_dict() != read.as_dict():
        raise BackupError(
            f"恢复后读回的表 {label} 与写入的不一致（{read.rows}/{written.rows} 行）。"
        )


# --- files --------------------------------------------------------------------------------


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name or "\x00" in name:
        raise BackupError(f"备份文件中的文件名不安全：{name!r}")
    return name


class _Restore:
    def __init__(self, archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
        self.archive = archive
        self.manifest = manifest

    # files

    def content(self, namespaces: dict[str, str]) -> None:
        """Store every content object, under its association's namespace in this platform
        (``namespaces``: the archive's ``a/<id>`` → this platform's)."""
        store = content_store()
        for name, entry in sorted(self.manifest["files"].items()):
            if not name.startswith("content/"):
                continue
            key = _safe_name(name.removeprefix("content/"))
            namespace, rest = key.rsplit("/", 2)[0], "/".join(key.rsplit("/", 2)[1:])
            target = f"{namespaces.get(namespace, namespace)}/{rest}"
            with self.archive.open(name) as source:
                spool = store.spool(target.rsplit("/", 2)[0], source, max_bytes=2**62)
            if spool.digest.sha256 != entry["sha256"]:
                spool.discard()
                raise BackupError(f"备份文件已损坏：{name} 的内容与清单不符。")
            store.put(target, spool)

    # the whole platform

    def platform(self) -> RestoreResult:
        association_model = apps.get_model(tables.ASSOCIATION_LABEL)
        with scopes_disabled():
            if (
                association_model._base_manager.exists()
                or tables.user_model()._base_manager.exists()
            ):
                raise BackupError(
                    "整个平台只能恢复到空数据库（已 migrate、没有商协会和用户）；"
                    "要恢复单个商协会，请使用单个商协会的备份。"
                )
        self.content({})
        result = RestoreResult(scope="platform", association_id=None)
        written: list[type[models.Model]] = []
        with scopes_disabled(), transaction.atomic():
            labels = sorted(self.manifest["tables"])
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                for label in labels:  # rows migrations seeded (the privacy notice …)
                    table = numbering.quote(apps.get_model(label)._meta.db_table)
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's table
            for label in labels:
                model = apps.get_model(label)
                inserter = _Inserter(model)
                for row in _rows(self.archive, self.manifest, label):
                    inserter.add(row)
                inserter.flush()
                _check_written(label, inserter.written, _read_back(model, model._base_manager))
                result.rows[label] = inserter.written.rows
                written.append(model)
            numbering.reset_sequences(written)
        return result

    # one association

    def association(self, *, into_new_ids: bool) -> RestoreResult:
        model = apps.get_model(tables.ASSOCIATION_LABEL)
        user_model = tables.user_model()
        association_label = tables.ASSOCIATION_LABEL
        user_label = str(user_model._meta.label)
        (row,) = list(_rows(self.archive, self.manifest, association_label))
        columns = self.manifest["tables"][association_label]["columns"]
        values = dict(zip(columns, row, strict=True))
        old_id = values["id"]
        for unique in ("slug", "name", "uscc"):
            if model._base_manager.filter(**{unique: values[unique]}).exists():
                raise BackupError(
                    f"本平台已有{unique}为 {values[unique]!r} 的商协会；"
                    "单个商协会的恢复不会覆盖或改动其他商协会。"
                )
        tenant_labels = [
            label
            for label in sorted(self.manifest["tables"])
            if label not in {association_label, user_label}
        ]
        if not into_new_ids:
            self._refuse_taken_ids(old_id, tenant_labels)
            new_id = old_id
        else:
            new_id = numbering.new_ids(model, 1)[0]
        self.content({f"a/{old_id}": f"a/{new_id}"})
        result = RestoreResult(scope="association", association_id=new_id)
        with transaction.atomic(), scopes_disabled():
            maps: dict[str, dict[Any, Any]] = {association_label: {old_id: new_id}}
            maps[user_label] = self._users(result)
            if into_new_ids:
                for label in tenant_labels:
                    maps[label] = self._new_id_map(apps.get_model(label))
            result.maps = {
                label: {k: v for k, v in m.items() if k != v} for label, m in maps.items()
            }
            context = numbering.Translation(maps, old_id, new_id, self._other_associations())
            inserter = _Inserter(model)
            inserter.add(context.translator(model)(row))  # type: ignore[arg-type]
            inserter.flush()
            _check_written(
                association_label,
                inserter.written,
                _read_back(model, model._base_manager.filter(pk=new_id)),
            )
            association = model._base_manager.get(pk=new_id)
            written: list[type[models.Model]] = [model, user_model]
            with tenant_context(association):
                for label in tenant_labels:
                    tenant_model = apps.get_model(label)
                    translate = context.translator(tenant_model)
                    inserter = _Inserter(tenant_model)
                    for archived in _rows(self.archive, self.manifest, label):
                        translated = translate(archived)
                        if translated is None:
                            result.dropped.append(
                                f"{label} {archived[numbering.pk_index(tenant_model)]}"
                            )
                            continue
                        inserter.add(translated)
                    inserter.flush()
                    _check_written(
                        label,
                        inserter.written,
                        _read_back(
                            tenant_model,
                            tenant_model._base_manager.filter(association_id=new_id),
                        ),
                    )
                    result.rows[label] = inserter.written.rows
                    written.append(tenant_model)
            numbering.reset_sequences(written)
        return result

    def _refuse_taken_ids(self, old_id: int, labels: list[str]) -> None:
        """Refuses, naming the tables, when any archived id is taken here; else moves the
        sequences past the archived ids before anything is written."""
        taken: list[str] = []
        highest: dict[type[models.Model], int] = {apps.get_model(tables.ASSOCIATION_LABEL): old_id}
        if apps.get_model(tables.ASSOCIATION_LABEL)._base_manager.filter(pk=old_id).exists():
            taken.append(f"{tables.ASSOCIATION_LABEL}（1）")
        with scopes_disabled():
            for label in labels:
                model = apps.get_model(label)
                pk = numbering.pk_index(model)
                ids = [row[pk] for row in _rows(self.archive, self.manifest, label)]
                if found := numbering.taken_ids(model, ids):
                    taken.append(f"{label}（{len(found)}）")
                if ids and not numbering.is_uuid_pk(model):
                    highest[model] = max(ids)
        if taken:
            raise BackupError(
                "本平台已有与备份相同编号（id）的记录："
                + "、".join(taken)
                + "。请加 --into-new-ids 以新编号恢复（外键随之改写），不会改动已有数据。"
            )
        numbering.advance_sequences(highest)

    def _new_id_map(self, model: type[models.Model]) -> dict[Any, Any]:
        label = str(model._meta.label)
        pk = numbering.pk_index(model)
        ids = [row[pk] for row in _rows(self.archive, self.manifest, label)]
        if numbering.is_uuid_pk(model):  # random: kept unless taken (a job's id named by an import)
            taken = numbering.taken_ids(model, ids)
            return {old: (str(uuid.uuid4()) if old in taken else old) for old in ids}
        return dict(zip(ids, numbering.new_ids(model, len(ids)), strict=True))

    def _users(self, result: RestoreResult) -> dict[Any, Any]:
        """The archive's users in this platform: the account with the same phone where there
        is one (left as it is), else a new account — with its archived id when free."""
        model = tables.user_model()
        label = str(model._meta.label)
        columns = self.manifest["tables"][label]["columns"]
        pk, phone = columns.index("id"), columns.index(model.USERNAME_FIELD)  # type: ignore[attr-defined]
        rows = list(_rows(self.archive, self.manifest, label))
        phones = [row[phone] for row in rows if row[phone]]
        existing: dict[str, int] = {}
        for start in range(0, len(phones), ID_CHUNK):
            existing.update(
                model._base_manager.filter(phone__in=phones[start : start + ID_CHUNK]).values_list(
                    "phone", "pk"
                )
            )
        mapping: dict[Any, Any] = {}
        new_rows = []
        for row in rows:
            if row[phone] and row[phone] in existing:
                mapping[row[pk]] = existing[row[phone]]
                result.users_merged += 1
            else:
                new_rows.append(row)
        taken = numbering.taken_ids(model, [row[pk] for row in new_rows])
        kept = {row[pk] for row in new_rows} - taken
        # Ids for the accounts whose archived id is taken, none of them one a kept account
        # is about to be written with.
        fresh = iter(
            [i for i in numbering.new_ids(model, len(taken) + len(kept)) if i not in kept]
            if taken
            else []
        )
        if kept:
            numbering.advance_sequences({model: max(kept)})
        inserter = _Inserter(model)
        unique = _unique_user_columns(model, columns)
        for row in new_rows:
            mapping[row[pk]] = next(fresh) if row[pk] in taken else row[pk]
            row = list(row)
            row[pk] = mapping[row[pk]]
            for index in unique:  # a WeChat binding the platform has for someone else
                if (
                    row[index]
                    and model._base_manager.filter(**{columns[index]: row[index]}).exists()
                ):
                    row[index] = ""
            inserter.add(row)
            result.users_created += 1
        inserter.flush()
        return mapping

    def _other_associations(self) -> set[int]:
        """Ids of other associations the archive's rows name that are the same association
        here (same id and slug): restoring into the platform the backup came from."""
        model = apps.get_model(tables.ASSOCIATION_LABEL)
        named = {int(pk): slug for pk, slug in self.manifest.get("other_associations", {}).items()}
        here = dict(model._base_manager.filter(pk__in=list(named)).values_list("pk", "slug"))
        return {pk for pk, slug in named.items() if here.get(pk) == slug}


def _unique_user_columns(model: type[models.Model], columns: list[str]) -> list[int]:
    names = set()
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and len(constraint.fields) == 1:
            names.add(constraint.fields[0])
    return [columns.index(name) for name in sorted(names) if name in columns]
