"""What the JSON API says about core's own objects, for every app's endpoints: a background
job's progress (``JobOut``, answered by whatever starts a job) and its file. The jobs'
endpoints themselves are on the top floor (``site.jobs_api``)."""

from datetime import datetime

from django.http import FileResponse, Http404
from ninja import Schema

from shanghui.core.http import safe_filename
from shanghui.core.models import Job


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


def job_file_response(job: Job) -> FileResponse:
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=safe_filename(job.result_name)
    )
