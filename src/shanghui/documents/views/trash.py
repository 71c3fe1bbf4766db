"""The library's trash (回收站): what was deleted, by whom and when, restore — and purge for
good, for administrators only (PURGE_DOCUMENTS), after a confirmation."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import act
from shanghui.documents import selectors
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.documents.views.base import go, require_manager


@login_required
@require_GET
def trash(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_manager(request)
    folders, files = selectors.trash(association=request.association)
    return render(
        request,
        "documents/office/trash.html",
        {
            "folders": folders.select_related("deleted_by"),
            "files": files,
            "usage": selectors.usage(request.association),
            "may_purge": selectors.may_purge(request.role),
            "days": max(30, int(settings.DOCUMENTS_TRASH_DAYS)),
        },
    )


@login_required
@require_POST
def file_restore(request: TenantRequest, association_slug: str, file_id: int) -> HttpResponseBase:
    require_manager(request)
    file = selectors.access_trashed_file(association=request.association, file_id=file_id)
    act(
        request,
        lambda: file_services.file_restore(
            association=request.association, actor=signed_in_user(request), file=file
        ),
        _("已恢复“%(name)s”") % {"name": file.name},
    )
    return go("office_trash", request)


@login_required
@require_POST
def file_purge(request: TenantRequest, association_slug: str, file_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.PURGE_DOCUMENTS)
    file = selectors.access_trashed_file(association=request.association, file_id=file_id)
    act(
        request,
        lambda: file_services.file_purge(
            association=request.association, actor=signed_in_user(request), file=file
        ),
        _("已彻底删除“%(name)s”") % {"name": file.name},
    )
    return go("office_trash", request)


@login_required
@require_POST
def folder_restore(
    request: TenantRequest, association_slug: str, folder_id: int
) -> HttpResponseBase:
    require_manager(request)
    folder = selectors.access_trashed_folder(association=request.association, folder_id=folder_id)
    act(
        request,
        lambda: folder_services.folder_restore(
            association=request.association, actor=signed_in_user(request), folder=folder
        ),
        _("已恢复文件夹“%(name)s”") % {"name": folder.name},
    )
    return go("office_trash", request)


@login_required
@require_POST
def folder_purge(request: TenantRequest, association_slug: str, folder_id: int) -> HttpResponseBase:
    require_perm(request.role, Perm.PURGE_DOCUMENTS)
    folder = selectors.access_trashed_folder(association=request.association, folder_id=folder_id)
    act(
        request,
        lambda: folder_services.folder_purge(
            association=request.association, actor=signed_in_user(request), folder=folder
        ),
        _("已彻底删除文件夹“%(name)s”") % {"name": folder.name},
    )
    return go("office_trash", request)
