"""Teaches the isolation walker this module's objects of association B: an unfinished
resumable upload of B's administrator (named so that only B's pages could show it)."""

from datetime import timedelta

from django.utils import timezone

from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import UploadSession
from shanghui.documents.services.folders import root_folder
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    b = side_b.association
    with tenant_context(b):
        root = root_folder(b)
    upload = UploadSession.objects.create(
        association=b,
        user=side_b.admin,
        folder_id=root.pk,
        filename="乙市机密上传.pdf",
        length=10,
        expires_at=timezone.now() + timedelta(days=1),
    )
    return {"upload_id": str(upload.pk)}, ["乙市机密上传"]
