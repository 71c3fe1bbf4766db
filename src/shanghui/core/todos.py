"""The secretariat's to-do list (待办): work waiting in the back office, which each app
contributes about its own tables.

The kernel names no app. Each app registers a ``TodoSource`` in its ``AppConfig.ready``: the
back-office section it belongs to (the URL name of that section's sidebar entry), who may act
on it, and a function that counts its items for one association in one small query. The
dashboard lists every item with its count and link; the sidebar shows next to each section
the items that wait on the secretariat (``TodoItem.waiting_on_us``). Both read the same list,
computed at most once per request and only when a page shows it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from shanghui.accounts.models import Role
    from shanghui.associations.models import Association


@dataclass(frozen=True)
class TodoItem:
    label: str
    count: int
    url: str
    # False: waiting on someone else (an applicant asked for documents); listed on the
    # dashboard, not counted on the sidebar.
    waiting_on_us: bool = True


@dataclass(frozen=True)
class TodoSource:
    title: str | Promise
    # The URL name (taking ``association_slug``) of the back-office section whose sidebar
    # entry shows the count.
    section: str
    # Whether a role may act on these items; the pages they link to check again.
    visible_to: Callable[["Role | None"], bool]
    # The items of one association with a count above zero, in one small query.
    items: Callable[["Association"], list[TodoItem]]
    order: int = 100


_sources: list[TodoSource] = []


def register_todo_source(source: TodoSource) -> None:
    if all(known.section != source.section for known in _sources):
        _sources.append(source)
        _sources.sort(key=lambda known: known.order)


@dataclass(frozen=True)
class TodoGroup:
    source: TodoSource
    items: list[TodoItem]

    @property
    def waiting(self) -> int:
        return sum(item.count for item in self.items if item.waiting_on_us)


def todo_list(*, association: "Association", role: "Role | None") -> list[TodoGroup]:
    """The to-do groups ``role`` may act on in ``association``, empty ones left out: one
    query per source the role sees."""
    groups = [
        TodoGroup(source, source.items(association))
        for source in _sources
        if source.visible_to(role)
    ]
    return [group for group in groups if group.items]


_CACHE = "_shanghui_todos"


def todos_of_request(request: Any) -> list[TodoGroup]:
    """``todo_list`` for the association and role of a back-office request, computed once
    per request (the dashboard and the sidebar show the same list)."""
    cached: list[TodoGroup] | None = getattr(request, _CACHE, None)
    if cached is None:
        cached = todo_list(association=request.association, role=request.role)
        setattr(request, _CACHE, cached)
    return cached


def section_badges(request: Any) -> dict[str, int]:
    """The sidebar's counts: per section URL name, the items waiting on the secretariat."""
    return {
        group.source.section: group.waiting for group in todos_of_request(request) if group.waiting
    }
