"""The import's lifecycle as the pages and the API drive it: finding an import, uploading,
mapping the columns, and starting validation and the commit as background jobs."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.jobs import UNFINISHED, job_check_stalled, job_start, stalled_message
from shanghui.core.models import Job
from shanghui.core.storage.files import file_attach
from shanghui.members.imports.columns import COLUMN_BY_KEY, auto_map
from shanghui.members.imports.files import file_expired, source_expired, source_store
from shanghui.members.imports.reader import fields_of, inspect_upload, layout_of
from shanghui.members.imports.staging import drop_staged
from shanghui.members.imports.states import EDITABLE, RUNNING_STATUSES
from shanghui.members.imports.tasks import commit_member_import, validate_member_import
from shanghui.members.models import MemberImport


def access_member_import(*, association: Association, import_id: int) -> MemberImport:
    """One import of ``association`` — visible to everyone who manages its members (callers
    check ``Perm.MANAGE_MEMBERS``); the same 404 for a missing id and another association's."""
    return access_member_import_job(association=association, import_id=import_id)[0]


def access_member_import_job(
    *, association: Association, import_id: int
) -> tuple[MemberImport, Job | None]:
    """``access_member_import`` with the import's last job (validation or commit), for the
    pages that show it. A job whose worker died is given up first (``job_check_stalled``),
    and an import still validating or importing under it fails with it (``_settle``)."""
    member_import = MemberImport.objects.filter(association=association, pk=import_id).first()
    if member_import is None:
        raise Http404
    member_import.association = association  # known: no query for it (``source_opened``)
    return member_import, _settle(member_import)


def member_imports(*, association: Association) -> QuerySet[MemberImport]:
    """The association's imports, newest first; one still validating or importing whose job
    has ended without saying so is marked failed first (see ``_settle``)."""
    found = MemberImport.objects.filter(association=association)
    for member_import in found.filter(status__in=RUNNING_STATUSES):
        _settle(member_import)
    return found.order_by("-created_at", "-id")


def _settle(member_import: MemberImport) -> Job | None:
    """The job of an import that has one at work — validating, importing, or done and writing
    its search index — as it stands (None otherwise). An import still validating or importing
    whose job has ended without saying so — its worker died — failed: nothing was imported
    (the commit is one transaction) and the user can validate again."""
    if member_import.status not in (*RUNNING_STATUSES, MemberImport.Status.DONE):
        return None
    job = None
    if member_import.job_id is not None:
        jobs = Job.objects.filter(association=member_import.association_id)
        job = jobs.filter(pk=member_import.job_id).first()
    if job is not None:
        job = job_check_stalled(job)
    if member_import.status not in RUNNING_STATUSES or (
        job is not None and job.status in UNFINISHED
    ):
        return job
    message = job.message if job is not None and job.message else stalled_message()
    MemberImport.objects.filter(
        pk=member_import.pk, job_id=member_import.job_id, status=member_import.status
    ).update(status=MemberImport.Status.FAILED, message=message[:500], finished_at=timezone.now())
    member_import.refresh_from_db()
    return job


def member_import_create(
    *, association: Association, actor: User, upload: UploadedFile
) -> MemberImport:
    """Stores an uploaded member list after checking it (``inspect_upload``) and maps its
    columns by their headers. Nothing is kept for a refused file. The list goes into the
    content store before the import's transaction opens (``core.storage.files``); it
    expires with the import's other files after ``TASK_RETENTION_DAYS``."""
    layout = inspect_upload(upload)
    original_name = (upload.name or "members")[:200]
    stored = source_store(association, upload, name=original_name, by=actor)
    with transaction.atomic():
        member_import = MemberImport.objects.create(
            association=association,
            owner=actor,
            original_name=original_name,
            total_rows=layout.estimated_rows,
            column_mapping={
                "format": layout.file_format,
                "encoding": layout.encoding,
                "delimiter": layout.delimiter,
                "header_row": layout.header_row,
                "headers": layout.headers,
                "estimated_rows": layout.estimated_rows,
                "sheet": layout.sheet,
                "sheet_name": layout.sheet_name,
                "header_rows": layout.header_rows,
                "fields": auto_map(layout.headers),
            },
        )
        file_attach(member_import, "source_file", stored)
        audit(
            actor=actor,
            action="member_import.upload",
            association=association,
            target=member_import,
            summary=member_import.original_name,
        )
    return member_import


@transaction.atomic
def member_import_set_mapping(
    *,
    association: Association,
    actor: User,
    member_import: MemberImport,
    mapping: dict[str, int | None],
) -> MemberImport:
    """Sets which column feeds which field (column indexes from 0; None leaves a field out).
    Any earlier validation result no longer holds."""
    if source_expired(member_import):
        raise file_expired()
    layout = layout_of(member_import)
    fields: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for key, index in mapping.items():
        if key not in COLUMN_BY_KEY:
            errors.setdefault(key, []).append(_("没有这个字段"))
        elif index is not None:
            if not 0 <= index < len(layout.headers):
                errors.setdefault(key, []).append(_("文件中没有这一列"))
            elif index in fields.values():
                errors.setdefault(key, []).append(_("同一列不能对应两个字段"))
            else:
                fields[key] = index
    if "name" not in fields:
        errors.setdefault("name", []).append(_("请指定“名称”对应的列"))
    if errors:
        raise ValidationError(errors)
    updated = MemberImport.objects.filter(pk=member_import.pk, status__in=EDITABLE).update(
        column_mapping={**member_import.column_mapping, "fields": fields, "staged": ""},
        status=MemberImport.Status.UPLOADED,
        valid_rows=0,
        error_rows=0,
        errors=[],
        message="",
    )
    if not updated:
        raise ValidationError(_("该导入正在处理或已完成，不能再修改对应关系"))
    drop_staged(member_import)
    audit(
        actor=actor, action="member_import.mapping", association=association, target=member_import
    )
    member_import.refresh_from_db()
    return member_import


@transaction.atomic
def member_import_validate(
    *, association: Association, actor: User, member_import: MemberImport
) -> Job:
    """Starts validating every row as a background job (see ``validate_rows``)."""
    if source_expired(member_import):
        raise file_expired()
    if "name" not in fields_of(member_import):
        raise ValidationError(_("请先指定“名称”对应的列"))
    return _start(
        association=association,
        actor=actor,
        member_import=member_import,
        allowed=EDITABLE,
        status=MemberImport.Status.VALIDATING,
        label=_("校验会员名单：%(name)s"),
        task=validate_member_import,
    )


@transaction.atomic
def member_import_commit(
    *, association: Association, actor: User, member_import: MemberImport
) -> Job:
    """Starts the import of a validated file without errors as a background job (see
    ``commit_rows``); refused while any row has an error, saying why for each state. A commit
    that failed — its worker lost, or refused by the database — imported nothing and starts
    again as it was (重新开始, ``commit_interrupted``)."""
    # Locked: the state checked is the state claimed (a second click, a validation started).
    locked = MemberImport.objects.select_for_update().get(
        association=association, pk=member_import.pk
    )
    status = locked.status
    if source_expired(locked) and status in EDITABLE:
        raise file_expired()
    if status != MemberImport.Status.VALIDATED and not commit_interrupted(locked):
        raise ValidationError(_not_committable(locked))
    if locked.error_rows:
        raise ValidationError(
            _("还有 %(count)d 行有错误，请修改后重新上传") % {"count": locked.error_rows}
        )
    return _start(
        association=association,
        actor=actor,
        member_import=member_import,
        allowed=(status,),
        status=MemberImport.Status.IMPORTING,
        label=_("导入会员名单：%(name)s"),
        task=commit_member_import,
    )


def commit_interrupted(member_import: MemberImport) -> bool:
    """Whether the import's last job was a commit that failed — rolled back, nothing imported —
    on rows still validated and staged: it may start again as it was (重新开始)."""
    if (
        member_import.status != MemberImport.Status.FAILED
        or source_expired(member_import)
        or member_import.error_rows
        or not member_import.column_mapping.get("staged")
        or member_import.job_id is None
    ):
        return False
    return Job.objects.filter(
        association=member_import.association_id,
        pk=member_import.job_id,
        kind=f"members.import.{MemberImport.Status.IMPORTING}",
    ).exists()


def _not_committable(member_import: MemberImport) -> str:
    """Why the import cannot be committed now, as its state says."""
    status = member_import.status
    if status == MemberImport.Status.VALIDATING:
        return _("该文件正在校验，请等校验完成后再导入")
    if status == MemberImport.Status.IMPORTING:
        return _("该文件正在导入，请稍候查看结果")
    if status == MemberImport.Status.DONE:
        return _("该文件已经导入")
    if status == MemberImport.Status.FAILED:
        return _("上次校验未能完成，请重新校验后再导入")
    return _("请先完成校验")


def _start(
    *,
    association: Association,
    actor: User,
    member_import: MemberImport,
    allowed: tuple[str, ...],
    status: str,
    label: str,
    task: Any,
) -> Job:
    # A conditional UPDATE claims the import: two clicks never start two jobs.
    claimed = MemberImport.objects.filter(
        pk=member_import.pk, association=association, status__in=allowed
    )
    if status == MemberImport.Status.IMPORTING:
        claimed = claimed.filter(error_rows=0)
    if not claimed.update(status=status, message=""):
        raise ValidationError(_("该导入正在处理或已完成"))
    job = job_start(
        association=association,
        actor=actor,
        kind=f"members.import.{status}",
        label=(label % {"name": member_import.original_name})[:200],
        task=task,
        import_id=member_import.pk,
    )
    MemberImport.objects.filter(pk=member_import.pk).update(job_id=job.pk)
    member_import.refresh_from_db()
    return job
