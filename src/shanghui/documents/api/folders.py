"""Folders through the API: the root, a folder with its path, its subfolders and files, create
(from a template too), update (rename, move, audience), delete to the trash, restore, purge,
and the folder as a zip. The same services and access helpers as the pages."""

from django.http import HttpRequest, HttpResponse
from ninja import Path, Status
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import current_role
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.audience import AudienceChoice, AudienceIn, audience_rules
from shanghui.documents import selectors
from shanghui.documents.api.base import (
    BINARY,
    documents_router,
    file_row,
    folder_row,
    manager,
    purger,
    reader,
)
from shanghui.documents.api.schemas import (
    DocumentsUsageOut,
    DriveFileOut,
    FolderCreateIn,
    FolderDetailOut,
    FolderOut,
    FolderUpdateIn,
    PurgedOut,
)
from shanghui.documents.models import Folder
from shanghui.documents.services import downloads
from shanghui.documents.services import folders as folder_services

router = documents_router


def _detail(request: HttpRequest, folder: Folder) -> dict[str, object]:
    association = folder.association
    rules = None
    if folder.audience == Folder.Audience.RULES and selectors.manages(current_role(request)):
        found = audience_rules(
            association=association, owner_type=folder_services.AUDIENCE_OWNER, owner_id=folder.pk
        )

        def targets(kind: str) -> list[int]:
            return [r.target_id for r in found if r.kind == kind and r.target_id]

        rules = {
            "level_ids": targets("level"),
            "committee_ids": targets("committee"),
            "post_ids": targets("post"),
            "person_ids": targets("person"),
            "council": any(r.kind == "council" for r in found),
        }
    return {
        **folder_row(folder),
        "path": [
            folder_row(f) for f in selectors.breadcrumbs(association=association, folder=folder)
        ],
        "audience_rules": rules,
    }


def _choices(rules: AudienceIn | None) -> list[AudienceChoice]:
    if rules is None:
        return []
    return [c for c in rules.to_input().choices() if c.target_ids or c.chosen]


@router.get("/usage", response={200: DocumentsUsageOut, **ERRORS}, summary="存储用量")
def usage(request: HttpRequest, slug: Path[str]) -> object:
    """The association's storage used and its quota. Files in the trash and old versions
    count until they are purged."""
    association, _view = manager(request)
    found = selectors.usage(association)
    return {"used": found.used, "quota": found.quota, "percent": found.percent}


@router.get("/folders/root", response={200: FolderDetailOut, **ERRORS}, summary="根文件夹")
def folder_root(request: HttpRequest, slug: Path[str]) -> object:
    """The library's root folder (made on first use): where every listing starts."""
    association, _view = reader(request)
    return _detail(request, folder_services.root_folder(association))


@router.post("/folders", response={201: FolderDetailOut, **ERRORS}, summary="新建文件夹")
def folder_create(request: HttpRequest, slug: Path[str], payload: FolderCreateIn) -> object:
    """A folder under ``parent_id``; with ``template`` (year, meeting) its usual subfolders
    too. A new folder is seen by whom its parent is seen by unless ``audience`` says."""
    association, view = manager(request)
    parent = selectors.access_folder(
        association=association, view=view, folder_id=payload.parent_id
    )
    actor = signed_in_user(request)
    if payload.template:
        created = folder_services.folder_create_from_template(
            association=association,
            actor=actor,
            parent=parent,
            name=payload.name,
            template=payload.template,
        )
    else:
        created = folder_services.folder_create(
            association=association,
            actor=actor,
            parent=parent,
            name=payload.name,
            audience=payload.audience,
        )
    return Status(201, _detail(request, created))


@router.get("/folders/{folder_id}", response={200: FolderDetailOut, **ERRORS}, summary="文件夹详情")
def folder_detail(request: HttpRequest, slug: Path[str], folder_id: int) -> object:
    association, view = reader(request)
    return _detail(
        request, selectors.access_folder(association=association, view=view, folder_id=folder_id)
    )


@router.get(
    "/folders/{folder_id}/folders",
    response={200: list[FolderOut], **ERRORS},
    summary="子文件夹列表",
)
@paginate(Pages)
def folder_children(request: HttpRequest, slug: Path[str], folder_id: int) -> object:
    """The subfolders the caller sees, by name."""
    association, view = reader(request)
    folder = selectors.access_folder(association=association, view=view, folder_id=folder_id)
    return [
        folder_row(f)
        for f in selectors.subfolders(association=association, view=view, folder=folder)
    ]


@router.get(
    "/folders/{folder_id}/files",
    response={200: list[DriveFileOut], **ERRORS},
    summary="文件夹中的文件",
)
@paginate(Pages)
def folder_files(request: HttpRequest, slug: Path[str], folder_id: int) -> object:
    """The live files of a folder, by name."""
    association, view = reader(request)
    folder = selectors.access_folder(association=association, view=view, folder_id=folder_id)
    return [file_row(f) for f in selectors.files_in(association=association, folder=folder)]


@router.put("/folders/{folder_id}", response={200: FolderDetailOut, **ERRORS}, summary="修改文件夹")
def folder_update(
    request: HttpRequest, slug: Path[str], folder_id: int, payload: FolderUpdateIn
) -> object:
    """Rename, move (``parent_id``; never into itself) or set who sees it (``audience`` with
    ``audience_rules`` for rules). Fields left out stay as they are."""
    association, view = manager(request)
    folder = selectors.access_folder(association=association, view=view, folder_id=folder_id)
    parent = (
        selectors.access_folder(association=association, view=view, folder_id=payload.parent_id)
        if payload.parent_id is not None
        else None
    )
    updated = folder_services.folder_update(
        association=association,
        actor=signed_in_user(request),
        folder=folder,
        name=payload.name,
        parent=parent,
        audience=payload.audience,
        audience_choices=_choices(payload.audience_rules),
    )
    return _detail(request, updated)


@router.delete("/folders/{folder_id}", response={204: None, **ERRORS}, summary="删除文件夹")
def folder_delete(request: HttpRequest, slug: Path[str], folder_id: int) -> object:
    """Into the trash with everything inside it; restorable for at least 30 days."""
    association, view = manager(request)
    folder = selectors.access_folder(association=association, view=view, folder_id=folder_id)
    folder_services.folder_delete(
        association=association, actor=signed_in_user(request), folder=folder
    )
    return Status(204, None)


@router.post(
    "/folders/{folder_id}/restore", response={200: FolderDetailOut, **ERRORS}, summary="恢复文件夹"
)
def folder_restore(request: HttpRequest, slug: Path[str], folder_id: int) -> object:
    """Out of the trash (with its parents if they are there too), under a free name."""
    association, _view = manager(request)
    folder = selectors.access_trashed_folder(association=association, folder_id=folder_id)
    restored = folder_services.folder_restore(
        association=association, actor=signed_in_user(request), folder=folder
    )
    return _detail(request, restored)


@router.post(
    "/folders/{folder_id}/purge", response={200: PurgedOut, **ERRORS}, summary="彻底删除文件夹"
)
def folder_purge(request: HttpRequest, slug: Path[str], folder_id: int) -> object:
    """Administrators only: remove a folder in the trash for good, with every file and
    version inside it. Cannot be undone."""
    association = purger(request)
    folder = selectors.access_trashed_folder(association=association, folder_id=folder_id)
    count = folder_services.folder_purge(
        association=association, actor=signed_in_user(request), folder=folder
    )
    return {"files": count}


@router.get(
    "/folders/{folder_id}/zip",
    response={200: None, **ERRORS},
    openapi_extra=BINARY,
    summary="打包下载文件夹",
)
def folder_zip(request: HttpRequest, slug: Path[str], folder_id: int) -> HttpResponse:
    """The folder and its subfolders as a zip — only what the caller may see."""
    association, view = reader(request)
    folder = selectors.access_folder(association=association, view=view, folder_id=folder_id)
    return downloads.folder_zip(  # type: ignore[return-value]
        association=association, actor=signed_in_user(request), view=view, folder=folder
    )
