"""The API's background-job endpoints, inside an association: a job's progress, starting a
failed one again, its file."""

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Path, Router, Status

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.api import JobOut, job_file_response
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.jobs import access_job, job_restart

jobs_router = Router(tags=["后台任务"])

# The operation ids these had when they lived in ``core.api``: clients generated from the
# schema name their methods after them.
_ID = "shanghui_core_api_{}".format


@jobs_router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS}, operation_id=_ID("job_detail"))
def job_detail(request: HttpRequest, slug: Path[str], job_id: str) -> object:
    """Progress of a background job started by the caller."""
    require_member(current_role(request))
    user = signed_in_user(request)
    return access_job(
        association=current_association(request),
        actor=user,
        role=current_role(request),
        job_id=job_id,
    )


@jobs_router.post(
    "/jobs/{job_id}/restart",
    response={202: JobOut, **ERRORS},
    operation_id=_ID("job_restart_endpoint"),
)
def job_restart_endpoint(request: HttpRequest, slug: Path[str], job_id: str) -> Status[object]:
    """Start a failed job of yours again as it was started (重新开始): an export with the same
    filters, a bill run for the same year — ``can_restart`` says which jobs may. 202 with the
    new job to poll; for an export, with the one of yours already queued or running if there
    is one (one at a time per person and kind). 400 for a job that cannot be started again."""
    require_member(current_role(request))
    user = signed_in_user(request)
    association = current_association(request)
    job = access_job(association=association, actor=user, role=current_role(request), job_id=job_id)
    new, _started = job_restart(association=association, actor=user, job=job)
    return Status(202, new)


@jobs_router.get(
    "/jobs/{job_id}/file", response={200: None, **ERRORS}, operation_id=_ID("job_file")
)
def job_file(request: HttpRequest, slug: Path[str], job_id: str) -> StreamingHttpResponse:
    """The file a finished job produced."""
    require_member(current_role(request))
    user = signed_in_user(request)
    job = access_job(
        association=current_association(request),
        actor=user,
        role=current_role(request),
        job_id=job_id,
    )
    return job_file_response(job)
