"""Writing many rows of one tenant table at once: the member import's commit and the demo seed.

Django's ``bulk_create`` builds and prepares a model instance per row and, on SQLite, splits
the work into statements of at most 999 parameters; for 23,000 members that is most of an
import's time. ``insert_rows`` prepares each value with the field's own
``get_db_prep_save`` (so dates, datetimes and decimals are stored exactly as the ORM stores
them) and sends one ``executemany`` per batch — on PostgreSQL one ``INSERT … SELECT FROM
unnest(…)`` instead, the values as one array per column. It returns no ids: callers that
need them reserve the keys first (``next_ids``).

Narrow tables written by the hundred thousand (the search tokens) pass plain tuples with
``fields``: no per-value preparation at all, and on PostgreSQL one ``INSERT … SELECT FROM
unnest(…)`` per batch instead of a statement per row."""

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

import psycopg
from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from shanghui.core.types import Tenant

BATCH = 5000  # rows per executemany: memory stays bounded for the seed's 80,000 payments
# Values every database driver takes as they are.
PLAIN = frozenset({str, int, bool})


# SQLite page cache for large writes, in KiB (negative: a size, not a page count).
LARGE_WRITE_CACHE_KIB = 131072


@contextmanager
def large_writes() -> Iterator[None]:
    """Around writes of hundreds of thousands of index entries (an import's commit, the demo
    seed): on SQLite a larger page cache for the connection meanwhile. With the default 2 MB
    most pages of a large index fall out of the cache between two inserts into them and are
    read and written again — about a third of the time of writing an import's search tokens.
    PostgreSQL's shared buffers are the server's business."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{LARGE_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


@contextmanager
def pipelined() -> Iterator[None]:
    """Around many writes whose outcome nobody reads at once (an import's commit), inside the
    caller's transaction: on PostgreSQL the statements go out without waiting for each to
    finish (psycopg's pipeline mode), so the server inserts one batch while Python prepares
    the next — each of the two busy on its own core. A query whose rows are read (``rows_by``)
    waits for everything sent before it; a refused statement surfaces there or at the end of
    the block, as Django's error. Meant for ``insert_rows`` and ``rows_by``: an ORM update
    inside does not know how many rows it changed until the next read. Within the block the
    foreign keys are checked as each statement ends: deferred to ``COMMIT``, after the block,
    their checks would overlap nothing (an import's ~200,000 of them took 0.7 s there).
    Nothing to do on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    assert connection.in_atomic_block, "pipelined() belongs inside a transaction"
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield
    with connection.cursor() as cursor:  # Django's foreign keys: INITIALLY DEFERRED again
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def next_ids(model: type[Model], count: int) -> list[int]:
    """``count`` primary keys for new rows of ``model``, reserved from the counter its inserts
    draw on, so that rows inserted with them need not be looked up afterwards for their ids.
    PostgreSQL: the table's sequence (keys left unused stay gaps). SQLite: the table's
    AUTOINCREMENT counter, moved on inside the caller's write transaction."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0 "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
            [table, table],
        )
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, "  # noqa: S608 - names from the model
            f"(SELECT coalesce(max({quote(column)}), 0) FROM {quote(table)})) + %s "
            "WHERE name = %s",
            [count, table],
        )
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        last = int(cursor.fetchone()[0])
    return list(range(last - count + 1, last + 1))


def insert_rows(
    model: type[Model],
    rows: Iterable[Mapping[str, object]] | Iterable[Sequence[object]],
    *,
    association: Tenant,
    fields: Sequence[str] = (),
) -> int:
    """Inserts ``rows`` (field attnames → values, e.g. ``member_id``) into ``model``'s table for
    ``association``; fields a row leaves out take their default (``auto_now``/``auto_now_add``
    take the current time, the key the database's next one — or give ``id`` from
    ``next_ids``). With ``fields`` (attnames), each row is instead a tuple of those
    fields' values as the database driver takes them (str, int, bool, None), and every other
    column must have a database default or allow NULL. No signals, no ``save()``: only for
    plain tenant tables. Returns the number of rows inserted."""
    if fields:
        return _insert_plain(model, rows, association, fields)  # type: ignore[arg-type]
    return _insert_prepared(model, rows, association)  # type: ignore[arg-type]


def _insert_plain(
    model: type[Model],
    rows: Iterable[Sequence[object]],
    association: Tenant,
    fields: Sequence[str],
) -> int:
    columns = [_column(model, name) for name in fields]
    inserted = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement per batch, the values as one array per column: executemany sends
            # a statement per row, ~30 µs each (an import's 1,000,000 search tokens: 30 s).
            # COPY would be faster still, but PostgreSQL refuses it on tables with row-level
            # security.
            sql = _unnest_sql(model, columns) if _by_arrays() else ""
            while batch := list(islice(rows, BATCH)):
                _postgresql_execute(model, columns, sql, association, batch)
                inserted += len(batch)
            return inserted
        # The association id is written into the statement (an int, from the database) so
        # that the rows go to the driver as they are, without a new tuple each.
        sql = _insert_sql(model, columns, association_id=int(association.pk))
        while batch := list(islice(rows, BATCH)):
            cursor.executemany(sql, batch)  # type: ignore[arg-type]  # plain values, by contract
            inserted += len(batch)
    return inserted


def _unnest_sql(model: type[Model], columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    # The arrays' types without their modifiers (varchar(100) → varchar): an explicit cast
    # would cut an overlong string silently; the insert's own assignment refuses it.
    types = {
        field.column: re.sub(r"\(.*\)", "", str(field.db_type(connection)))
        for field in model._meta.concrete_fields
    }
    arrays = ", ".join(f"%b::{types[column]}[]" for column in columns)
    names = ", ".join(quote(name) for name in ["association_id", *columns])
    table = quote(model._meta.db_table)
    return f"INSERT INTO {table} ({names}) SELECT %s, * FROM unnest({arrays})"  # noqa: S608 - names and types from the model's metadata, values as parameters


def _unnest_execute(sql: str, association: Tenant, rows: Sequence[Sequence[object]]) -> None:
    """Runs an ``_unnest_sql`` statement for ``rows`` (tuples in its columns' order), the
    arrays bound on the server, in binary (see ``_server_cursor``)."""
    with _server_cursor() as cursor:
        cursor.execute(
            sql,
            [association.pk, *(list(values) for values in zip(*rows, strict=True))],
            prepare=False,
        )


def _by_arrays() -> bool:
    """Whether PostgreSQL takes a batch as one array per column (``_unnest_sql``). Not on
    Citus: there an ``INSERT … SELECT`` whose rows come from no table is computed on the
    coordinator and copied into the shard with COPY, which PostgreSQL refuses under row-level
    security ("COPY FROM not supported with row-level security"); a multi-row ``VALUES`` of one
    association goes to its shard as one INSERT."""
    return not getattr(connection, "shanghui_citus", False)


# Parameters per multi-row VALUES statement (PostgreSQL takes at most 65,535).
VALUES_PARAMETERS = 30000


def _postgresql_execute(
    model: type[Model],
    columns: Sequence[str],
    unnest_sql: str,
    association: Tenant,
    rows: Sequence[Sequence[object]],
) -> None:
    """One batch on PostgreSQL: as arrays (``unnest_sql``), or on Citus (no ``unnest_sql``) as
    multi-row VALUES statements, bound on the server like the arrays."""
    if unnest_sql:
        _unnest_execute(unnest_sql, association, rows)
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in ["association_id", *columns])
    one = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    per_statement = max(1, VALUES_PARAMETERS // (len(columns) + 1))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES " + ", ".join(  # noqa: S608 - names from the model's metadata, values as parameters
            [one] * len(chunk)
        )
        with _server_cursor() as cursor:
            cursor.execute(sql, [v for row in chunk for v in (association.pk, *row)], prepare=False)


@contextmanager
def _server_cursor() -> Iterator[psycopg.Cursor[Any]]:
    """A PostgreSQL cursor that binds parameters on the server, for statements whose
    parameters are long arrays. Django's cursors bind on the client: they spell every array
    out as SQL text in Python, which took most of an import's commit. Same connection, same
    transaction and tenant setting as the ORM's queries; not in Django's query log, so
    ``assertNumQueries`` does not count it. Callers pass ``prepare=False``: never a
    server-side prepared statement, which a pooler in transaction mode (PgBouncer) would hand
    to another session."""
    connection.ensure_connection()
    # wrap_database_errors: psycopg's errors become Django's, as from any ORM query (the
    # import's commit tells a taken credit code by its IntegrityError).
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field), name  # a column of the table, not a reverse relation
    return str(field.column)


def _insert_sql(
    model: type[Model], columns: Sequence[str | None], *, association_id: int | None = None
) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(name)) for name in ["association_id", *columns])
    first = "%s" if association_id is None else str(int(association_id))
    placeholders = ", ".join([first, *(["%s"] * len(columns))])
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608 - names from the model's metadata, values as parameters


class _Plan:
    """How to turn rows that give the same fields into parameters: the given fields' values
    first, prepared as the ORM would (plain values as they are), then the defaults of the
    fields the rows leave out — constants prepared once, callables asked per row."""

    def __init__(
        self, model: type[Model], given: tuple[str, ...], now: object, association_id: int
    ) -> None:
        fields = {
            field.attname: field
            for field in model._meta.concrete_fields
            if field.attname != "association_id"
        }
        unknown = set(given) - fields.keys()
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.given: list[tuple[str, Field[Any, Any], dict[object, object]]] = [
            (name, fields[name], {}) for name in given
        ]
        constants: list[tuple[Field[Any, Any], object]] = []
        self.callables: list[Field[Any, Any]] = []
        for name, field in fields.items():
            if name in given or field.primary_key:  # a key not given is the database's
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                constants.append((field, field.get_db_prep_save(now, connection)))
            elif field.has_default() and callable(field.default):
                self.callables.append(field)
            else:
                constants.append((field, field.get_db_prep_save(field.get_default(), connection)))
        self.constants = tuple(value for _field, value in constants)
        columns: list[str] = [
            *(str(field.column) for _name, field, _seen in self.given),
            *(str(field.column) for field in self.callables),
            *(str(field.column) for field, _value in constants),
        ]
        self.model, self.columns = model, columns
        if connection.vendor == "postgresql":
            self.sql = _unnest_sql(model, columns) if _by_arrays() else ""
        else:
            self.sql = _insert_sql(model, columns, association_id=association_id)

    def parameters(self, row: Mapping[str, object]) -> tuple[object, ...]:
        values: list[object] = []
        for name, field, seen in self.given:
            raw = row[name]
            if raw is None or type(raw) in PLAIN:
                values.append(raw)  # what get_db_prep_save would return, at a fraction of the cost
                continue
            # Dates, datetimes and decimals repeat (a join date, the import's timestamp), and
            # get_db_prep_save is most of the cost of a value.
            try:
                values.append(seen[raw])
            except KeyError:
                values.append(seen.setdefault(raw, field.get_db_prep_save(raw, connection)))
            except TypeError:  # not hashable (a dict for a JSON field)
                values.append(field.get_db_prep_save(raw, connection))
        for field in self.callables:
            values.append(field.get_db_prep_save(field.get_default(), connection))
        return (*values, *self.constants)


def _insert_prepared(
    model: type[Model], rows: Iterable[Mapping[str, object]], association: Tenant
) -> int:
    now = timezone.now()
    plans: dict[tuple[str, ...], _Plan] = {}
    inserted = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, BATCH)):
            # Rows built by the same code give the same fields: one statement per such group.
            groups: dict[_Plan, list[tuple[object, ...]]] = {}
            for row in batch:
                given = tuple(row)
                plan = plans.get(given)
                if plan is None:
                    plan = plans[given] = _Plan(model, given, now, int(association.pk))
                groups.setdefault(plan, []).append(plan.parameters(row))
            for plan, parameters in groups.items():
                if connection.vendor == "postgresql":  # one statement, see _insert_plain
                    _postgresql_execute(plan.model, plan.columns, plan.sql, association, parameters)
                else:
                    cursor.executemany(plan.sql, parameters)  # type: ignore[arg-type]
            inserted += len(batch)
    return inserted


def rows_by(
    model: type[Model],
    key: str,
    values: Iterable[str],
    columns: Sequence[str] = (),
    *,
    association: Tenant,
) -> list[tuple[Any, ...]]:
    """``(key, *columns)`` of ``association``'s rows of ``model`` whose ``key`` is one of
    ``values``, in no particular order. Plain SQL — the ORM's preparation of long ``IN``
    lists was a good part of an import's time —, 500 values per query on SQLite, one query
    with the values as an array on PostgreSQL. For text keys: psycopg sends small integers
    as ``smallint[]``, which a ``bigint`` column compares element by element (performance.md,
    export) — an integer key would need the array cast to the column's type."""
    quote = connection.ops.quote_name
    names = ", ".join(
        quote(str(model._meta.pk.column) if name == "pk" else _column(model, name))
        for name in (key, *columns)
    )
    table = quote(model._meta.db_table)
    where = quote(_column(model, key))
    sql = f"SELECT {names} FROM {table} WHERE association_id = %s AND {where} "  # noqa: S608 - names from the model's metadata
    if connection.vendor == "postgresql":  # one query, the values as one array
        with _server_cursor() as cursor:
            cursor.execute(sql + "= ANY(%s)", [association.pk, list(values)], prepare=False)
            return cursor.fetchall()
    found: list[tuple[Any, ...]] = []
    values = iter(values)
    with connection.cursor() as cursor:
        while chunk := list(islice(values, 500)):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{sql}IN ({placeholders})", [association.pk, *chunk])
            found += cursor.fetchall()
    return found
