"""A file's page in the back office: its versions (download any, 恢复为此版本), preview of
images and PDFs, rename / move, delete to the trash, and its share links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import act, submit
from shanghui.documents import selectors
from shanghui.documents.forms import FileEditForm, ShareForm
from shanghui.documents.models import DriveFile, FileVersion
from shanghui.documents.services import downloads
from shanghui.documents.services import files as file_services
from shanghui.documents.services import shares as share_services
from shanghui.documents.views.base import (
    folder_paths,
    folder_view_of,
    go,
    go_folder,
    require_manager,
)


def previewable(file: DriveFile) -> str:
    """ "image", "pdf" or "" — what the browser can show of the current version."""
    return file_services.shown_as(file, file.current)


def _office_file(request: TenantRequest, file_id: int) -> DriveFile:
    require_manager(request)
    return selectors.access_file(
        association=request.association, view=folder_view_of(request), file_id=file_id
    )


def share_url(request: TenantRequest, token: str) -> str:
    return request.build_absolute_uri(
        reverse(
            "documents:share",
            kwargs={"association_slug": request.association.slug, "share_token": token},
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_page(request: TenantRequest, association_slug: str, file_id: int) -> HttpResponseBase:
    """The file with its versions; POST renames or moves it."""
    file = _office_file(request, file_id)
    association = request.association
    view = folder_view_of(request)
    form = FileEditForm(request.POST or None, initial={"name": file.name, "folder": file.folder_id})
    form.fields["folder"].choices = folder_paths(request, view)  # type: ignore[attr-defined]

    def save() -> None:
        target = selectors.access_folder(
            association=association, view=view, folder_id=form.cleaned_data["folder"]
        )
        file_services.file_rename(
            association=association,
            actor=signed_in_user(request),
            file=file,
            name=form.cleaned_data["name"],
            folder=target if target.pk != file.folder_id else None,
        )

    if submit(request, form, save, _("已保存文件")):
        return go("office_file", request, file_id=file.pk)
    versions = (
        FileVersion.objects.filter(association=association, file=file)
        .select_related("uploaded_by")
        .order_by("-number")
    )
    return render(
        request,
        "documents/office/file.html",
        {
            "file": file,
            "crumbs": selectors.breadcrumbs(association=association, folder=file.folder),
            "versions": versions,
            "form": form,
            "share_form": ShareForm(),
            "shares": share_services.shares_of(association=association, file=file),
            "preview": previewable(file),
            "new_share_url": request.session.pop(f"documents.share.{file.pk}", ""),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def file_delete(request: TenantRequest, association_slug: str, file_id: int) -> HttpResponseBase:
    file = _office_file(request, file_id)
    act(
        request,
        lambda: file_services.file_delete(
            association=request.association, actor=signed_in_user(request), file=file
        ),
        _("已将“%(name)s”移到回收站，可在回收站恢复") % {"name": file.name},
    )
    return go_folder(request, file.folder_id)


@login_required
@require_GET
def version_download(
    request: TenantRequest, association_slug: str, file_id: int, version_number: int
) -> HttpResponseBase:
    """Any version's bytes; ``?inline=1`` shows an image or PDF in the browser."""
    file = _office_file(request, file_id)
    version = selectors.access_version(
        association=request.association, file=file, number=version_number
    )
    return downloads.version_download(
        association=request.association,
        actor=signed_in_user(request),
        file=file,
        version=version,
        inline=request.GET.get("inline") == "1",
    )


@login_required
@require_POST
def version_restore(
    request: TenantRequest, association_slug: str, file_id: int, version_number: int
) -> HttpResponseBase:
    file = _office_file(request, file_id)
    version = selectors.access_version(
        association=request.association, file=file, number=version_number
    )
    act(
        request,
        lambda: file_services.version_restore(
            association=request.association,
            actor=signed_in_user(request),
            file=file,
            version=version,
        ),
        _("已恢复为第 %(n)d 版（保存为新版本）") % {"n": version.number},
    )
    return go("office_file", request, file_id=file.pk)


@login_required
@require_POST
def share_create(request: TenantRequest, association_slug: str, file_id: int) -> HttpResponseBase:
    """A new share link; its address is shown once, on the file's page (it is not stored)."""
    file = _office_file(request, file_id)
    form = ShareForm(request.POST)
    made: list[str] = []

    def create() -> None:
        _share, token = share_services.share_create(
            association=request.association,
            actor=signed_in_user(request),
            file=file,
            days=form.cleaned_data["days"],
            password=form.cleaned_data["password"],
        )
        made.append(token)

    if submit(request, form, create, _("已创建分享链接，请复制下方地址发送给对方")):
        request.session[f"documents.share.{file.pk}"] = share_url(request, made[0])
    else:
        for errors in form.errors.values():
            messages.error(request, "；".join(str(e) for e in errors))
    return go("office_file", request, file_id=file.pk)


@login_required
@require_POST
def share_revoke(
    request: TenantRequest, association_slug: str, file_id: int, share_id: int
) -> HttpResponseBase:
    file = _office_file(request, file_id)
    share = share_services.access_share(
        association=request.association, file=file, share_id=share_id
    )
    act(
        request,
        lambda: share_services.share_revoke(
            association=request.association, actor=signed_in_user(request), share=share
        ),
        _("已取消分享链接"),
    )
    return go("office_file", request, file_id=file.pk)
