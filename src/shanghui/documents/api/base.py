"""The library's router and what its endpoints share: who may do what, and the rows as the
schemas want them."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.associations.models import Association
from shanghui.documents import selectors
from shanghui.documents.models import DriveFile, FileVersion, Folder, ShareLink
from shanghui.documents.selectors import FolderView
from shanghui.documents.services import shares as share_services

documents_router = Router(tags=["资料库"])

BINARY = {
    "responses": {
        200: {
            "description": "文件",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


def reader(request: HttpRequest) -> tuple[Association, FolderView]:
    """Anyone with a role: what the folders' audiences let them see."""
    role = require_perm(current_role(request), Perm.VIEW_SPACE)
    association = current_association(request)
    view = selectors.folder_view(association=association, role=role, user=signed_in_user(request))
    return association, view


def manager(request: HttpRequest) -> tuple[Association, FolderView]:
    """The secretariat (MANAGE_DOCUMENTS): 404 for strangers, 403 for members."""
    role = require_perm(current_role(request), Perm.MANAGE_DOCUMENTS)
    association = current_association(request)
    view = selectors.folder_view(association=association, role=role, user=signed_in_user(request))
    return association, view


def purger(request: HttpRequest) -> Association:
    require_perm(current_role(request), Perm.PURGE_DOCUMENTS)
    return current_association(request)


def role_of(request: HttpRequest) -> Role:
    return require_member(current_role(request))


def folder_row(folder: Folder) -> dict[str, Any]:
    return {
        "id": folder.pk,
        "name": folder.name,
        "parent_id": folder.parent_id,
        "audience": folder.audience,
        "created_at": folder.created_at,
        "deleted_at": folder.deleted_at,
    }


def file_row(file: DriveFile) -> dict[str, Any]:
    return {
        "id": file.pk,
        "name": file.name,
        "folder_id": file.folder_id,
        "size": file.size,
        "content_type": file.content_type,
        "version_count": file.version_count,
        "current_version": file.current.number if file.current_id and file.current else None,
        "created_at": file.created_at,
        "updated_at": file.updated_at,
        "deleted_at": file.deleted_at,
    }


def version_row(version: FileVersion) -> dict[str, Any]:
    return {
        "file_id": version.file_id,
        "number": version.number,
        "size": version.size,
        "created_at": version.created_at,
        "uploaded_by": version.uploaded_by.name if version.uploaded_by else "",
        "restored_from": version.restored_from,
        "sha256": version.content.sha256,
    }


def share_row(share: ShareLink) -> dict[str, Any]:
    return {
        "id": share.pk,
        "file_id": share.file_id,
        "expires_at": share.expires_at,
        "revoked_at": share.revoked_at,
        "has_password": bool(share.password_hash),
        "downloads": share.downloads,
        "created_at": share.created_at,
        "state": str(share_services.share_state(share)),
    }
