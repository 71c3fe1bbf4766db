"""The secretariat's to-do list (待办) for one request: the dashboard lists it, the sidebar
counts it per section. Each app contributes its items (``core.contributions.TODOS``); the
list is computed at most once per request, and only when a page shows it."""

from typing import Any

from shanghui.core.contributions import TodoGroup, todo_list

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
