"""What the library's pages share: who the caller is to the library, and the folder list
that the move and upload forms offer."""

from typing import Any

from django.http import HttpResponseBase
from django.shortcuts import redirect

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.documents import selectors
from shanghui.documents.models import Folder
from shanghui.documents.selectors import FolderView


def require_manager(request: TenantRequest) -> Role:
    """404 for strangers, 403 for members who do not manage the library."""
    return require_perm(request.role, Perm.MANAGE_DOCUMENTS)


def require_reader(request: TenantRequest) -> Role:
    return require_perm(request.role, Perm.VIEW_SPACE)


def folder_view_of(request: TenantRequest) -> FolderView:
    return selectors.folder_view(
        association=request.association,
        role=require_member(request.role),
        user=signed_in_user(request),
    )


def folder_paths(
    request: TenantRequest, view: FolderView, *, skip: Folder | None = None
) -> list[tuple[int, str]]:
    """Every folder ``view`` shows as ``(id, "资料库 / 2026年 / 会议纪要")``, in path order;
    ``skip`` leaves out a folder and everything below it (where it cannot be moved)."""
    rows = {
        pk: (parent, name)
        for pk, parent, name in Folder.objects.filter(
            association=request.association, deleted_at__isnull=True, pk__in=view.visible
        ).values_list("pk", "parent_id", "name")
    }
    paths: list[tuple[int, str]] = []
    for pk in rows:
        parts, current, skipped = [], pk, False
        while current is not None and current in rows:
            if skip is not None and current == skip.pk:
                skipped = True
                break
            parent, name = rows[current]
            parts.append(name)
            current = parent
        if not skipped:
            paths.append((pk, " / ".join(reversed(parts))))
    return sorted(paths, key=lambda row: row[1])


def go(name: str, request: TenantRequest, **kwargs: Any) -> HttpResponseBase:
    return redirect(f"documents:{name}", association_slug=request.association.slug, **kwargs)


def go_folder(request: TenantRequest, folder_id: int | None) -> HttpResponseBase:
    if folder_id is None:
        return go("office_library", request)
    return go("office_folder", request, folder_id=folder_id)
