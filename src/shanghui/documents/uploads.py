"""Resumable uploads for large files: the tus protocol 1.0.0 (https://tus.io), which browser
and mini-program clients implement, with its creation and termination extensions.

1. ``POST /api/v1/associations/{slug}/documents/uploads`` (through the tenant door, checked
   like any upload to the folder) with ``Upload-Length`` and ``Upload-Metadata`` (``filename``
   and ``folder_id``, base64) makes an ``UploadSession`` and answers 201 with its
   ``Location``: ``/uploads/<id>/``.
2. ``PATCH /uploads/<id>/`` (``Upload-Offset``, ``Content-Type:
   application/offset+octet-stream``) appends a chunk; ``HEAD`` tells how much arrived, so
   an interrupted client resumes there; ``DELETE`` gives up.

A chunk is written outside any transaction into the upload's file in the upload directory
(flushed to disk), and only then recorded in a short transaction by a conditional UPDATE of
``offset`` — two PATCHes at one offset cannot both count. Bytes past the recorded offset (a
chunk cut by a killed server) are cut off before the next chunk is written. With the last
chunk the file is hashed in place and moved into the content store, and the version is
written in the association's tenant context; the response carries ``X-Version-Id``."""

import base64
import binascii
import contextlib
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja.utils import check_csrf

from shanghui.accounts.callers import bearer_user
from shanghui.accounts.models import User
from shanghui.accounts.permissions import Perm, has_perm, role_in
from shanghui.associations.models import Association
from shanghui.core.apikit.errors import error_response
from shanghui.core.audit import audit
from shanghui.core.storage.checks import HEAD_BYTES, document_head_check, document_name_check
from shanghui.core.storage.content import (
    QuotaExceeded,
    content_adopt,
    content_usage,
    size_label,
    storage_quota,
)
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import Folder, UploadSession
from shanghui.documents.names import name_checked
from shanghui.documents.services.files import version_add, whole_file_check

TUS_VERSION = "1.0.0"
# Chunks a client should send (nginx's client_max_body_size must admit one).
CHUNK_SIZE = 8 * 1024 * 1024
# An unfinished upload is kept this long after its last chunk (then pruned with its file).
UPLOAD_KEPT = timedelta(days=1)


def _headers(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def upload_path(session: UploadSession) -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR) / "tus" / f"{session.pk}.part"


def _metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64value`` pairs."""
    values: dict[str, str] = {}
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        if not parts[0]:
            continue
        try:
            values[parts[0]] = (
                base64.b64decode(parts[1], validate=True).decode() if len(parts) > 1 else ""
            )
        except (binascii.Error, UnicodeDecodeError):
            raise ValidationError({"Upload-Metadata": _("上传信息格式不正确")}) from None
    return values


def upload_create(
    *,
    association: Association,
    actor: User,
    folder: Folder,
    length_header: str,
    metadata_header: str,
) -> UploadSession:
    """A new resumable upload of ``length`` bytes into ``folder`` (the caller checked the
    folder and the permission): refused at once when the file is too large, of a refused
    name, or would not fit in the quota."""
    length = length_header.strip()
    if not (length.isascii() and length.isdigit()) or len(length) > 15:
        raise ValidationError({"Upload-Length": _("请提供文件大小")})
    size = int(length)
    if size == 0:
        raise ValidationError({"file": _("文件是空的")})
    if size > settings.DOCUMENTS_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("文件不能超过 %(size)s")
                % {"size": size_label(settings.DOCUMENTS_MAX_BYTES)}
            }
        )
    name = name_checked(
        _metadata(metadata_header).get("filename", ""), field="file", max_length=200
    )
    document_name_check(name, field="file")
    used, quota = content_usage(association), storage_quota(association)
    if used + size > quota:
        raise ValidationError({"file": QuotaExceeded(used=used, quota=quota, size=size).message()})
    session = UploadSession.objects.create(
        association=association,
        user=actor,
        folder_id=folder.pk,
        filename=name,
        length=size,
        expires_at=timezone.now() + UPLOAD_KEPT,
    )
    path = upload_path(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return session


def _caller(request: HttpRequest) -> tuple[User | None, HttpResponse | None]:
    """The account sending a chunk: a bearer token, or the session (with its CSRF token)."""
    user = bearer_user(request)
    if user is not None:
        return user, None
    session_user = getattr(request, "user", None)
    if session_user is None or not session_user.is_authenticated or not session_user.is_active:
        return None, error_response("unauthorized", status=401)
    refused = check_csrf(request)
    return (session_user, None) if refused is None else (None, error_response("csrf", status=403))


def _session_of(upload_id: uuid.UUID, user: User) -> UploadSession | None:
    """The caller's own unexpired upload; anyone else's is the same 404 as none."""
    return UploadSession.objects.filter(
        pk=upload_id, user=user, expires_at__gt=timezone.now()
    ).first()


@csrf_exempt  # checked in _caller for session users; bearer tokens need none
def upload_resource(request: HttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = "creation,termination"
        response["Tus-Max-Size"] = str(settings.DOCUMENTS_MAX_BYTES)
        return _headers(response)
    user, refused = _caller(request)
    if refused is not None or user is None:
        return _headers(refused or error_response("unauthorized", status=401))
    session = _session_of(upload_id, user)
    if session is None:
        return _headers(error_response("not_found", status=404))
    if request.method == "HEAD":
        response = HttpResponse(status=200)
        response["Upload-Offset"] = str(session.offset)
        response["Upload-Length"] = str(session.length)
        return _headers(response)
    if request.method == "DELETE":
        upload_path(session).unlink(missing_ok=True)
        session.delete()
        return _headers(HttpResponse(status=204))
    if request.method == "PATCH":
        return _headers(_patch(request, session, user))
    return _headers(error_response("method_not_allowed", status=405))


def _patch(request: HttpRequest, session: UploadSession, user: User) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        return error_response("unsupported_media_type", status=415)
    offset = request.headers.get("Upload-Offset", "")
    if not (offset.isascii() and offset.isdigit()) or int(offset) != session.offset:
        return error_response(
            "conflict", status=409, message=_("上传位置不一致，请从服务器记录的位置继续")
        )
    declared = request.headers.get("Content-Length", "")
    size = int(declared) if declared.isascii() and declared.isdigit() else -1
    if size < 0 or session.offset + size > session.length or size > CHUNK_SIZE * 2:
        return error_response("bad_request", status=400, message=_("分片大小不正确"))
    path = upload_path(session)
    if not path.exists():  # pruned while the client was away: start again
        session.delete()
        return error_response("not_found", status=404)
    written = 0
    # Outside any transaction: the chunk arrives at the client's pace.
    with open(path, "r+b") as out:
        out.truncate(session.offset)  # bytes a killed request left past the record
        out.seek(session.offset)
        while written < size:
            piece = request.read(min(1024 * 1024, size - written))
            if not piece:
                break
            out.write(piece)
            written += len(piece)
        out.flush()
        os.fsync(out.fileno())
    if session.offset == 0 and written:
        # The first chunk already tells a program or a mismatch: refused before the rest.
        with open(path, "rb") as written_file:
            head = written_file.read(HEAD_BYTES)
        try:
            document_head_check(session.filename, head, field="file")
        except ValidationError as error:
            path.unlink(missing_ok=True)
            session.delete()
            return error_response("invalid", status=422, fields=error.message_dict)
    new_offset = session.offset + written
    with transaction.atomic():
        counted = UploadSession.objects.filter(pk=session.pk, offset=session.offset).update(
            offset=new_offset, expires_at=timezone.now() + UPLOAD_KEPT
        )
    if not counted:
        return error_response(
            "conflict", status=409, message=_("上传位置不一致，请从服务器记录的位置继续")
        )
    session.offset = new_offset
    response = HttpResponse(status=204)
    response["Upload-Offset"] = str(new_offset)
    if new_offset == session.length:
        try:
            version_id = upload_finish(session, user)
        except ValidationError as error:
            fields = (
                error.message_dict if hasattr(error, "error_dict") else {"file": error.messages}
            )
            return error_response("invalid", status=422, fields=fields)
        except PermissionDenied:
            return error_response("forbidden", status=403)
        response["X-Version-Id"] = str(version_id)
    return response


def upload_finish(session: UploadSession, user: User) -> int:
    """The last chunk is in: check the file's beginning, move it into the content store and
    add it to the library — as the uploader, if they still may, into the folder if it is
    still there. The session and its file are gone afterwards, whatever the outcome."""
    path = upload_path(session)
    association = Association.objects.get(pk=session.association_id)
    try:
        with tenant_context(association):
            role = role_in(user, association)
            if not has_perm(role, Perm.MANAGE_DOCUMENTS):
                raise PermissionDenied
            folder = Folder.objects.filter(
                association=association, pk=session.folder_id, deleted_at__isnull=True
            ).first()
            if folder is None:
                raise ValidationError({"folder_id": _("文件夹已被删除")})
        try:
            content = content_adopt(association, path, check=whole_file_check(session.filename))
        except QuotaExceeded as error:
            raise ValidationError({"file": error.message()}) from None
        with tenant_context(association), transaction.atomic():
            version = version_add(
                association=association,
                actor=user,
                folder=folder,
                name=session.filename,
                content=content,
            )
            audit(
                actor=user,
                action="documents.file.upload",
                association=association,
                target=version.file,
                summary=session.filename,
                data={"version": version.number, "size": content.size, "resumable": True},
            )
        return version.pk
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        session.delete()


def uploads_prune(*, now: datetime | None = None) -> int:
    """Remove expired unfinished uploads and their files (``manage.py prune_uploads``)."""
    now = now or timezone.now()
    removed = 0
    for session in UploadSession.objects.filter(expires_at__lte=now):
        upload_path(session).unlink(missing_ok=True)
        session.delete()
        removed += 1
    return removed
