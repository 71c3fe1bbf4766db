"""Files through the API: search, upload (multipart; a name already in the folder becomes
its next version — files over 8 MB are better sent resumably through the tus endpoint),
details, rename / move, delete to the trash, restore, purge, versions (list, download,
restore), and the trash's list."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import current_role
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.documents import selectors
from shanghui.documents.api.base import (
    BINARY,
    documents_router,
    file_row,
    folder_row,
    manager,
    purger,
    reader,
    version_row,
)
from shanghui.documents.api.schemas import (
    DocumentsTrashOut,
    DriveFileOut,
    FileUpdateIn,
    VersionOut,
)
from shanghui.documents.models import DriveFile, FileVersion
from shanghui.documents.services import downloads
from shanghui.documents.services import files as file_services

router = documents_router


@router.get("/files", response={200: list[DriveFileOut], **ERRORS}, summary="搜索文件")
@paginate(Pages)
def file_search(request: HttpRequest, slug: Path[str], q: Query[str] = "") -> object:
    """Files whose name matches ``q`` in characters (简体或繁體), full pinyin or initials, in
    the folders the caller sees (at most 100)."""
    association, view = reader(request)
    found = selectors.search(association=association, view=view, query=q[:60]) if q else []
    return [file_row(f) for f in found]


@router.get("/trash", response={200: DocumentsTrashOut, **ERRORS}, summary="回收站")
def trash(request: HttpRequest, slug: Path[str]) -> object:
    """What the trash holds: deleted folders (with everything inside) and deleted files,
    newest first. Restorable for at least 30 days."""
    association, _view = manager(request)
    folders, files = selectors.trash(association=association)
    return {
        "folders": [folder_row(f) for f in folders[:500]],
        "files": [file_row(f) for f in files.select_related("current")[:500]],
    }


@router.post("/folders/{folder_id}/files", response={201: VersionOut, **ERRORS}, summary="上传文件")
def file_upload(
    request: HttpRequest,
    slug: Path[str],
    folder_id: int,
    file: File[UploadedFile | None] = None,
) -> object:
    """Upload one file (multipart field ``file``) into the folder: a new file, or the next
    version of the file of that name. Refused (400): empty, a program or script, over the
    size limit or the association's quota."""
    association, view = manager(request)
    folder = selectors.access_folder(association=association, view=view, folder_id=folder_id)
    if file is None:
        raise ValidationError({"file": _("请选择要上传的文件")})
    try:
        version = file_services.file_upload(
            association=association,
            actor=signed_in_user(request),
            folder=folder,
            name=file.name or "",
            source=file,
        )
    finally:
        file.close()
    return Status(201, version_row(version))


def _file(request: HttpRequest, file_id: int, *, manage: bool = False) -> DriveFile:
    association, view = manager(request) if manage else reader(request)
    return selectors.access_file(association=association, view=view, file_id=file_id)


@router.get("/files/{file_id}", response={200: DriveFileOut, **ERRORS}, summary="文件详情")
def file_detail(request: HttpRequest, slug: Path[str], file_id: int) -> object:
    return file_row(_file(request, file_id))


@router.put("/files/{file_id}", response={200: DriveFileOut, **ERRORS}, summary="重命名或移动文件")
def file_update(
    request: HttpRequest, slug: Path[str], file_id: int, payload: FileUpdateIn
) -> object:
    association, view = manager(request)
    file = selectors.access_file(association=association, view=view, file_id=file_id)
    folder = (
        selectors.access_folder(association=association, view=view, folder_id=payload.folder_id)
        if payload.folder_id is not None and payload.folder_id != file.folder_id
        else None
    )
    updated = file_services.file_rename(
        association=association,
        actor=signed_in_user(request),
        file=file,
        name=payload.name if payload.name is not None else file.name,
        folder=folder,
    )
    return file_row(updated)


@router.delete("/files/{file_id}", response={204: None, **ERRORS}, summary="删除文件")
def file_delete(request: HttpRequest, slug: Path[str], file_id: int) -> object:
    """Into the trash; restorable for at least 30 days."""
    association, view = manager(request)
    file = selectors.access_file(association=association, view=view, file_id=file_id)
    file_services.file_delete(association=association, actor=signed_in_user(request), file=file)
    return Status(204, None)


@router.post(
    "/files/{file_id}/restore", response={200: DriveFileOut, **ERRORS}, summary="从回收站恢复文件"
)
def file_restore(request: HttpRequest, slug: Path[str], file_id: int) -> object:
    """Back into its folder (restored too if it is in the trash), under a free name if
    another file took its name meanwhile."""
    association, _view = manager(request)
    file = selectors.access_trashed_file(association=association, file_id=file_id)
    restored = file_services.file_restore(
        association=association, actor=signed_in_user(request), file=file
    )
    return file_row(restored)


@router.post("/files/{file_id}/purge", response={204: None, **ERRORS}, summary="彻底删除文件")
def file_purge(request: HttpRequest, slug: Path[str], file_id: int) -> object:
    """Administrators only: remove a file in the trash for good with all its versions and
    share links. Cannot be undone."""
    association = purger(request)
    file = selectors.access_trashed_file(association=association, file_id=file_id)
    file_services.file_purge(association=association, actor=signed_in_user(request), file=file)
    return Status(204, None)


@router.get(
    "/files/{file_id}/versions", response={200: list[VersionOut], **ERRORS}, summary="历史版本"
)
@paginate(Pages)
def version_list(request: HttpRequest, slug: Path[str], file_id: int) -> object:
    """Every version of the file, newest first (the secretariat)."""
    file = _file(request, file_id, manage=True)
    return [
        version_row(v)
        for v in FileVersion.objects.filter(association=file.association_id, file=file)
        .select_related("content", "uploaded_by")
        .order_by("-number")
    ]


@router.get(
    "/files/{file_id}/versions/{version_number}/download",
    response={200: None, **ERRORS},
    openapi_extra=BINARY,
    summary="下载文件版本",
)
def version_download(
    request: HttpRequest,
    slug: Path[str],
    file_id: int,
    version_number: int,
    inline: Query[bool] = False,
) -> HttpResponse:
    """A version's bytes, verified as they are sent (a member may fetch the current version
    only). ``inline=true`` asks the browser to show it (images, PDF)."""
    association, view = reader(request)
    file = selectors.access_file(association=association, view=view, file_id=file_id)
    version = selectors.access_version(association=association, file=file, number=version_number)
    if version.pk != file.current_id and not selectors.manages(current_role(request)):
        raise Http404
    return downloads.version_download(  # type: ignore[return-value]
        association=association,
        actor=signed_in_user(request),
        file=file,
        version=version,
        inline=inline,
    )


@router.post(
    "/files/{file_id}/versions/{version_number}/restore",
    response={201: VersionOut, **ERRORS},
    summary="恢复为此版本",
)
def version_restore(
    request: HttpRequest, slug: Path[str], file_id: int, version_number: int
) -> object:
    """Make the version's bytes current again — as a new version, so nothing is lost."""
    association, view = manager(request)
    file = selectors.access_file(association=association, view=view, file_id=file_id)
    version = selectors.access_version(association=association, file=file, number=version_number)
    restored = file_services.version_restore(
        association=association, actor=signed_in_user(request), file=file, version=version
    )
    return Status(201, version_row(restored))
