"""Attaching a file of the document library elsewhere (``contributions.LIBRARY``): what the
forms of other modules call, so that none of them names the library's app."""

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404

from shanghui.core.contributions import LIBRARY, LibraryFile
from shanghui.core.types import AppTenant, Position


def library_choices(
    association: AppTenant, role: Position | None, user: object, extensions: frozenset[str]
) -> list[LibraryFile]:
    """The library's files ``role`` may attach (lower-case extensions without the dot)."""
    for picker in LIBRARY.visible_to(role):
        return picker.choices(association, role, user, extensions)
    return []


def library_open(
    association: AppTenant, role: Position | None, user: object, file_id: int
) -> UploadedFile:
    """The library's file ``file_id`` as an upload, its bytes verified; 404 when the person
    may not see it (or there is no library)."""
    for picker in LIBRARY.visible_to(role):
        upload: UploadedFile = picker.open(association, role, user, file_id)
        return upload
    raise Http404
