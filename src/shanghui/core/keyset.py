"""Keyset ("seek") paging: the next page of a list starts after the last row shown, found by
its sort key, instead of skipping the rows before it with ``OFFSET``.

``OFFSET 10000`` makes the database produce and throw away 10,000 rows: page 500 of the
23,000-member directory cost 3–6× page 1. A keyset page starts where the previous one ended
(``WHERE (sort_key, id) > ('liu…', 4711)``), which an index on the ordering serves as a range
scan whatever the depth.

- The order is the queryset's own (``order_by``, else the model's ``Meta.ordering``), with the
  primary key appended unless it is already the last column: a keyset needs a total order, and
  two rows with the same sort key (two 刘伟) would otherwise be shown twice or never.
- The predicate is built as nested ``Q`` objects — ``a > x OR (a = x AND (b > y OR (b = y AND
  id > z)))`` with each column's direction — because the ORM has no portable row comparison
  (SQLite's differs and mixed directions need the expanded form anyway). When the first column
  cannot be NULL the redundant bound ``a >= x`` is added, so that PostgreSQL and SQLite seek
  the index to ``x`` rather than filtering every row before it.
- NULLs sort where the database puts them (PostgreSQL: largest; SQLite: smallest), or where an
  ``F(...).asc(nulls_last=True)`` says; the predicate follows the same rule.
- A cursor is the last row's key values, JSON, signed with ``django.core.signing`` (base64url
  ``payload:signature``). The salt binds it to the list (``scope``: the request's path, which
  names the association) and to the ordering, so a cursor edited by hand, copied from another
  association's list or from another order is refused with ``InvalidCursor`` — the caller
  turns that into a 422 (API) or the first page (HTML). The list's filters still apply to
  every page: a cursor only says where to start.
"""

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import connections, models
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import BaseExpression, OrderBy
from django.http import HttpRequest

SALT = "shanghui.keyset"


class InvalidCursor(ValueError):
    """A cursor that was not made by ``keyset_page`` for this list and this order."""


@dataclass(frozen=True)
class Key:
    """One column of the order: the lookup path, its direction, where its NULLs go."""

    path: str
    descending: bool
    field: "models.Field[Any, Any]"
    nullable: bool
    nulls_last: bool  # in the walking direction

    def label(self) -> str:
        return ("-" if self.descending else "") + self.path

    def value(self, row: Any) -> Any:
        target = row
        parts = self.path.split("__")
        for part in parts[:-1]:
            target = getattr(target, part, None)
            if target is None:
                return None
        if parts[-1] == "pk" or parts[-1].startswith("keyset_"):
            return getattr(target, parts[-1])
        return getattr(target, self.field.attname)


def _field_of(model: type[models.Model], path: str) -> tuple[models.Field[Any, Any], bool]:
    """The concrete field ``path`` ends at, and whether it can be NULL (a nullable relation on
    the way makes it NULL too). Orderings through to-many relations are refused: a row would
    have several keys."""
    opts = model._meta
    nullable = False
    parts = path.split("__")
    for index, part in enumerate(parts):
        field = opts.pk if part == "pk" else opts.get_field(part)
        if not isinstance(field, models.Field) or field.many_to_many or field.one_to_many:
            raise ImproperlyConfigured(f"keyset order on {path!r}: not a column")
        nullable = nullable or bool(field.null)
        last = index == len(parts) - 1
        if field.is_relation and not (last and part.endswith("_id")):
            if last:
                # Ordering by a relation orders by the related model's own ordering.
                raise ImproperlyConfigured(f"keyset order on {path!r}: use {part}_id")
            assert field.related_model is not None
            opts = field.related_model._meta
            continue
        if not last:
            raise ImproperlyConfigured(f"keyset order on {path!r}: not a relation")
        return field, nullable
    raise ImproperlyConfigured(f"keyset order on {path!r}")


def _term(term: object) -> tuple[str | BaseExpression, bool, bool | None]:
    """``(path or expression, descending, nulls_last or None)`` of one ``order_by`` term."""
    if isinstance(term, str):
        if term == "?" or "." in term:
            raise ImproperlyConfigured(f"keyset order on {term!r}")
        return term.lstrip("-"), term.startswith("-"), None
    if isinstance(term, F):
        return str(term.name), False, None  # type: ignore[attr-defined]
    if isinstance(term, OrderBy):
        nulls = True if term.nulls_last else False if term.nulls_first else None
        inner = term.expression
        if isinstance(inner, F):
            return str(inner.name), term.descending, nulls  # type: ignore[attr-defined]
        return inner, term.descending, nulls
    if isinstance(term, BaseExpression):
        return term, False, None
    raise ImproperlyConfigured(f"keyset order on {term!r}")


def keyset_order(qs: QuerySet[Any]) -> tuple[QuerySet[Any], list[Key]]:
    """``qs`` ordered totally — its ordering with the primary key appended unless the primary
    key already ends it — and the keys of that order."""
    terms: Sequence[object] = qs.query.order_by or (
        qs.model._meta.ordering if qs.query.default_ordering else ()
    )
    parsed = [_term(term) for term in terms]
    pk_names = {"pk", qs.model._meta.pk.name, qs.model._meta.pk.attname}
    if not parsed or parsed[-1][0] not in pk_names:
        descending = parsed[-1][1] if parsed else False
        parsed.append(("pk", descending, None))
    largest = connections[qs.db].features.nulls_order_largest
    keys = []
    for index, (term, descending, nulls_last) in enumerate(parsed):
        if isinstance(term, str):
            path = term
            try:
                field, nullable = _field_of(qs.model, path)
            except FieldDoesNotExist as exc:
                raise ImproperlyConfigured(f"keyset order on {path!r}: {exc}") from exc
        else:
            # An expression (a CASE ranking chairs first): ordered and compared by an
            # annotation, read back from each row; assumed nullable.
            path = f"keyset_{index}"
            qs = qs.annotate(**{path: term})
            field, nullable = qs.query.annotations[path].output_field, True
        last = nulls_last if nulls_last is not None else largest != descending
        keys.append(Key(path, descending, field, nullable, last))
    order = [
        (F(k.path).desc if k.descending else F(k.path).asc)(
            nulls_last=True if k.nulls_last else None,
            nulls_first=True if not k.nulls_last else None,
        )
        if k.nullable
        else k.label()
        for k in keys
    ]
    return qs.order_by(*order), keys


def _beyond(key: Key, value: Any) -> Q:
    """Rows whose ``key`` comes strictly after ``value`` in the walking direction."""
    lookup = "lt" if key.descending else "gt"
    if value is None:
        return Q(pk__in=[]) if key.nulls_last else Q(**{f"{key.path}__isnull": False})
    beyond = Q(**{f"{key.path}__{lookup}": value})
    if key.nullable and key.nulls_last:
        beyond |= Q(**{f"{key.path}__isnull": True})
    return beyond


def _equal(key: Key, value: Any) -> Q:
    if value is None:
        return Q(**{f"{key.path}__isnull": True})
    return Q(**{key.path: value})


def after(keys: list[Key], values: list[Any]) -> Q:
    """Rows strictly after the row whose key values are ``values``."""
    predicate: Q | None = None
    for key, value in reversed(list(zip(keys, values, strict=True))):
        beyond = _beyond(key, value)
        predicate = beyond if predicate is None else beyond | (_equal(key, value) & predicate)
    assert predicate is not None
    first, start = keys[0], values[0]
    if not first.nullable and start is not None:
        # Redundant, but it is what lets the database seek its index to the start.
        predicate &= Q(**{f"{first.path}__{'lte' if first.descending else 'gte'}": start})
    return predicate


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # microseconds kept: DjangoJSONEncoder drops them
    if isinstance(value, Decimal | UUID):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"keyset value {value!r}")


def _salt(scope: str, keys: list[Key]) -> str:
    return "|".join([SALT, scope, *(key.label() for key in keys)])


def encode_cursor(values: list[Any], *, scope: str, keys: list[Key]) -> str:
    # A plain signer: no timestamp, a cursor does not expire (the row it names may go; the
    # walk then continues from where that row was).
    return signing.Signer(salt=_salt(scope, keys)).sign_object([_plain(v) for v in values])


def decode_cursor(cursor: str, *, scope: str, keys: list[Key]) -> list[Any]:
    """The key values ``cursor`` holds, converted back to each column's type; raises
    ``InvalidCursor`` for anything else."""
    try:
        raw = signing.Signer(salt=_salt(scope, keys)).unsign_object(cursor)
    except (signing.BadSignature, ValueError, json.JSONDecodeError) as exc:
        raise InvalidCursor(cursor) from exc
    if not isinstance(raw, list) or len(raw) != len(keys):
        raise InvalidCursor(cursor)
    try:
        return [None if v is None else k.field.to_python(v) for k, v in zip(keys, raw, strict=True)]
    except (ValidationError, TypeError, ValueError) as exc:
        raise InvalidCursor(cursor) from exc


# From this many rows skipped, an OFFSET page reads its ids first (see ``slice_rows``); below
# it the second statement would cost more than it saves.
DEEP_OFFSET = 1000


def slice_rows(qs: "QuerySet[Any] | Sequence[Any]", offset: int, limit: int) -> list[Any]:
    """``list(qs[offset:offset + limit])``; deep in the list, in two steps: the ids of those
    rows (which an index on the order answers without reading the table: PostgreSQL's index
    only scan of (association_id, sort_key, id) skips 10,000 rows in 1 ms where the rows
    themselves took 33 ms), then the rows by id, with their select_related and prefetches,
    in the order of the ids. A source that pages itself (a member search, whose count rides
    on its page's statement) is sliced as it is."""
    if offset < DEEP_OFFSET or not isinstance(qs, QuerySet):
        return list(qs[offset : offset + limit])
    ids = list(qs.prefetch_related(None).values_list("pk", flat=True)[offset : offset + limit])
    found = {row.pk: row for row in qs.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


@dataclass
class KeysetPage:
    """One page of a list: its rows (as loaded, before any presenting), and the cursor of the
    page after it (``None`` on the last page)."""

    rows: list[Any]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def keyset_page(
    qs: QuerySet[Any],
    *,
    size: int,
    scope: str,
    cursor: str | None = None,
    offset: int = 0,
    start: Q | None = None,
) -> KeysetPage:
    """The page of ``size`` rows of ``qs`` after ``cursor`` (or, without one, at ``offset``,
    or from ``start`` — a position given by the caller, such as the directory's A–Z index),
    with the cursor of the next page. ``size + 1`` rows are read to know whether there is a
    next page, without counting. Raises ``InvalidCursor``."""
    ordered, keys = keyset_order(qs)
    if cursor:
        ordered = ordered.filter(after(keys, decode_cursor(cursor, scope=scope, keys=keys)))
    elif start is not None:
        ordered = ordered.filter(start)
    rows = slice_rows(ordered, 0 if cursor else offset, size + 1)
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = (
        encode_cursor([key.value(rows[-1]) for key in keys], scope=scope, keys=keys)
        if more and rows
        else None
    )
    return KeysetPage(rows, next_cursor)


def more_page(
    request: HttpRequest, qs: QuerySet[Any], *, size: int, start: Q | None = None
) -> KeysetPage:
    """A "load more" page of an HTML list: after ``?cursor=`` (the ``next_cursor`` the page
    before linked to), else from ``start``. A cursor that is not this list's — edited, or
    the list's order changed since — shows the list from its start, as Django's
    ``Paginator.get_page`` does for a page number out of range."""
    cursor = request.GET.get("cursor", "")[:2000]
    try:
        return keyset_page(qs, size=size, scope=request.path, cursor=cursor, start=start)
    except InvalidCursor:
        return keyset_page(qs, size=size, scope=request.path, start=start)
