"""The secretariat's to-do list (待办) for one request: the dashboard lists it, the sidebar
counts it per section. Each app contributes its items (``core.contributions.TODOS``); the
list is computed at most once per request, and only when a page shows it.

Every back-office page shows the sidebar's counts, so they are cached per association
(``core.cache_versions``): one statement reads the versions of the kinds the sources name
(``TodoSource.versions``: applications, registrations, events, bills …), where computing them
costs one query per source (~30% of a list page's CPU). The services that change what a
source counts bump its kinds in their own transaction, so a badge follows a write at once,
in every process.

Some conditions change with the clock and without any write: a bill's due date passes, a
draft comes within seven days of its start, a meeting's minutes leave the 90-day window. The
cached counts therefore also expire after ``CLOCK_TIMEOUT`` seconds — a timeout rather than
the date or hour in the key, because the events' conditions move with every minute (an event
ending now leaves the registrations count), not at midnight; a minute of lag on those is
harmless, and the counts are recomputed at most once a minute per association and role when
nothing is written.

The cache key names the sources the role sees (a secretary and a treasurer see different
sets) and the language (the items' labels are translated when computed)."""

from typing import Any

from django.utils.translation import get_language

from shanghui.core.cache_versions import cached
from shanghui.core.contributions import TODOS, TodoGroup, TodoItem, TodoSource
from shanghui.core.types import Position, Tenant

_CACHE = "_shanghui_todos"
CLOCK_TIMEOUT = 60


def _items(sources: list[TodoSource], association: Tenant) -> list[list[TodoItem]]:
    return [source.items(association) for source in sources]


def todo_groups(*, association: Tenant, role: Position | None) -> list[TodoGroup]:
    """``core.contributions.todo_list``, with the counts of the sources that name their kinds
    of data cached until one of those kinds is bumped (or ``CLOCK_TIMEOUT`` passes)."""
    sources = TODOS.visible_to(role)
    versioned = [source for source in sources if source.versions]
    items: dict[str, list[TodoItem]] = {}
    if versioned:
        names = sorted({name for source in versioned for name in source.versions})
        key = "site.todos:{}:{}".format(
            get_language() or "", ",".join(source.key for source in versioned)
        )
        # TodoItems pickle; the sources (with their callables) stay out of the cache.
        computed = cached(
            association.pk,
            names,
            key,
            lambda: _items(versioned, association),
            timeout=CLOCK_TIMEOUT,
        )
        items = {source.key: rows for source, rows in zip(versioned, computed, strict=True)}
    groups = [
        TodoGroup(source, items[source.key] if source.versions else source.items(association))
        for source in sources
    ]
    return [group for group in groups if group.items]


def todos_of_request(request: Any) -> list[TodoGroup]:
    """``todo_groups`` for the association and role of a back-office request, computed once
    per request (the dashboard and the sidebar show the same list)."""
    groups: list[TodoGroup] | None = getattr(request, _CACHE, None)
    if groups is None:
        groups = todo_groups(association=request.association, role=request.role)
        setattr(request, _CACHE, groups)
    return groups


def section_badges(request: Any) -> dict[str, int]:
    """The sidebar's counts: per section URL name, the items waiting on the secretariat."""
    return {
        group.source.section: group.waiting for group in todos_of_request(request) if group.waiting
    }
