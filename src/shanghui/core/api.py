from datetime import datetime

from django.http import FileResponse, HttpRequest
from ninja import Path, Router, Schema, Status

from shanghui.accounts.models import User
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import safe_filename
from shanghui.core.jobs import access_job, job_restart
from shanghui.core.models import Job

jobs_router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: str
    kind: str
    label: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    has_file: bool
    # A failed job its owner may start again as it was (``POST …/jobs/{id}/restart``).
    can_restart: bool
    created_at: datetime

    @staticmethod
    def resolve_id(obj: Job) -> str:
        return str(obj.pk)

    @staticmethod
    def resolve_has_file(obj: Job) -> bool:
        return bool(obj.result_file)


@jobs_router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS})
def job_detail(request: HttpRequest, slug: Path[str], job_id: str) -> object:
    """Progress of a background job started by the caller."""
    require_member(current_role(request))
    user: User = request.auth  # type: ignore[attr-defined]
    return access_job(
        association=current_association(request),
        actor=user,
        role=current_role(request),
        job_id=job_id,
    )


@jobs_router.post("/jobs/{job_id}/restart", response={202: JobOut, **ERRORS})
def job_restart_endpoint(request: HttpRequest, slug: Path[str], job_id: str) -> Status[object]:
    """Start a failed job of yours again as it was started (重新开始): an export with the same
    filters, a bill run for the same year — ``can_restart`` says which jobs may. 202 with the
    new job to poll; for an export, with the one of yours already queued or running if there
    is one (one at a time per person and kind). 400 for a job that cannot be started again."""
    require_member(current_role(request))
    user: User = request.auth  # type: ignore[attr-defined]
    association = current_association(request)
    job = access_job(association=association, actor=user, role=current_role(request), job_id=job_id)
    new, _started = job_restart(association=association, actor=user, job=job)
    return Status(202, new)


@jobs_router.get("/jobs/{job_id}/file", response={200: None, **ERRORS})
def job_file(request: HttpRequest, slug: Path[str], job_id: str) -> FileResponse:
    """The file a finished job produced."""
    require_member(current_role(request))
    user: User = request.auth  # type: ignore[attr-defined]
    job = access_job(
        association=current_association(request),
        actor=user,
        role=current_role(request),
        job_id=job_id,
    )
    return job_file_response(job)


def job_file_response(job: Job) -> FileResponse:
    from django.http import Http404

    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=safe_filename(job.result_name)
    )
