"""The document library's background work: previews of new versions (a picture re-encoded,
an Office file converted to PDF by LibreOffice — seconds each, never in a request)."""

from django_tasks import task

from shanghui.associations.models import Association
from shanghui.core.storage.previews import PreviewFailed, preview_make
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import FileVersion


@task()
def version_preview(*, association_id: int, version_id: int) -> str:
    """Make the preview of one version; its status says what came of it."""
    association = Association.objects.get(pk=association_id)
    with tenant_context(association):
        version = (
            FileVersion.objects.filter(
                association=association, pk=version_id, preview_status=FileVersion.Preview.PENDING
            )
            .select_related("file", "content")
            .first()
        )
        if version is None:  # purged meanwhile, or made already
            return "skipped"
        name, content = version.file.name, version.content
    # No transaction open while LibreOffice works (as content_put wants).
    try:
        preview = preview_make(association, content, name=name)
    except PreviewFailed as failed:
        with tenant_context(association):
            FileVersion.objects.filter(pk=version_id).update(
                preview_status=FileVersion.Preview.FAILED, preview_message=failed.message[:200]
            )
        return "failed"
    with tenant_context(association):
        FileVersion.objects.filter(pk=version_id).update(
            preview=preview,
            preview_status=FileVersion.Preview.READY if preview else FileVersion.Preview.NONE,
        )
    return "ready" if preview else "none"
