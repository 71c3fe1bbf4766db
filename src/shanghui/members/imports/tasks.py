"""Background jobs of the member import: validating every row, and the all-or-nothing commit.
Both report progress on a ``core.Job`` and leave the outcome — and, on failure, the reason —
on the ``MemberImport``."""

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from shanghui.core.jobs import job_fail, job_finish, job_for_task
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.members.imports.states import RUNNING_STATUSES, ImportSuperseded
from shanghui.members.imports.validation import validate_rows
from shanghui.members.imports.writer import commit_failure_message, commit_rows, index_rows
from shanghui.members.models import MemberImport


def _load(job_id: str, import_id: int, association_id: int) -> tuple[Job, MemberImport]:
    # The association comes with the task: under row-level security (the worker connects as
    # shanghui_app) no tenant row is visible before its tenant context is open.
    job = job_for_task(job_id=job_id, association_id=association_id)
    association = job.association
    with tenant_context(association):
        member_import = MemberImport.objects.select_related("association").get(
            association=association, pk=import_id
        )
    return job, member_import


def _is_for(job: Job, member_import: MemberImport, status: str) -> bool:
    """Whether the task still has work: the service claims the import for its job (status and
    ``job_id``). A task whose import has moved on — given up as stalled and started again — is
    stale, and so is its job."""
    if member_import.status == status and member_import.job_id == job.pk:
        return True
    if not job.is_finished:
        job_fail(job, message=_("这项操作已被之后的操作取代，没有执行。"))
    return False


def _failed(job: Job, member_import: MemberImport, message: str) -> None:
    with tenant_context(job.association):
        # Only while the import is this job's: one given up as stalled may have been started
        # again since.
        MemberImport.objects.filter(
            pk=member_import.pk, job_id=job.pk, status__in=RUNNING_STATUSES
        ).update(
            status=MemberImport.Status.FAILED, message=message[:500], finished_at=timezone.now()
        )
    job_fail(job, message=message)


@task()
def validate_member_import(*, job_id: str, import_id: int, association_id: int) -> None:
    """Checks every row of an uploaded member list (see ``validation.validate_rows``)."""
    job, member_import = _load(job_id, import_id, association_id)
    if not _is_for(job, member_import, MemberImport.Status.VALIDATING):
        return
    try:
        validate_rows(member_import=member_import, job=job)
    except ImportSuperseded:
        return
    except ValidationError as exc:  # the file itself is unusable: say why
        _failed(job, member_import, "；".join(exc.messages))
        return
    except Exception as exc:
        _failed(job, member_import, _("校验失败：%(error)s") % {"error": exc})
        raise
    with tenant_context(job.association):
        member_import.refresh_from_db(fields=["message"])
        job_finish(job, message=member_import.message)


@task()
def commit_member_import(*, job_id: str, import_id: int, association_id: int) -> None:
    """Creates the validated members in one transaction (see ``writer.commit_rows``), then
    writes their search tokens (``writer.index_rows``): the import is done — its members
    listed — at the commit; the job finishes when they can be searched for."""
    job, member_import = _load(job_id, import_id, association_id)
    if not _is_for(job, member_import, MemberImport.Status.IMPORTING):
        return
    try:
        committed = commit_rows(member_import=member_import, job=job)
    except ImportSuperseded:  # rolled back
        return
    except (ValidationError, DatabaseError) as exc:  # rolled back: nothing was created
        _failed(job, member_import, commit_failure_message(exc))
        return
    except Exception as exc:
        _failed(job, member_import, commit_failure_message(exc))
        raise
    # The members are in: a failure from here on is the search index's, which the daily
    # ``manage.py search_index`` completes; it must not mark the import failed.
    created = committed.members
    try:
        index_rows(member_import=member_import, job=job, committed=committed)
    except Exception:
        job_fail(
            job, message=_("已导入 %(count)d 位会员，但搜索索引未能建立完成") % {"count": created}
        )
        raise
    job_finish(job, message=_("已导入 %(count)d 位会员，均可搜索") % {"count": created})
