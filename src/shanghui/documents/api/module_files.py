"""Other modules' files through the API (the secretariat): the files records of other
modules no longer hold — in the trash or kept as old versions — listed, downloaded, saved
into the library, a kept version made current again, and (administrators) removed for good."""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Status
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.associations.models import Association
from shanghui.core.apikit.pagination import EachPage, Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.models import StoredFile
from shanghui.core.storage.files import content_type_of
from shanghui.documents import selectors
from shanghui.documents.api.base import BINARY, documents_router, manager, purger, version_row
from shanghui.documents.api.schemas import ModuleFileOut, ModuleFileSaveIn, VersionOut
from shanghui.documents.selectors import ModuleFileRow
from shanghui.documents.services import module_files as services

router = documents_router


def module_file_row(row: ModuleFileRow) -> dict[str, Any]:
    f = row.file
    return {
        "id": f.pk,
        "name": f.name,
        "size": row.size,
        "content_type": content_type_of(f.name),
        "sha256": f.content.sha256,
        "state": row.state,
        "holder": f.holder,
        "field_label": row.field_label,
        "model_label": row.model_label,
        "record_id": f.record_id,
        "record_label": row.record_label,
        "record_exists": row.record_exists,
        "created_at": f.created_at,
        "created_by": f.created_by.name if f.created_by else "",
        "replaced_at": f.replaced_at,
        "replaced_by": row.replaced_by,
        "deleted_at": f.deleted_at,
        "removes_at": row.removes_at,
    }


def _rows(association: Association, files: list[StoredFile]) -> list[dict[str, Any]]:
    rows = selectors.module_file_rows(association=association, files=files)
    return [module_file_row(r) for r in rows]


@router.get(
    "/module-files", response={200: list[ModuleFileOut], **ERRORS}, summary="其他模块的文件"
)
@paginate(Pages)
def module_file_list(
    request: HttpRequest, slug: Path[str], show: Query[Literal["trash", "versions"]] = "trash"
) -> object:
    """Files that records of other modules (events, announcements, articles, applications
    …) no longer hold: ``show=trash`` those removed (newest first; removed for good
    ``DOCUMENTS_TRASH_DAYS`` days after), ``show=versions`` the replaced versions kept."""
    association, _view = manager(request)
    qs = selectors.module_files(association=association, show=show)
    return EachPage(qs, lambda files: _rows(association, files))


@router.get(
    "/module-files/{stored_file_id}/download",
    response={200: None, **ERRORS},
    openapi_extra=BINARY,
    summary="下载其他模块的文件",
)
def module_file_download(
    request: HttpRequest, slug: Path[str], stored_file_id: int
) -> HttpResponse:
    """The file's bytes, verified as they are sent."""
    association, _view = manager(request)
    stored = selectors.access_module_file(association=association, stored_file_id=stored_file_id)
    return services.module_file_download(  # type: ignore[return-value]
        association=association, actor=signed_in_user(request), stored=stored
    )


@router.post(
    "/module-files/{stored_file_id}/save",
    response={201: VersionOut, **ERRORS},
    summary="存入资料库",
)
def module_file_save(
    request: HttpRequest, slug: Path[str], stored_file_id: int, payload: ModuleFileSaveIn
) -> object:
    """A file of the library made of the same stored bytes (the quota does not change), in
    ``folder_id`` (the root by default); a file of that name there gets it as its next
    version, as an upload would."""
    association, view = manager(request)
    stored = selectors.access_module_file(association=association, stored_file_id=stored_file_id)
    folder = selectors.access_folder(
        association=association,
        view=view,
        folder_id=payload.folder_id if payload.folder_id is not None else view.root_id,
    )
    version = services.module_file_save(
        association=association,
        actor=signed_in_user(request),
        stored=stored,
        folder=folder,
        name=payload.name,
    )
    return Status(201, version_row(version))


@router.post(
    "/module-files/{stored_file_id}/restore",
    response={201: ModuleFileOut, **ERRORS},
    summary="恢复为当前文件",
)
def module_file_restore(request: HttpRequest, slug: Path[str], stored_file_id: int) -> object:
    """Make a kept version the current file of its record again — as a new file with the same
    bytes; the file it replaces is kept as a version. Refused (400) for a file in the trash
    or one whose record was deleted."""
    association, _view = manager(request)
    stored = selectors.access_module_file(association=association, stored_file_id=stored_file_id)
    restored = services.module_file_restore(
        association=association, actor=signed_in_user(request), stored=stored
    )
    restored = StoredFile.objects.select_related("content", "created_by").get(pk=restored.pk)
    return Status(201, _rows(association, [restored])[0])


@router.post(
    "/module-files/{stored_file_id}/purge",
    response={204: None, **ERRORS},
    summary="彻底删除其他模块的文件",
)
def module_file_purge(request: HttpRequest, slug: Path[str], stored_file_id: int) -> object:
    """Administrators only: remove a file in the trash or a kept version for good (never the
    file a record holds now). Cannot be undone."""
    association = purger(request)
    stored = selectors.access_module_file(association=association, stored_file_id=stored_file_id)
    services.module_file_purge(
        association=association, actor=signed_in_user(request), stored=stored
    )
    return Status(204, None)
