"""The states of an import that a job claims, and how a job tells that the import is still
its own."""

from django.db.models import QuerySet

from shanghui.core.models import Job
from shanghui.members.models import MemberImport

EDITABLE = (MemberImport.Status.UPLOADED, MemberImport.Status.VALIDATED, MemberImport.Status.FAILED)
RUNNING_STATUSES = (MemberImport.Status.VALIDATING, MemberImport.Status.IMPORTING)


class ImportSuperseded(Exception):
    """The import has moved on without this job — given up as stalled and started again:
    what the job did is dropped (a commit rolls back), and the job is left as it was."""


def owned(member_import: MemberImport, job: Job, status: str) -> QuerySet[MemberImport]:
    """The import, as long as it is in ``status`` for ``job``: a job given up as stalled
    (``job_check_stalled``) and still running somewhere must not overwrite what came after."""
    return MemberImport.objects.filter(pk=member_import.pk, job_id=job.pk, status=status)
