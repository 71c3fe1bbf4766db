"""Writing many rows of one tenant table at once: the member import's commit and the demo seed.

Django's ``bulk_create`` builds and prepares a model instance per row and, on SQLite, splits
the work into statements of at most 999 parameters; for 23,000 members that is most of an
import's time. ``insert_rows`` prepares each value with the field's own
``get_db_prep_save`` (so dates, datetimes and decimals are stored exactly as the ORM stores
them) and sends one ``executemany``. It returns no ids: callers that need them look the rows
up by a unique key afterwards (members by member number, people by phone)."""

from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from shanghui.associations.models import Association

BATCH = 5000  # rows per executemany: memory stays bounded for the seed's 80,000 payments
# Values every database driver takes as they are.
PLAIN = frozenset({str, int, bool})


def _columns(model: type[Model]) -> list[Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname != "association_id"
    ]


def insert_rows(
    model: type[Model], rows: Iterable[Mapping[str, object]], *, association: Association
) -> int:
    """Inserts ``rows`` (field attnames → values, e.g. ``member_id``) into ``model``'s table for
    ``association``; fields a row leaves out take their default (``auto_now``/``auto_now_add``
    take the current time). No signals, no ``save()``: only for plain tenant tables. Returns
    the number of rows inserted."""
    fields = _columns(model)
    now = timezone.now()

    def value(field: Field[Any, Any], row: Mapping[str, object]) -> object:
        if field.attname in row:
            raw = row[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raw = now
        else:
            raw = field.get_default()
        if raw is None or type(raw) in PLAIN:
            return raw  # what get_db_prep_save would return, at a fraction of the cost
        return field.get_db_prep_save(raw, connection)

    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(str(name)) for name in ["association_id", *(f.column for f in fields)]
    )
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model's metadata, values as parameters
    inserted = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, BATCH)):
            params = [(association.pk, *(value(field, row) for field in fields)) for row in batch]
            cursor.executemany(sql, params)  # type: ignore[arg-type]  # prepared by the fields
            inserted += len(params)
    return inserted
