"""What the JSON API says about core's own objects, for every app's endpoints: a background
job's progress (``JobOut``, answered by whatever starts a job) and its file. The jobs'
endpoints themselves are on the top floor (``site.jobs_api``)."""

from datetime import datetime

from django.http import Http404, StreamingHttpResponse
from ninja import Schema

from shanghui.core.models import Job
from shanghui.core.storage.files import file_response


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
        return obj.result_file_id is not None


def job_file_response(job: Job) -> StreamingHttpResponse:
    """An export's result, while it is kept (``TASK_RETENTION_DAYS``)."""
    if job.result_file is None:
        raise Http404
    return file_response(job.association, job.result_file)
