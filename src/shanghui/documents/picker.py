"""The library as other modules see it (``core.contributions.LIBRARY``): the files a person
may attach to an event or an announcement, and one of them opened as an upload."""

import tempfile
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from shanghui.core.audit import audit
from shanghui.core.contributions import LibraryFile
from shanghui.core.storage.content import content_blocks
from shanghui.core.storage.files import content_type_of
from shanghui.documents import selectors
from shanghui.documents.models import DriveFile

CHOICES_MAX = 300


def library_choices(
    association: Any, role: Any, user: Any, extensions: frozenset[str]
) -> list[LibraryFile]:
    """The person's most recently changed live files of those extensions."""
    view = selectors.folder_view(association=association, role=role, user=user)
    files = (
        DriveFile.objects.filter(
            association=association, deleted_at__isnull=True, folder_id__in=view.visible
        )
        .select_related("folder")
        .order_by("-updated_at", "-id")
    )
    found: list[LibraryFile] = []
    for file in files.iterator(chunk_size=500):
        if not extensions or file.extension in extensions:
            found.append(LibraryFile(file.pk, file.name, file.size, file.folder.name))
            if len(found) == CHOICES_MAX:
                break
    return found


def library_open(association: Any, role: Any, user: Any, file_id: int) -> UploadedFile:
    """The file's current version copied, verified, into an upload in the upload directory
    (removed when the upload is closed)."""
    view = selectors.folder_view(association=association, role=role, user=user)
    file = selectors.access_file(association=association, view=view, file_id=file_id)
    version = file.current
    assert version is not None
    # An unnamed temporary file: the attaching module's storage copies it (a named one it
    # would move away from under its owner).
    spool = tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115
    for block in content_blocks(association, version.content):
        spool.write(block)
    spool.seek(0)
    upload = UploadedFile(spool, file.name, content_type_of(file.name), version.size)
    audit(
        actor=user,
        action="documents.file.download",
        association=association,
        target=file,
        summary=file.name,
        data={"version": version.number, "attached": True},
    )
    return upload
