"""Folders: create (from a template too), rename, move, set who sees them, delete to the
trash, restore, purge. The pages and the API check who may; these only do it and log it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audience import AudienceChoice, audience_rules_replace
from shanghui.core.audit import audit
from shanghui.documents.models import DriveFile, Folder
from shanghui.documents.names import name_checked

AUDIENCE_OWNER = "documents.folder"

# Folder templates (文件夹模板): the folders a secretariat usually makes, by one click.
TEMPLATES: dict[str, list[str]] = {
    "year": ["会议纪要", "通知公告", "财务资料", "会员资料", "活动照片", "证照资质"],
    "meeting": ["会议通知", "会议议程", "签到表", "会议材料", "会议纪要", "会议照片"],
}


def root_folder(association: Association) -> Folder:
    """The association's root folder, made on first use."""
    root = Folder.objects.filter(association=association, parent__isnull=True).first()
    if root is not None:
        return root
    try:
        with transaction.atomic():
            return Folder.objects.create(association=association, parent=None, name="资料库")
    except IntegrityError:  # made at the same moment by another request
        return Folder.objects.get(association=association, parent__isnull=True)


def folder_chain(folder: Folder) -> list[Folder]:
    """``folder`` and its parents up to the root (root last), read in one query of the
    association's folders (a few hundred at most) rather than one query per level."""
    folders = {f.pk: f for f in Folder.objects.filter(association=folder.association_id)}
    chain = [folder]
    while chain[-1].parent_id is not None and chain[-1].parent_id in folders:
        chain.append(folders[chain[-1].parent_id])
        if len(chain) > len(folders) + 1:  # a cycle would be a bug: never loop on it
            break
    return chain


def _unique_name_error() -> ValidationError:
    return ValidationError({"name": _("此位置已有同名文件夹")})


@transaction.atomic
def folder_create(
    *,
    association: Association,
    actor: User,
    parent: Folder,
    name: str,
    audience: str | None = None,
) -> Folder:
    name = name_checked(name, field="name", max_length=120)
    if audience is not None and audience not in Folder.Audience.values:
        raise ValidationError({"audience": _("请选择有效的选项")})
    try:
        with transaction.atomic():
            folder = Folder.objects.create(
                association=association,
                parent=parent,
                name=name,
                # A new folder is seen by whom its parent is seen by, unless told otherwise.
                audience=audience
                or (parent.audience if not parent.is_root else Folder.Audience.STAFF),
                created_by=actor,
            )
    except IntegrityError:
        raise _unique_name_error() from None
    audit(
        actor=actor,
        action="documents.folder.create",
        association=association,
        target=folder,
        summary=name,
    )
    return folder


@transaction.atomic
def folder_create_from_template(
    *, association: Association, actor: User, parent: Folder, name: str, template: str
) -> Folder:
    """A folder (e.g. "2026年" or "第五届第三次理事会") with the template's subfolders."""
    if template not in TEMPLATES:
        raise ValidationError({"template": _("请选择有效的选项")})
    folder = folder_create(association=association, actor=actor, parent=parent, name=name)
    for child in TEMPLATES[template]:
        folder_create(association=association, actor=actor, parent=folder, name=child)
    return folder


@transaction.atomic
def folder_update(
    *,
    association: Association,
    actor: User,
    folder: Folder,
    name: str | None = None,
    parent: Folder | None = None,
    audience: str | None = None,
    audience_choices: list[AudienceChoice] | None = None,
) -> Folder:
    """Rename, move (never into itself or below itself) or change who sees a folder."""
    if folder.is_root:
        raise ValidationError({"name": _("根文件夹不能修改")})
    changed: list[str] = []
    if name is not None:
        folder.name = name_checked(name, field="name", max_length=120)
        changed.append("name")
    if parent is not None and parent.pk != folder.parent_id:
        if any(ancestor.pk == folder.pk for ancestor in folder_chain(parent)):
            raise ValidationError({"parent": _("不能移动到自身或其子文件夹中")})
        folder.parent = parent
        changed.append("parent")
    if audience is not None:
        if audience not in Folder.Audience.values:
            raise ValidationError({"audience": _("请选择有效的选项")})
        if audience == Folder.Audience.RULES and not audience_choices:
            raise ValidationError({"audience": _("请选择可见范围")})
        folder.audience = audience
        changed.append("audience")
        audience_rules_replace(
            association=association,
            owner_type=AUDIENCE_OWNER,
            owner_id=folder.pk,
            choices=(audience_choices or []) if audience == Folder.Audience.RULES else [],
        )
    try:
        with transaction.atomic():
            folder.save(update_fields=changed or None)
    except IntegrityError:
        raise _unique_name_error() from None
    audit(
        actor=actor,
        action="documents.folder.update",
        association=association,
        target=folder,
        summary=folder.name,
        data={"fields": changed},
    )
    return folder


@transaction.atomic
def folder_delete(*, association: Association, actor: User, folder: Folder) -> None:
    """Into the trash, with everything inside it."""
    if folder.is_root:
        raise ValidationError({"folder": _("根文件夹不能删除")})
    now = timezone.now()
    if Folder.objects.filter(pk=folder.pk, deleted_at__isnull=True).update(
        deleted_at=now, deleted_by=actor
    ):
        folder.deleted_at, folder.deleted_by = now, actor
    audit(
        actor=actor,
        action="documents.folder.delete",
        association=association,
        target=folder,
        summary=folder.name,
    )


def _free_name(taken: set[str], name: str) -> str:
    """``name``, or "name (2).ext", "name (3).ext" … — the first not in ``taken``."""
    if name not in taken:
        return name
    dot = name.rfind(".")
    stem, ext = (name[:dot], name[dot:]) if dot > 0 else (name, "")
    number = 2
    while f"{stem} ({number}){ext}" in taken:
        number += 1
    return f"{stem} ({number}){ext}"


@transaction.atomic
def folder_restore(*, association: Association, actor: User, folder: Folder) -> Folder:
    """Out of the trash, under a free name if another folder took its name meanwhile, and
    with its parents if they are in the trash too."""
    chain = [f for f in folder_chain(folder) if not f.is_root and f.deleted_at is not None]
    for item in reversed(chain):
        taken = set(
            Folder.objects.filter(parent_id=item.parent_id, deleted_at__isnull=True).values_list(
                "name", flat=True
            )
        )
        item.name = _free_name(taken, item.name)
        item.deleted_at = None
        item.deleted_by = None
        item.save(update_fields=["name", "deleted_at", "deleted_by"])
    audit(
        actor=actor,
        action="documents.folder.restore",
        association=association,
        target=folder,
        summary=folder.name,
    )
    return folder


def subtree_ids(folder: Folder) -> list[int]:
    """The folder and every folder below it (a few hundred at most per association)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Folder.objects.filter(association=folder.association_id).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    found, todo = [], [folder.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


@transaction.atomic
def folder_purge(*, association: Association, actor: User, folder: Folder) -> int:
    """Remove a folder in the trash for good, with all it holds (its files' versions and
    their content once nothing else refers to it — ``core.storage.content_release``).
    Answers how many files went."""
    from shanghui.documents.services.files import files_purge

    if folder.deleted_at is None:
        raise ValidationError({"folder": _("只能彻底删除回收站中的项目")})
    ids = subtree_ids(folder)
    count = files_purge(association=association, files=DriveFile.objects.filter(folder_id__in=ids))
    # Children first: a folder's parent is protected while it has children.
    for pk in reversed(ids):
        Folder.objects.filter(pk=pk).delete()
    audit(
        actor=actor,
        action="documents.folder.purge",
        association=association,
        summary=folder.name,
        data={"files": count},
    )
    return count
