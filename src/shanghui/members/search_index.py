"""The directory's search index: the tokens of members and people (``MemberSearchToken``,
``PersonSearchToken``), written here and only here. Two ways in:

- ``member_tokens_save`` / ``person_tokens_save``: the services, for the few rows they change,
  inside their own transaction (a member admitted or renamed is found at once);
- ``search_index_pending``: after a bulk write (the Excel import's commit, the demo seed), the
  tokens of every member and person of the association that has none, in short transactions
  of their own. An import of 23,000 members writes about a million tokens; inside the import's
  one transaction they tripled its time and, on SQLite, kept every other writer waiting. The
  members are in the lists at once and found by a search a few seconds later. Should the
  worker stop between the two, ``manage.py search_index`` (daily, with the other commands)
  finishes the job.

The migration that filled the index for the rows existing before it calls
``search_tokens_write`` with its historical models.

What the tokens are is ``core.chinese.search_tokens``; how a search reads them is
``selectors.member_search``. A person's tokens find the members they represent through
``Representative`` at search time, so adding or removing a representative needs no token
change; tokens go with their member or person (``on_delete=CASCADE``)."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice, repeat
from typing import Any

from django.db import transaction
from django.db.models import Model

from shanghui.associations.models import Association
from shanghui.core.bulk import insert_rows, large_writes, pipelined
from shanghui.core.chinese import search_tokens
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, MemberSearchToken, Person, PersonSearchToken

# Ids looked at per transaction of ``search_index_pending`` (and per page of the backlog).
CHUNK = 2000
WRITE_GROUP = 250  # members or people whose tokens go to the database at a time (~12,000 rows)

TokenRows = Iterable[tuple[int, Iterable[str]]]  # (member or person id, its tokens)


def member_search_tokens(name: str, uscc: str, *, person: bool = False) -> set[str]:
    """A member's tokens: its name (characters, pinyin, initials) and credit code; an
    individual member's name (``person``) read as a person's."""
    return search_tokens(name, person=person, codes=[uscc])


def is_individual(kind: str) -> bool:
    """Whether a member of this kind is a person, whose name reads as a person's."""
    return kind == Member.Kind.INDIVIDUAL


def person_search_tokens(name: str, phone: str) -> set[str]:
    """A person's tokens: the name read as a person's (surnames: 曾 zeng …) and the phone's
    last digits."""
    return search_tokens(name, person=True, phones=[phone])


def search_tokens_write(
    *,
    association: Association,
    members: TokenRows = (),
    people: TokenRows = (),
    replace: bool = False,
    token_models: tuple[type[Model], type[Model]] = (MemberSearchToken, PersonSearchToken),
) -> int:
    """Stores the tokens of ``members`` and ``people`` (pairs of an id and its distinct tokens,
    from ``member_search_tokens`` / ``person_search_tokens``) of ``association``; with
    ``replace=True`` their earlier tokens are deleted first (a rename). Callers hold the
    tenant scope and the transaction that wrote the members or people. ``token_models`` lets
    the data migration pass its historical models. ``members`` and ``people`` may be
    generators: they are read ``WRITE_GROUP`` at a time, so that on PostgreSQL, inside
    ``core.bulk.pipelined``, the tokens of the next rows are worked out while the server
    writes those before. Returns how many members and people got tokens."""
    member_model, person_model = token_models
    given = 0
    for model, column, rows in (
        (member_model, "member_id", members),
        (person_model, "person_id", people),
    ):
        for chunk in _chunks(iter(rows), WRITE_GROUP):
            if replace:
                ids = [owner for owner, _tokens in chunk]
                model._default_manager.filter(
                    association=association, **{f"{column}__in": ids}
                ).delete()
            # In the order given: sorted by key, the btree inserts were no cheaper (each row
            # also goes into the owner's index), and the sort cost more than it saved.
            tokens: list[tuple[str, int]] = []
            for owner, keys in chunk:
                tokens += zip(keys, repeat(owner))
                given += bool(keys)
            insert_rows(model, tokens, association=association, fields=("key", column))
    return given


def _chunks(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def member_tokens_save(
    *, association: Association, members: Iterable[Member], replace: bool = False
) -> None:
    """Writes the tokens of ``members`` (just created, or ``replace=True``: renamed or given
    another credit code). Inside the caller's transaction and tenant scope."""
    search_tokens_write(
        association=association,
        members=[
            (m.pk, member_search_tokens(m.name, m.uscc, person=is_individual(m.kind)))
            for m in members
        ],
        replace=replace,
    )


def person_tokens_save(*, association: Association, people: Iterable[Person]) -> None:
    """Writes the tokens of ``people``, just created (a person's name and phone are not
    edited: a new phone is a new person)."""
    search_tokens_write(
        association=association,
        people=[(p.pk, person_search_tokens(p.name, p.phone)) for p in people],
    )


# (model, its token model, the token's owner column, the fields its tokens are made of, how)
_KINDS: tuple[
    tuple[type[Model], type[Model], str, tuple[str, ...], Callable[[Any], set[str]]], ...
] = (
    (
        Member,
        MemberSearchToken,
        "member",
        ("name", "uscc", "kind"),
        lambda m: member_search_tokens(m.name, m.uscc, person=is_individual(m.kind)),
    ),
    (
        Person,
        PersonSearchToken,
        "person",
        ("name", "phone"),
        lambda p: person_search_tokens(p.name, p.phone),
    ),
)


# Which members and people still wait for tokens is asked in two plain steps — a chunk of the
# table's ids in id order, then which of those have tokens (a probe of the owner index per id)
# — rather than as one NOT EXISTS. PostgreSQL plans that anti-join on the statistics of the
# last ANALYZE: for an association that had no tokens then, it expects one token row and may
# read all of the association's tokens once per member (measured: one chunk of an import
# into the 1,000,000-member platform ran for minutes). The two steps have one plan each.


def _owner_ids(association: Association, model: type[Model], after: int) -> list[int]:
    """Ids of the association's members (or people) after ``after``, ``CHUNK`` of them."""
    rows = model._default_manager.filter(association=association, pk__gt=after)
    if model is Person:  # nothing to find them by: no tokens, ever
        rows = rows.exclude(name="", phone="")
    return list(rows.order_by("pk").values_list("pk", flat=True)[:CHUNK])


def _indexed(
    association: Association, token_model: type[Model], column: str, ids: list[int]
) -> set[int]:
    """Which of ``ids`` have tokens."""
    tokens = token_model._default_manager.filter(association=association, **{f"{column}__in": ids})
    return set(tokens.values_list(column, flat=True).distinct())


def search_index_backlog(
    *, association: Association, after: Mapping[type[Model], int] | None = None
) -> int:
    """How many members and people of the association have no search tokens yet (people with
    neither name nor phone are not counted: they never have any); ``after``: past these ids
    only, as in ``search_index_pending``. Callers hold the tenant scope."""
    waiting = 0
    for model, token_model, column, _code, _tokens_of in _KINDS:
        after_id = (after or {}).get(model, 0)
        while ids := _owner_ids(association, model, after_id):
            after_id = ids[-1]
            waiting += len(ids) - len(_indexed(association, token_model, column, ids))
    return waiting


def search_index_pending(
    *,
    association: Association,
    progress: Callable[[int], None] | None = None,
    after: Mapping[type[Model], int] | None = None,
) -> int:
    """Writes the tokens of the association's members and people that have none yet, ``CHUNK``
    ids per transaction, and calls ``progress(done)`` with the number of those dealt with so
    far after each chunk that had any. Opens the tenant scope itself, once per chunk: called
    outside any transaction (the import's job, ``manage.py search_index``), each chunk commits
    on its own — on PostgreSQL a tenant scope is a transaction, so a scope around the whole
    run would hold every row lock to the end. Safe at any time and twice at once: each chunk
    locks its rows (PostgreSQL; SQLite has one writer anyway), then looks again for tokens
    written meanwhile — so nothing is indexed twice, and a member renamed meanwhile keeps only
    its new name's tokens. ``after`` starts past the given id of ``Member`` and ``Person``: a
    bulk write that reserved its keys (``core.bulk.next_ids``) wrote nothing below the first.
    Returns the number of members and people given tokens."""
    with large_writes():
        return _index_pending(association, progress, after or {})


def _index_pending(
    association: Association,
    progress: Callable[[int], None] | None,
    start_after: Mapping[type[Model], int],
) -> int:
    seen = written = 0
    for model, token_model, column, fields, tokens_of in _KINDS:
        after = start_after.get(model, 0)
        while True:
            with tenant_context(association):  # reads only: a chunk with nothing waiting
                ids = _owner_ids(association, model, after)  # costs no write transaction
                indexed = _indexed(association, token_model, column, ids) if ids else set()
            if not ids:
                break
            after = ids[-1]
            waiting = [pk for pk in ids if pk not in indexed]
            if not waiting:
                continue
            with tenant_context(association), transaction.atomic():
                rows = list(
                    model._default_manager.select_for_update()
                    .filter(association=association, pk__in=waiting)
                    .order_by("pk")
                    .only("pk", *fields)
                )
                # Asked again now that the rows are locked: on PostgreSQL another run may have
                # indexed them (and committed) while this one waited for the lock.
                done_meanwhile = _indexed(association, token_model, column, waiting)
                todo = (row for row in rows if row.pk not in done_meanwhile)
                pairs = ((row.pk, tokens_of(row)) for row in todo)
                with pipelined():
                    if model is Member:
                        given = search_tokens_write(association=association, members=pairs)
                    else:
                        given = search_tokens_write(association=association, people=pairs)
            seen += len(waiting)
            written += given
            if progress is not None:
                progress(seen)
    return written
