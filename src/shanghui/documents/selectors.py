"""Reading the library: who sees which folder, listings, search, the trash, and the
``access_*`` helpers through which every id from a URL or a form is looked up (404 for a
missing id, another association's, or one the person may not see)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.associations.models import Association
from shanghui.core.audience import owners_inviting
from shanghui.core.chinese import SEARCH_TOKEN_LENGTH, normalize_query, token_range
from shanghui.core.models import StoredFile
from shanghui.core.storage.content import content_usage, size_label, storage_quota
from shanghui.core.storage.fields import StoredFileField
from shanghui.core.storage.files import holder_field
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


# --- Other modules' files (其他模块的文件) ----------------------------------------------------
# Files that records of other modules held (an event's cover, an application's licence …) and
# no longer hold: kept versions (``replaced_at``) and the trash (``deleted_at``) of
# ``core.storage.files``. The secretariat sees them here, downloads them, saves them into the
# library, makes a version current again or — administrators — removes one for good.

MODULE_FILE_SHOWS = ("trash", "versions")


def module_files(*, association: Association, show: str) -> QuerySet[StoredFile]:
    """The association's module files in the trash (``show="trash"``, newest deletion first)
    or kept as old versions (``"versions"``, newest replacement first). Whatever field holds
    them; files that expire (import files, export results) never show."""
    qs = StoredFile.objects.filter(association=association, expires_at__isnull=True)
    if show == "versions":
        qs = qs.filter(replaced_at__isnull=False, deleted_at__isnull=True).order_by(
            "-replaced_at", "-id"
        )
    else:
        qs = qs.filter(deleted_at__isnull=False).order_by("-deleted_at", "-id")
    return qs.select_related("content", "created_by")


def access_module_file(*, association: Association, stored_file_id: int) -> StoredFile:
    """A module file of the association that is a kept version or in the trash — never a
    file some record holds now, another association's, or one that expires (404)."""
    stored = (
        StoredFile.objects.filter(
            Q(replaced_at__isnull=False) | Q(deleted_at__isnull=False),
            association=association,
            pk=stored_file_id,
            expires_at__isnull=True,
        )
        .select_related("content", "created_by")
        .first()
    )
    if stored is None:
        raise Http404
    return stored


def known_field(holder: str) -> StoredFileField | None:
    """The field ``holder`` names, or None when there is no such field (a module not
    installed, a field since renamed)."""
    try:
        return holder_field(holder)
    except LookupError:
        return None


def holder_labels(holder: str) -> tuple[str, str]:
    """What a ``StoredFile.holder`` is to people: (the field's name, the model's name) —
    ("活动封面", "活动"); the raw holder when no such field exists (a module not installed,
    a field since renamed)."""
    field = known_field(holder)
    if field is None:
        return holder, ""
    return str(field.verbose_name), str(field.model._meta.verbose_name)


def _records(association: Association, field: StoredFileField, ids: set[str]) -> QuerySet[Model]:
    """The association's records of ``field``'s model among ``ids``: rows of its own when the
    model is a tenant table, the association itself when the field is one of its own (its
    logo, its banner); nothing for a model that is neither."""
    model = field.model
    ids = {i for i in ids if i}
    if model is Association:
        return model._base_manager.filter(pk=association.pk, pk__in=ids)
    if not any(f.name == "association" for f in model._meta.fields):
        return model._base_manager.none()
    return model._base_manager.filter(association=association, pk__in=ids)


def module_record(association: Association, stored: StoredFile) -> Model | None:
    """The record of the association that ``stored`` belongs to, if it still exists (None
    for a holder no longer known, or a record deleted)."""
    field = known_field(stored.holder)
    if field is None:
        return None
    try:
        return _records(association, field, {stored.record_id}).first()
    except (ValueError, TypeError, ValidationError):
        return None


@dataclass
class ModuleFileRow:
    """A module file as the list shows it."""

    file: StoredFile
    field_label: str
    model_label: str
    record_label: str
    record_exists: bool
    replaced_by: str
    removes_at: datetime | None

    @property
    def state(self) -> str:
        """trash, version (kept), or current (the file its record holds: just restored)."""
        if self.file.deleted_at is not None:
            return "trash"
        return "version" if self.file.replaced_at is not None else "current"

    @property
    def may_restore(self) -> bool:
        """A kept version of a record that still exists can be made current again."""
        return self.state == "version" and self.record_exists

    @property
    def size(self) -> int:
        return int(self.file.content.size)

    @property
    def size_label(self) -> str:
        return size_label(self.size)


def module_file_rows(*, association: Association, files: list[StoredFile]) -> list[ModuleFileRow]:
    """One page of ``module_files`` with what people need to recognize each: the field and
    model it belonged to, its record (when it still exists), who replaced a version (who
    stored the next one of the same field and record), when the trash removes it. A few
    queries for the page, whatever its length."""
    records: dict[tuple[str, str], str] = {}
    for holder in {f.holder for f in files}:
        field = known_field(holder)
        if field is None:
            continue
        ids = {f.record_id for f in files if f.holder == holder}
        try:
            found = _records(association, field, ids)
            records.update({(holder, str(r.pk)): str(r) for r in found})
        except (ValueError, TypeError, ValidationError):
            continue
    successors: dict[int, str] = {}
    versions = [f for f in files if f.replaced_at is not None]
    if versions:
        later = (
            StoredFile.objects.filter(
                association=association,
                holder__in={f.holder for f in versions},
                record_id__in={f.record_id for f in versions},
            )
            .select_related("created_by")
            .order_by("created_at", "id")
        )
        by_record: dict[tuple[str, str], list[StoredFile]] = {}
        for row in later:
            by_record.setdefault((row.holder, row.record_id), []).append(row)
        for version in versions:
            rows = by_record.get((version.holder, version.record_id), [])
            after = [r for r in rows if (r.created_at, r.pk) > (version.created_at, version.pk)]
            if after and after[0].created_by is not None:
                successors[version.pk] = after[0].created_by.name
    days = int(settings.DOCUMENTS_TRASH_DAYS)
    out: list[ModuleFileRow] = []
    for f in files:
        field_label, model_label = holder_labels(f.holder)
        record = records.get((f.holder, f.record_id))
        out.append(
            ModuleFileRow(
                file=f,
                field_label=field_label,
                model_label=model_label,
                record_label=record or "",
                record_exists=record is not None,
                replaced_by=successors.get(f.pk, ""),
                removes_at=f.deleted_at + timedelta(days=days) if f.deleted_at else None,
            )
        )
    return out
