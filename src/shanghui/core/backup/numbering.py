"""Ids in a restore: taking new ones, moving sequences, and rewriting an archived row for
this platform (its primary key, its foreign keys, the ``<x>_type``/``<x>_id`` pairs and the
audience rules' targets and the stored files' records that name a row of the archive)."""

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models

from shanghui.core.audience import audience_kind
from shanghui.core.backup import tables
from shanghui.core.backup.archive import ID_CHUNK
from shanghui.core.models import AudienceRule, StoredFile
from shanghui.core.storage.files import holder_field


def pk_index(model: type[models.Model]) -> int:
    return [f.attname for f in tables.columns(model)].index(model._meta.pk.attname)


def is_uuid_pk(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.UUIDField)


def quote(name: str) -> str:
    return str(connections[DEFAULT_DB_ALIAS].ops.quote_name(name))


# --- ids ----------------------------------------------------------------------------------


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` ids no row of ``model`` has or will be given, ascending."""
    if count == 0:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    table, column = model._meta.db_table, str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: inside the restore's transaction, which holds the one write lock.
        cursor.execute(
            f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}"  # noqa: S608 - model names
        )
        top = int(cursor.fetchone()[0])
        with contextlib.suppress(Exception):
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            top = max(top, int(found[0])) if found else top
    return list(range(top + 1, top + 1 + count))


def reset_sequences(models_written: list[type[models.Model]]) -> None:
    """PostgreSQL: every sequence past the largest id now in its table (rows were written
    with their ids). SQLite's AUTOINCREMENT follows explicit ids by itself."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_written:
            if not isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
                continue
            table, column = quote(model._meta.db_table), quote(str(model._meta.pk.column))
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)", [table, str(model._meta.pk.column)]
            )
            sequence = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX({column}), 1) FROM {table}), "  # noqa: S608
                "nextval(%s)))",
                [sequence, sequence],
            )


def advance_sequences(highest: dict[type[models.Model], int]) -> None:
    """PostgreSQL, before rows are written with their archived ids: each sequence past the
    largest of them (``setval`` is not transactional), so that the platform's own inserts
    while the restore runs never take an id the restore is about to write."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return  # SQLite: the restore's transaction holds the one write lock
    with connection.cursor() as cursor:
        for model, top in highest.items():
            if not isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
                continue
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)",
                [quote(model._meta.db_table), str(model._meta.pk.column)],
            )
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "SELECT setval(%s, GREATEST(%s, nextval(%s)))", [sequence, top, sequence]
            )


def taken_ids(model: type[models.Model], ids: list[Any]) -> set[Any]:
    found: set[Any] = set()
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        found.update(
            str(pk) if isinstance(pk, uuid.UUID) else pk
            for pk in model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True)
        )
    return found


@dataclass
class Translation:
    maps: dict[str, dict[Any, Any]]
    old_association: int
    new_association: int
    same_associations: set[int]

    def translator(self, model: type[models.Model]) -> Callable[[list[Any]], list[Any] | None]:
        """Rewrites one archived row for this platform; None when the row cannot be kept (a
        required key to another association this platform does not have)."""
        fields = tables.columns(model)
        names = [f.attname for f in fields]
        lower = {m._meta.label_lower: str(m._meta.label) for m in apps.get_models()}
        association_model = apps.get_model(tables.ASSOCIATION_LABEL)
        steps: list[Callable[[list[Any]], bool]] = []
        label = str(model._meta.label)
        for i, f in enumerate(fields):
            if f.primary_key and not f.is_relation:
                steps.append(_mapped(i, self.maps.get(label, {})))
            elif f.is_relation and f.related_model is association_model:
                if f.name == "association" or model is association_model:
                    steps.append(_constant(i, self.new_association))
                else:
                    steps.append(_other(i, self, nullable=f.null))
            elif f.is_relation:
                target = str(f.related_model._meta.label)  # type: ignore[union-attr]
                steps.append(_mapped(i, self.maps.get(target, {})))
            elif f.attname.endswith("_id") and f"{f.attname[:-3]}_type" in names:
                kind = names.index(f"{f.attname[:-3]}_type")
                steps.append(_soft(i, kind, self.maps, lower))
            elif model is AudienceRule and f.attname == "target_id":
                steps.append(_audience_target(i, names.index("kind"), self.maps))
            elif model is StoredFile and f.attname == "record_id":
                steps.append(_file_record(i, names.index("holder"), self.maps))

        def translate(row: list[Any]) -> list[Any] | None:
            row = list(row)
            for step in steps:
                if not step(row):
                    return None
            return row

        return translate


def _mapped(i: int, mapping: dict[Any, Any]) -> Callable[[list[Any]], bool]:
    def step(row: list[Any]) -> bool:
        if row[i] is not None:
            row[i] = mapping.get(row[i], row[i])
        return True

    return step


def _constant(i: int, value: Any) -> Callable[[list[Any]], bool]:
    def step(row: list[Any]) -> bool:
        row[i] = value
        return True

    return step


def _other(i: int, context: Translation, *, nullable: bool) -> Callable[[list[Any]], bool]:
    def step(row: list[Any]) -> bool:
        value = row[i]
        if value is None or value in context.same_associations:
            return True
        if value == context.old_association:
            row[i] = context.new_association
            return True
        if nullable:
            row[i] = None
            return True
        return False

    return step


def _audience_target(
    i: int, kind: int, maps: dict[str, dict[Any, Any]]
) -> Callable[[list[Any]], bool]:
    """An audience rule's target: the row of the model its kind names."""

    def step(row: list[Any]) -> bool:
        try:
            label = audience_kind(str(row[kind])).target_model
        except ValueError:  # a kind no installed app registers: left as it is
            return True
        if label and row[i] is not None:
            row[i] = maps.get(label, {}).get(row[i], row[i])
        return True

    return step


def _soft(
    i: int, kind: int, maps: dict[str, dict[Any, Any]], lower: dict[str, str]
) -> Callable[[list[Any]], bool]:
    def step(row: list[Any]) -> bool:
        label = lower.get(str(row[kind] or ""))
        if label and row[i] not in (None, ""):
            mapping = maps.get(label, {})
            value = row[i]
            key = int(value) if isinstance(value, str) and value.isdigit() else value
            if key in mapping:
                row[i] = str(mapping[key]) if isinstance(value, str) else mapping[key]
        return True

    return step


def _file_record(
    i: int, holder: int, maps: dict[str, dict[Any, Any]]
) -> Callable[[list[Any]], bool]:
    """A stored file names its record as text ("" while unattached), of the model its
    holder field belongs to."""

    def step(row: list[Any]) -> bool:
        if not row[i]:
            return True
        try:
            model = holder_field(row[holder]).model
        except LookupError:
            return True  # a field that no longer exists: nothing to renumber
        mapping = maps.get(str(model._meta.label), {})
        key: Any = int(row[i]) if str(row[i]).isdigit() else row[i]
        if key in mapping:
            row[i] = str(mapping[key])
        return True

    return step
