"""Reading the library: who sees which folder, listings, search, the trash, and the
``access_*`` helpers through which every id from a URL or a form is looked up (404 for a
missing id, another association's, or one the person may not see)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.associations.models import Association
from shanghui.core.audience import owners_inviting
from shanghui.core.chinese import SEARCH_TOKEN_LENGTH, normalize_query, token_range
from shanghui.core.storage.content import content_usage, storage_quota
from shanghui.documents.models import DriveFile, FileSearchToken, FileVersion, Folder
from shanghui.documents.services.folders import AUDIENCE_OWNER, folder_chain, root_folder
from shanghui.members.models import Person


def manages(role: Role | None) -> bool:
    """The secretariat: sees every folder, uploads, organizes, deletes to the trash."""
    return has_perm(role, Perm.MANAGE_DOCUMENTS)


def may_purge(role: Role | None) -> bool:
    """Only administrators empty the trash."""
    return has_perm(role, Perm.PURGE_DOCUMENTS)


@dataclass(frozen=True)
class FolderView:
    """What a person may see: the ids of the live folders visible to them."""

    visible: frozenset[int]
    root_id: int


def folder_view(*, association: Association, role: Role | None, user: User | None) -> FolderView:
    """The live folders ``role`` sees. The secretariat sees all; a member sees a folder when
    its audience admits them and they see its parent; nobody sees a folder in the trash or
    below one. A few hundred folders at most: read once, walked in memory."""
    root = root_folder(association)
    rows = list(
        Folder.objects.filter(association=association).values_list(
            "pk", "parent_id", "audience", "deleted_at"
        )
    )
    admitted: set[int] = set()
    if manages(role):
        admitted = {pk for pk, _p, _a, deleted in rows if deleted is None}
    elif has_perm(role, Perm.VIEW_SPACE):
        chosen = [
            pk
            for pk, _p, audience, deleted in rows
            if audience == Folder.Audience.RULES and deleted is None
        ]
        invited: set[int] = set()
        if chosen and user is not None:
            person_ids = list(
                Person.objects.filter(association=association, user=user).values_list(
                    "pk", flat=True
                )
            )
            if person_ids:
                invited = owners_inviting(
                    association=association,
                    owner_type=AUDIENCE_OWNER,
                    owner_ids=chosen,
                    person_ids=person_ids,
                )
        admitted = {
            pk
            for pk, _p, audience, deleted in rows
            if deleted is None and (audience == Folder.Audience.MEMBERS or pk in invited)
        }
    admitted.add(root.pk)
    parent_of = {pk: parent for pk, parent, _a, _d in rows}
    visible: set[int] = set()
    for pk in admitted:
        chain: list[int] = []
        current: int | None = pk
        while current is not None and current in admitted:
            chain.append(current)
            current = parent_of.get(current)
        if current is None:  # the chain reached the root through admitted folders only
            visible.update(chain)
    return FolderView(frozenset(visible), root.pk)


def access_folder(*, association: Association, view: FolderView, folder_id: int) -> Folder:
    if folder_id not in view.visible:
        raise Http404
    folder = Folder.objects.filter(
        association=association, pk=folder_id, deleted_at__isnull=True
    ).first()
    if folder is None:
        raise Http404
    return folder


def access_file(*, association: Association, view: FolderView, file_id: int) -> DriveFile:
    """A live file in a folder the person sees."""
    file = (
        DriveFile.objects.filter(association=association, pk=file_id, deleted_at__isnull=True)
        .select_related("current", "current__content", "current__preview", "folder")
        .first()
    )
    if file is None or file.folder_id not in view.visible:
        raise Http404
    return file


def access_trashed_file(*, association: Association, file_id: int) -> DriveFile:
    """A file in the trash (or inside a folder in the trash): the secretariat's only."""
    file = (
        DriveFile.objects.filter(association=association, pk=file_id)
        .select_related("folder")
        .first()
    )
    if file is None:
        raise Http404
    return file


def access_trashed_folder(*, association: Association, folder_id: int) -> Folder:
    folder = Folder.objects.filter(
        association=association, pk=folder_id, deleted_at__isnull=False
    ).first()
    if folder is None:
        raise Http404
    return folder


def access_version(*, association: Association, file: DriveFile, number: int) -> FileVersion:
    version = (
        FileVersion.objects.filter(association=association, file=file, number=number)
        .select_related("content", "preview", "uploaded_by")
        .first()
    )
    if version is None:
        raise Http404
    return version


def subfolders(*, association: Association, view: FolderView, folder: Folder) -> QuerySet[Folder]:
    return Folder.objects.filter(
        association=association, parent=folder, deleted_at__isnull=True, pk__in=view.visible
    ).order_by("name")


def files_in(*, association: Association, folder: Folder) -> QuerySet[DriveFile]:
    return (
        DriveFile.objects.filter(association=association, folder=folder, deleted_at__isnull=True)
        .select_related("current", "current__content", "created_by")
        .order_by("name")
    )


def breadcrumbs(*, association: Association, folder: Folder) -> list[Folder]:
    """The folders from the root down to ``folder``."""
    return list(reversed(folder_chain(folder)))


def search(
    *, association: Association, view: FolderView, query: str, limit: int = 100
) -> QuerySet[DriveFile]:
    """Live files whose name matches ``query`` — in characters (Simplified or Traditional),
    full pinyin or initials — in folders the person sees. Through the search tokens: a range
    of their key, an index condition even under row-level security."""
    needle = normalize_query(query)
    if not needle:
        return DriveFile.objects.none()
    low, high = token_range(needle)
    keys = Q(key__gte=low) & (Q(key__lt=high) if high is not None else Q())
    ids = FileSearchToken.objects.filter(keys, association=association).values("file_id")
    qs = DriveFile.objects.filter(
        association=association, pk__in=ids, deleted_at__isnull=True, folder_id__in=view.visible
    )
    if len(needle) > SEARCH_TOKEN_LENGTH:
        qs = qs.filter(search_text__contains=needle)
    return qs.select_related("folder", "current", "current__content").order_by("name")[:limit]


def trash(*, association: Association) -> tuple[QuerySet[Folder], QuerySet[DriveFile]]:
    """What the trash shows: deleted folders, and deleted files (each on its own; a file
    inside a deleted folder goes and comes back with it)."""
    folders = Folder.objects.filter(association=association, deleted_at__isnull=False).order_by(
        "-deleted_at"
    )
    files = (
        DriveFile.objects.filter(association=association, deleted_at__isnull=False)
        .select_related("folder", "deleted_by")
        .order_by("-deleted_at")
    )
    return folders, files


@dataclass(frozen=True)
class Usage:
    used: int
    quota: int

    @property
    def percent(self) -> int:
        return min(100, round(self.used * 100 / self.quota)) if self.quota else 0


def usage(association: Association) -> Usage:
    return Usage(content_usage(association), storage_quota(association))
