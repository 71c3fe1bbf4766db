"""The one pagination format of the API::

    {"items": [...], "count": N, "next_cursor": "…" | null}

Query parameters: ``page`` (from 1) and ``page_size`` (at most 100), as ever; or ``cursor``,
the ``next_cursor`` of the previous answer, which continues after its last row (``page`` is
then ignored). ``count`` is the list's total either way. ``next_cursor`` is ``null`` on the
last page.

A cursor is keyset paging (``core.keyset``): page 500 by ``page`` makes the database skip
9,980 rows; by ``cursor`` it seeks its index to the row after the last one shown, so a deep
page costs what the first does, and rows added or removed meanwhile neither repeat nor skip
one. Every paged list is in a total order (its ordering plus ``id``). Cursors are opaque and
signed, bound to the list's path (so to its association) and order: one edited by hand or
taken from another list is refused with 422 (``fields.cursor``) in the caller's language,
never a 500 and never another association's rows — the list's filters apply to every page.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from shanghui.core.keyset import InvalidCursor, keyset_page

MAX_PAGE_SIZE = 100
CURSOR_MAX_LENGTH = 2000


class CursorRefused(Exception):
    """A cursor this list did not give: ``site.api`` answers 422, ``fields.cursor``."""

    def message(self) -> str:
        return _("翻页位置无效或已过期，请从第一页重新加载")


def invalid_cursor() -> CursorRefused:
    return CursorRefused()


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
        cursor: str | None = Field(
            None,
            max_length=CURSOR_MAX_LENGTH,
            description="上一页答复中的 next_cursor：从其后一条继续（此时忽略 page）",
        )

    class Output(Schema):
        items: list[Any]
        count: int
        next_cursor: str | None = Field(..., description="下一页的 cursor；最后一页为 null")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(page_size=20, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * size
        present: Callable[[list[Any]], list[Any]] = list
        if isinstance(queryset, EachPage):
            queryset, present = queryset.qs, queryset.on_page
        if not isinstance(queryset, QuerySet):
            return _sequence_page(
                queryset, size, offset, pagination.cursor, request.path, present=present
            )
        try:
            page = keyset_page(
                queryset, size=size, offset=offset, cursor=pagination.cursor, scope=request.path
            )
        except InvalidCursor:
            raise invalid_cursor() from None
        return {
            "items": present(page.rows),
            "count": queryset.count(),
            "next_cursor": page.next_cursor,
        }


def _sequence_page(
    rows: Sequence[Any],
    size: int,
    offset: int,
    cursor: str | None,
    scope: str,
    *,
    present: Callable[[list[Any]], list[Any]] = list,
) -> dict[str, Any]:
    """A list already in memory (merged from several tables), or one that pages itself like a
    sequence (a member search, whose count rides on its page's statement): its cursor is a
    signed offset. The page is sliced before the length is asked, so such a source counts
    with the page it loads."""
    salt = f"shanghui.apikit.offset|{scope}"
    if cursor:
        try:
            offset = int(signing.Signer(salt=salt).unsign_object(cursor))
        except (signing.BadSignature, TypeError, ValueError):
            raise invalid_cursor() from None
    end = offset + size
    return {
        "items": present(list(rows[offset:end])),
        "count": len(rows),
        "next_cursor": signing.Signer(salt=salt).sign_object(end) if end < len(rows) else None,
    }


class EachPage:
    """A queryset handed to ``@paginate(Pages)`` that calls ``on_page(rows)`` with the page
    the pagination loads — to audit that read (``core.privacy.personal_data_page``) or to
    present its rows — before it is answered; only the page is loaded."""

    def __init__(self, qs: QuerySet[Any], on_page: Callable[[list[Any]], list[Any]]) -> None:
        self.qs = qs
        self.on_page = on_page
