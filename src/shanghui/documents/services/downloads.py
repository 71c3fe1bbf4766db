"""Downloads: one version of a file, or a folder as a zip of what the person sees — each
logged. The bytes are verified block by block as they are sent (``services.files``)."""

from collections.abc import Iterator
from pathlib import Path

from django.http import StreamingHttpResponse

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.documents.models import DriveFile, FileVersion, Folder
from shanghui.documents.selectors import FolderView
from shanghui.documents.services.files import version_response, zip_response, zip_write


def version_download(
    *,
    association: Association,
    actor: User | None,
    file: DriveFile,
    version: FileVersion,
    inline: bool = False,
) -> StreamingHttpResponse:
    """The version's bytes (shown in the browser when ``inline``), the download logged."""
    audit(
        actor=actor,
        action="documents.file.download",
        association=association,
        target=file,
        summary=file.name,
        data={"version": version.number, "inline": inline},
    )
    return version_response(association, file, version, inline=inline)


def zip_entries(
    *, association: Association, view: FolderView, folder: Folder
) -> Iterator[tuple[str, FileVersion]]:
    """``(path inside the zip, current version)`` of every live file in ``folder`` and the
    folders below it that ``view`` shows — nothing the person could not open one by one."""
    folders = {
        pk: (parent, name)
        for pk, parent, name in Folder.objects.filter(
            association=association, deleted_at__isnull=True, pk__in=view.visible
        ).values_list("pk", "parent_id", "name")
    }

    def path_of(pk: int) -> str | None:
        parts: list[str] = []
        current: int | None = pk
        while current != folder.pk:
            if current is None or current not in folders:
                return None
            parent, name = folders[current]
            parts.append(name)
            current = parent
        return "/".join(reversed(parts))

    prefixes = {pk: path_of(pk) for pk in folders}
    files = (
        DriveFile.objects.filter(
            association=association,
            deleted_at__isnull=True,
            current__isnull=False,
            folder_id__in=[pk for pk, prefix in prefixes.items() if prefix is not None],
        )
        .select_related("current", "current__content")
        .order_by("folder_id", "name")
    )
    for file in files:
        prefix = prefixes[file.folder_id]
        assert file.current is not None
        yield (f"{prefix}/{file.name}" if prefix else file.name), file.current


def folder_zip(
    *, association: Association, actor: User, view: FolderView, folder: Folder
) -> StreamingHttpResponse:
    """The folder as a zip of what ``view`` shows, written to a temporary file first (every
    block verified) and streamed; the download logged."""
    entries = list(zip_entries(association=association, view=view, folder=folder))
    path: Path = zip_write(association, entries)
    audit(
        actor=actor,
        action="documents.file.zip",
        association=association,
        target=folder,
        summary=folder.name,
        data={"files": len(entries)},
    )
    return zip_response(path, f"{folder.name}.zip")
