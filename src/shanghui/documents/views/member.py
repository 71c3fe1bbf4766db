"""The library for members on the phone: the folders they may see (the folder's audience),
their files, preview and download. Inside WeChat's browser, which blocks most downloads,
images and PDFs are shown inline and other files say how to open the page in the system
browser."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.documents import selectors
from shanghui.documents.models import Folder
from shanghui.documents.services import downloads
from shanghui.documents.services import folders as folder_services
from shanghui.documents.views.base import folder_view_of, require_reader
from shanghui.documents.views.files import previewable


def in_wechat(request: HttpRequest) -> bool:
    return "MicroMessenger" in request.META.get("HTTP_USER_AGENT", "")


def _folder_page(request: TenantRequest, folder: Folder) -> HttpResponse:
    association = request.association
    view = folder_view_of(request)
    crumbs = selectors.breadcrumbs(association=association, folder=folder)
    return render(
        request,
        "documents/member/library.html",
        {
            "folder": folder,
            "crumbs": crumbs,
            "parent": crumbs[-2] if len(crumbs) > 1 else None,
            "children": selectors.subfolders(association=association, view=view, folder=folder),
            "files": selectors.files_in(association=association, folder=folder),
        },
    )


@login_required
@require_GET
def library(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_reader(request)
    return _folder_page(request, folder_services.root_folder(request.association))


@login_required
@require_GET
def folder(request: TenantRequest, association_slug: str, folder_id: int) -> HttpResponse:
    require_reader(request)
    found = selectors.access_folder(
        association=request.association, view=folder_view_of(request), folder_id=folder_id
    )
    return _folder_page(request, found)


@login_required
@require_GET
def file_page(request: TenantRequest, association_slug: str, file_id: int) -> HttpResponse:
    require_reader(request)
    file = selectors.access_file(
        association=request.association, view=folder_view_of(request), file_id=file_id
    )
    return render(
        request,
        "documents/member/file.html",
        {"file": file, "preview": previewable(file), "wechat": in_wechat(request)},
    )


@login_required
@require_GET
def download(request: TenantRequest, association_slug: str, file_id: int) -> HttpResponseBase:
    """The file's current version; ``?inline=1`` shows an image or PDF in the browser."""
    require_reader(request)
    file = selectors.access_file(
        association=request.association, view=folder_view_of(request), file_id=file_id
    )
    if file.current is None:
        raise Http404
    return downloads.version_download(
        association=request.association,
        actor=signed_in_user(request),
        file=file,
        version=file.current,
        inline=request.GET.get("inline") == "1",
    )
