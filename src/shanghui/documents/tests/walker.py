"""Teaches the isolation walker the library's objects of association B: a folder all its
members see, a file in it with two versions, a share link, an unfinished resumable upload of
B's administrator — named so that only B's pages could show them."""

import io
from datetime import timedelta

from django.utils import timezone

from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import Folder, UploadSession
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.documents.services import shares as share_services
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    b = side_b.association
    with tenant_context(b):
        folder = folder_services.folder_create(
            association=b,
            actor=side_b.admin,
            parent=folder_services.root_folder(b),
            name="乙市内部资料夹",
            audience=Folder.Audience.MEMBERS,
        )
        for body in (b"%PDF-1.4 first", b"%PDF-1.4 second"):
            version = file_services.file_upload(
                association=b,
                actor=side_b.admin,
                folder=folder,
                name="乙市机密合同.pdf",
                source=io.BytesIO(body),
            )
        share, token = share_services.share_create(
            association=b, actor=side_b.admin, file=version.file
        )
    upload = UploadSession.objects.create(
        association=b,
        user=side_b.admin,
        folder_id=folder.pk,
        filename="乙市机密上传.pdf",
        length=10,
        expires_at=timezone.now() + timedelta(days=1),
    )
    return (
        {
            "upload_id": str(upload.pk),
            "folder_id": str(folder.pk),
            "file_id": str(version.file_id),
            "version_number": str(version.number),
            "share_id": str(share.pk),
            "share_token": token,
        },
        ["乙市内部资料夹", "乙市机密合同", "乙市机密上传"],
    )
