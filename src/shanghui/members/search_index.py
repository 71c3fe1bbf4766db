"""The directory's search index: the tokens of members and people (``MemberSearchToken``,
``PersonSearchToken``), written here and only here — by the services (a member admitted or
renamed, a person created), the Excel import's commit, the demo seed and the migration that
filled the index for the rows that existed before it.

What the tokens are is ``core.chinese.search_tokens``; how a search reads them is
``selectors.member_search``. A person's tokens find the members they represent through
``Representative`` at search time, so adding or removing a representative needs no token
change; tokens go with their member or person (``on_delete=CASCADE``)."""

from collections.abc import Iterable, Iterator
from itertools import islice, repeat
from typing import Any

from django.db.models import Model

from shanghui.associations.models import Association
from shanghui.core.bulk import insert_rows
from shanghui.core.chinese import search_tokens
from shanghui.members.models import MemberSearchToken, PersonSearchToken

# Members or people handled at once: one IN list deletes their old tokens, and their new ones
# (~40 each) are built in memory.
CHUNK = 2000

TokenRows = Iterable[tuple[int, Iterable[str]]]  # (member or person id, its tokens)


def member_search_tokens(name: str, uscc: str) -> set[str]:
    """A member's tokens: its name (characters, pinyin, initials) and credit code."""
    return search_tokens(name, codes=[uscc])


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
    the data migration pass its historical models. Returns the number of tokens written."""
    member_model, person_model = token_models
    written = 0
    for model, column, rows in (
        (member_model, "member_id", members),
        (person_model, "person_id", people),
    ):
        for chunk in _chunks(iter(rows)):
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
            written += insert_rows(model, tokens, association=association, fields=("key", column))
    return written


def _chunks(rows: Iterator[Any]) -> Iterator[list[Any]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk
