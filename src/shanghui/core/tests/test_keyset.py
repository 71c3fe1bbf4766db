"""Keyset paging (core.keyset): a walk by cursor returns every row once, in the order of the
queryset, whatever its directions, ties and NULLs."""

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from shanghui.core import keyset
from shanghui.core.keyset import InvalidCursor, keyset_page
from shanghui.core.models import InboxMessage
from shanghui.core.paging import DeepPaginator
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

FIRST_SUBJECT_FIRST = Case(
    When(subject="通知1", then=Value(0)), default=Value(1), output_field=IntegerField()
)


def walk(qs: QuerySet[Any], size: int, scope: str = "/list") -> list[int]:
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        page = keyset_page(qs, size=size, scope=scope, cursor=cursor)
        seen += [row.pk for row in page.rows]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor
    raise AssertionError("the walk did not end")


@pytest.fixture
def inbox(side_a: Side) -> Side:
    """Eleven messages: three read at the same moment, four unread (NULL), ties on subject."""
    now = timezone.now()
    with tenant_context(side_a.association):
        for i in range(11):
            InboxMessage.objects.create(
                association=side_a.association,
                user=side_a.member_user,
                subject=f"通知{i % 3}",
                text="…",
                target_id=None if i % 4 == 0 else i % 5,
                read_at=None if i < 4 else now - timedelta(minutes=i // 3),
            )
    return side_a


@pytest.mark.django_db
@pytest.mark.parametrize(
    "order",
    [
        ("subject",),
        ("-subject",),
        ("subject", "-id"),
        ("-read_at",),
        ("read_at", "subject"),
        ("target_id", "-subject"),
        (F("read_at").asc(nulls_last=True), "-id"),
        (F("read_at").desc(nulls_first=True),),
        (F("target_id").desc(nulls_last=True), "subject"),
        (FIRST_SUBJECT_FIRST, "-read_at"),  # an expression, as committees rank their chairs
        (FIRST_SUBJECT_FIRST.desc(), "subject"),
    ],
    ids=str,
)
@pytest.mark.parametrize("size", [1, 2, 3, 20])
def test_a_cursor_walk_returns_every_row_once_in_order(
    inbox: Side, order: tuple[Any, ...], size: int
) -> None:
    with tenant_context(inbox.association):
        qs = InboxMessage.objects.filter(association=inbox.association).order_by(*order)
        # Ties are broken by the id, in the direction of the last column.
        last = order[-1]
        descending = last.startswith("-") if isinstance(last, str) else last.descending
        tie = [] if last in ("id", "-id") else ["-id" if descending else "id"]
        expected = list(qs.order_by(*order, *tie).values_list("pk", flat=True))
        assert walk(qs, size) == expected
        assert len(expected) == 11


@pytest.mark.django_db
def test_the_models_ordering_is_used_when_none_is_given(inbox: Side) -> None:
    with tenant_context(inbox.association):
        qs = InboxMessage.objects.filter(association=inbox.association)
        assert walk(qs, 4) == list(qs.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_cursor_is_bound_to_its_list_and_its_order(inbox: Side) -> None:
    with tenant_context(inbox.association):
        qs = InboxMessage.objects.filter(association=inbox.association).order_by("subject")
        cursor = keyset_page(qs, size=2, scope="/a/list").next_cursor
        assert cursor
        keyset_page(qs, size=2, scope="/a/list", cursor=cursor)  # accepted where it was made
        for scope, ordered in [("/b/list", qs), ("/a/list", qs.order_by("-subject"))]:
            with pytest.raises(InvalidCursor):
                keyset_page(ordered, size=2, scope=scope, cursor=cursor)
        payload, signature = cursor.rsplit(":", 1)
        for forged in [payload + ":" + signature[::-1], "x" + cursor, "abc", ":", "W10:x"]:
            with pytest.raises(InvalidCursor):
                keyset_page(qs, size=2, scope="/a/list", cursor=forged)


@pytest.mark.django_db
@pytest.mark.parametrize("deep", [0, 4, 10_000])
def test_deep_offset_pages_read_ids_first_and_give_the_same_rows(
    inbox: Side, deep: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``DEEP_OFFSET`` rows on, a numbered page loads its ids, then its rows: the same
    rows in the same order as OFFSET gives, for the back office's pager and the API's page."""
    monkeypatch.setattr(keyset, "DEEP_OFFSET", deep)
    with tenant_context(inbox.association):
        qs = InboxMessage.objects.filter(association=inbox.association).order_by("subject", "id")
        whole = list(qs.values_list("pk", flat=True))
        paginator = DeepPaginator(qs, 3, orphans=1)
        pages = [paginator.page(n) for n in paginator.page_range]
        assert [row.pk for page in pages for row in page.object_list] == whole
        assert len(pages) == 4 and len(pages[-1].object_list) == 2
        by_offset = [
            row.pk
            for offset in range(0, 11, 4)
            for row in keyset_page(qs, size=4, scope="/l", offset=offset).rows
        ]
        assert by_offset == whole
