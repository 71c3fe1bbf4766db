"""Files: upload (a new file or a new version of one), restore a version, delete to the trash,
restore from it, purge, the trash's retention, downloads and zips.

Uploads store their bytes first (``core.storage.content_put``: spooled, hashed, checked
against the quota, stored — with no transaction open), and only then write the rows that
refer to them in one short transaction. Call ``file_upload`` outside any transaction."""

import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.chinese import search_key, search_tokens
from shanghui.core.models import StoredContent
from shanghui.core.storage.checks import HEAD_BYTES, document_check, document_head_check
from shanghui.core.storage.content import (
    ContentTooLarge,
    QuotaExceeded,
    content_blocks,
    content_put,
    content_response,
    size_label,
)
from shanghui.core.storage.files import content_type_of
from shanghui.core.storage.previews import preview_kind
from shanghui.core.storage.stores import Readable
from shanghui.documents.models import DriveFile, FileSearchToken, FileVersion, Folder
from shanghui.documents.names import name_checked
from shanghui.documents.services.folders import _free_name, folder_chain, folder_restore
from shanghui.documents.tasks import version_preview


class _Peeked:
    """A stream whose first bytes were read for the checks, read again from its start."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            piece, self.head = self.head, b""
            return piece
        return self.rest.read(size)


def whole_file_check(name: str) -> Callable[[Path], object]:
    """The library's check of a whole spooled file (``core.storage.checks``): its kind by
    content, never a program, no zip bomb."""
    return lambda path: document_check(name, path, field="file")


def file_upload(
    *,
    association: Association,
    actor: User,
    folder: Folder,
    name: str,
    source: Readable,
) -> FileVersion:
    """Store ``source`` as the file ``name`` in ``folder``: a new file, or — when a file of
    that name is there — its next version. Raises ValidationError on ``file`` (empty, too
    large, a program, over the quota) and changes nothing then."""
    name = name_checked(name, field="file", max_length=200)
    # The first bytes refuse a program or a mismatch before the rest is read.
    head = source.read(HEAD_BYTES)
    document_head_check(name, head, field="file")
    try:
        content = content_put(
            association,
            _Peeked(head, source),
            max_bytes=settings.DOCUMENTS_MAX_BYTES,
            check=whole_file_check(name),
        )
    except ContentTooLarge as error:
        raise ValidationError(
            {"file": _("文件不能超过 %(size)s") % {"size": size_label(error.limit)}}
        ) from None
    except QuotaExceeded as error:
        raise ValidationError({"file": error.message()}) from None
    version = version_add(
        association=association, actor=actor, folder=folder, name=name, content=content
    )
    audit(
        actor=actor,
        action="documents.file.upload",
        association=association,
        target=version.file,
        summary=name,
        data={"version": version.number, "size": content.size},
    )
    return version


def library_name(name: str, *, max_length: int = 200) -> str:
    """A name from elsewhere (another module's file) as the library takes it: checked like
    an upload's, and shortened — keeping its extension — when longer than the library's
    names may be."""
    if len(name.strip()) > max_length:
        stem, dot, extension = name.strip().rpartition(".")
        if not dot or not stem or len(extension) > 10:
            stem, dot, extension = name.strip(), "", ""
        keep = max_length - len(dot) - len(extension)
        name = f"{stem[:keep].rstrip()}{dot}{extension}"
    return name_checked(name, field="name", max_length=max_length)


def file_from_content(
    *,
    association: Association,
    actor: User,
    folder: Folder,
    name: str,
    content: StoredContent,
) -> FileVersion:
    """Bytes already stored (another module's file) as the file ``name`` in ``folder``: a
    new file, or — as an upload of that name would — its next version. No bytes are stored
    again, so the quota does not change. In one transaction; the caller audits."""
    if content.association_id != association.pk:
        raise ValueError("content of another association")
    return version_add(
        association=association,
        actor=actor,
        folder=folder,
        name=library_name(name),
        content=content,
    )


def tokens_rebuild(*, association: Association) -> int:
    """Every file's search tokens written again from its name (``manage.py
    index_documents``); answers how many files."""
    files = list(DriveFile.objects.filter(association=association).only("pk", "name"))
    with transaction.atomic():
        FileSearchToken.objects.filter(association=association).delete()
        FileSearchToken.objects.bulk_create(
            FileSearchToken(association_id=association.pk, file=file, key=key)
            for file in files
            for key in sorted(search_tokens(file.name))
        )
    return len(files)


def _tokens_write(file: DriveFile) -> None:
    FileSearchToken.objects.filter(association=file.association_id, file=file).delete()
    FileSearchToken.objects.bulk_create(
        FileSearchToken(association_id=file.association_id, file=file, key=key)
        for key in sorted(search_tokens(file.name))
    )


def _preview_of(association: Association, name: str, content: StoredContent) -> dict[str, Any]:
    """A new version's preview: the one another version of the same bytes (and kind) has
    already (a restore, a re-upload), to be made by a task, or none for a kind not shown."""
    if not preview_kind(name):
        return {"preview_status": FileVersion.Preview.NONE}
    made = (
        FileVersion.objects.filter(
            association=association,
            content=content,
            preview_status=FileVersion.Preview.READY,
            file__name__endswith=name[name.rfind(".") :],
        )
        .values("preview_id")
        .first()
    )
    if made is not None:
        return {"preview_id": made["preview_id"], "preview_status": FileVersion.Preview.READY}
    return {"preview_status": FileVersion.Preview.PENDING}


def version_add(
    *,
    association: Association,
    actor: User,
    folder: Folder,
    name: str,
    content: StoredContent,
    restored_from: int | None = None,
    file: DriveFile | None = None,
) -> FileVersion:
    """The next version of the live file ``name`` in ``folder`` (made if there is none), in
    one transaction. Two uploads of one name at the same moment both land: the file's row is
    made once (the other takes it after the unique name refuses its own), and each takes the
    next number by a conditional UPDATE of ``version_count``."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                target = file or (
                    DriveFile.objects.filter(
                        association=association, folder=folder, name=name, deleted_at__isnull=True
                    ).first()
                )
                if target is None:
                    target = DriveFile.objects.create(
                        association=association,
                        folder=folder,
                        name=name,
                        search_text=search_key(name),
                        content_type=content_type_of(name),
                        created_by=actor,
                    )
                    _tokens_write(target)
                live = DriveFile.objects.filter(pk=target.pk, deleted_at__isnull=True)
                if not live.update(version_count=F("version_count") + 1):
                    raise ValidationError({"file": _("文件已被删除")})
                number = live.values_list("version_count", flat=True).get()
                version = FileVersion.objects.create(
                    association=association,
                    file=target,
                    number=number,
                    content=content,
                    size=content.size,
                    restored_from=restored_from,
                    uploaded_by=actor,
                    **_preview_of(association, name, content),
                )
                if version.preview_status == FileVersion.Preview.PENDING:
                    # In the transaction, as the notification center does: the database
                    # task queue commits or rolls back with the version.
                    version_preview.enqueue(association_id=association.pk, version_id=version.pk)
                live.update(current=version, size=content.size, updated_at=timezone.now())
                version.file = target
                return version
        except IntegrityError:
            continue  # the same name made at the same moment: add to that file
    raise ValidationError({"file": _("上传冲突，请重试")})


@transaction.atomic
def version_restore(
    *, association: Association, actor: User, file: DriveFile, version: FileVersion
) -> FileVersion:
    """Make ``version``'s bytes the file's current ones — as a new version, so nothing of
    the history is lost (restoring again goes back)."""
    if file.deleted_at is not None:
        raise ValidationError({"file": _("请先从回收站恢复此文件")})
    restored = version_add(
        association=association,
        actor=actor,
        folder=file.folder,
        name=file.name,
        content=version.content,
        restored_from=version.number,
        file=file,
    )
    audit(
        actor=actor,
        action="documents.version.restore",
        association=association,
        target=file,
        summary=file.name,
        data={"version": version.number, "new_version": restored.number},
    )
    return restored


@transaction.atomic
def file_rename(
    *,
    association: Association,
    actor: User,
    file: DriveFile,
    name: str,
    folder: Folder | None = None,
) -> DriveFile:
    file.name = name_checked(name, field="name", max_length=200)
    changed = ["name", "search_text", "updated_at"]
    if folder is not None:
        file.folder = folder
        changed.append("folder")
    file.search_text = search_key(file.name)
    try:
        with transaction.atomic():
            file.save(update_fields=changed)
    except IntegrityError:
        raise ValidationError({"name": _("此位置已有同名文件")}) from None
    _tokens_write(file)
    audit(
        actor=actor,
        action="documents.file.update",
        association=association,
        target=file,
        summary=file.name,
        data={"fields": changed},
    )
    return file


@transaction.atomic
def file_delete(*, association: Association, actor: User, file: DriveFile) -> None:
    """Into the trash; restorable for at least ``DOCUMENTS_TRASH_DAYS`` days."""
    now = timezone.now()
    if DriveFile.objects.filter(pk=file.pk, deleted_at__isnull=True).update(
        deleted_at=now, deleted_by=actor
    ):
        file.deleted_at, file.deleted_by = now, actor
    audit(
        actor=actor,
        action="documents.file.delete",
        association=association,
        target=file,
        summary=file.name,
    )


@transaction.atomic
def file_restore(*, association: Association, actor: User, file: DriveFile) -> DriveFile:
    """Out of the trash into its folder (restored too if it is in the trash), under a free
    name if another file took its name meanwhile."""
    folder = file.folder
    if folder.deleted_at is not None or _in_deleted_folder(folder):
        folder_restore(association=association, actor=actor, folder=folder)
    if file.deleted_at is not None:
        taken = set(
            DriveFile.objects.filter(folder=folder, deleted_at__isnull=True).values_list(
                "name", flat=True
            )
        )
        file.name = _free_name(taken, file.name)
        file.search_text = search_key(file.name)
        file.deleted_at = None
        file.deleted_by = None
        file.save(update_fields=["name", "search_text", "deleted_at", "deleted_by", "updated_at"])
        _tokens_write(file)
    audit(
        actor=actor,
        action="documents.file.restore",
        association=association,
        target=file,
        summary=file.name,
    )
    return file


def _in_deleted_folder(folder: Folder) -> bool:
    return any(f.deleted_at is not None for f in folder_chain(folder))


def files_purge(*, association: Association, files: QuerySet[DriveFile]) -> int:
    """Remove files for good with their versions and share links; their content goes with
    ``content_release`` once nothing refers to it. In the caller's transaction."""
    ids = list(files.values_list("pk", flat=True))
    DriveFile.objects.filter(pk__in=ids).update(current=None)
    FileVersion.objects.filter(association=association, file_id__in=ids).delete()
    FileSearchToken.objects.filter(association=association, file_id__in=ids).delete()
    DriveFile.objects.filter(pk__in=ids).delete()
    return len(ids)


@transaction.atomic
def file_purge(*, association: Association, actor: User, file: DriveFile) -> None:
    """An administrator's explicit removal of a file in the trash."""
    if file.deleted_at is None:
        raise ValidationError({"file": _("只能彻底删除回收站中的项目")})
    files_purge(association=association, files=DriveFile.objects.filter(pk=file.pk))
    audit(actor=actor, action="documents.file.purge", association=association, summary=file.name)


def trash_expire(*, association: Association, now: datetime | None = None) -> int:
    """The retention job: purge what has been in the trash longer than
    ``DOCUMENTS_TRASH_DAYS`` (at least 30). Never anything younger, whatever the quota."""
    from shanghui.documents.services.folders import subtree_ids

    days = max(30, int(settings.DOCUMENTS_TRASH_DAYS))
    before = (now or timezone.now()) - timedelta(days=days)
    count = 0
    with transaction.atomic():
        old_files = DriveFile.objects.filter(association=association, deleted_at__lt=before)
        count += files_purge(association=association, files=old_files)
        for folder in Folder.objects.filter(association=association, deleted_at__lt=before):
            ids = subtree_ids(folder)
            # A file deleted on its own more recently than its folder keeps its own time:
            # the folder waits until it may go too.
            if DriveFile.objects.filter(folder_id__in=ids, deleted_at__gte=before).exists():
                continue
            count += files_purge(
                association=association, files=DriveFile.objects.filter(folder_id__in=ids)
            )
            for pk in reversed(ids):
                Folder.objects.filter(pk=pk).delete()
        if count:
            audit(
                actor=None,
                action="documents.trash.expire",
                association=association,
                data={"files": count},
            )
    return count


def shown_as(file: DriveFile, version: FileVersion | None) -> str:
    """How the browser shows the version itself: "image", "pdf", or "" (downloaded only).
    A picture or an Office file once its preview is made (``tasks.version_preview``: a
    re-encoded picture, a PDF); a PDF at once — it is its own preview."""
    if version is None:
        return ""
    if version.preview_status == FileVersion.Preview.READY and version.preview_id:
        return "image" if preview_kind(file.name) == "image" else "pdf"
    return "pdf" if file.extension == "pdf" else ""


def version_response(
    association: Association, file: DriveFile, version: FileVersion, *, inline: bool = False
) -> StreamingHttpResponse:
    """The version's bytes as a download, verified block by block as they are sent; with
    ``inline``, what the browser shows in place (``shown_as``): the preview — a re-encoded
    picture, an Office file as PDF, a PDF itself. A version with nothing to show downloads."""
    shown = shown_as(file, version) if inline else ""
    if not shown:
        return content_response(
            association,
            version.content,
            filename=file.name,
            content_type=content_type_of(file.name),
        )
    preview = version.preview if version.preview_id else version.content
    assert preview is not None
    if shown == "pdf":
        content_type, suffix = "application/pdf", "" if file.extension == "pdf" else ".pdf"
    else:
        head = next(content_blocks(association, preview), b"")[:8]
        png = head.startswith(b"\x89PNG")
        content_type, suffix = ("image/png", ".png") if png else ("image/jpeg", ".jpg")
        suffix = "" if file.name.lower().endswith(suffix) else suffix
    return content_response(
        association,
        preview,
        filename=f"{file.name}{suffix}",
        content_type=content_type,
        inline=True,
    )


def zip_write(association: Association, entries: Iterable[tuple[str, FileVersion]]) -> Path:
    """A zip of ``(path inside the zip, version)`` written to a temporary file in the upload
    directory (every block verified as it is read); the caller streams it and removes it.
    Names are stored in UTF-8 with the flag that tells unzip so (Chinese names survive)."""
    directory = Path(settings.FILE_UPLOAD_TEMP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=directory, suffix=".zip", delete=False)  # noqa: SIM115
    path = Path(handle.name)
    try:
        with (
            handle,
            zipfile.ZipFile(
                handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
            ) as archive,
        ):
            for arcname, version in entries:
                info = zipfile.ZipInfo(
                    arcname, date_time=timezone.localtime(version.created_at).timetuple()[:6]
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w", force_zip64=True) as out:
                    for block in content_blocks(association, version.content):
                        out.write(block)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def zip_response(path: Path, filename: str) -> StreamingHttpResponse:
    """Stream a file made by ``zip_write`` and remove it once sent (or abandoned)."""
    from django.utils.http import content_disposition_header

    def chunks() -> Iterator[bytes]:
        try:
            with open(path, "rb") as source:
                while chunk := source.read(1024 * 1024):
                    yield chunk
        finally:
            path.unlink(missing_ok=True)

    response = StreamingHttpResponse(chunks(), content_type="application/zip")
    response["Content-Length"] = str(path.stat().st_size)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response
