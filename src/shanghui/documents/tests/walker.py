"""Teaches the isolation walker the library's objects of association B: a folder all its
members see, a file in it with two versions, a share link, an unfinished resumable upload of
B's administrator, another module's file in B's trash (其他模块的文件) — named so that only
B's pages could show them."""

import io
from datetime import timedelta

from django.utils import timezone

from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_store
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
    # Stored for a field that exists, then put in the trash as a removed versioned file is.
    stored = file_store(
        b,
        io.BytesIO(b"%PDF-1.4 module file"),
        holder="core.job.result_file",
        name="乙市机密执照.pdf",
        by=side_b.admin,
    )
    with tenant_context(b):
        StoredFile.objects.filter(pk=stored.pk).update(record_id="1", deleted_at=timezone.now())
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
            "stored_file_id": str(stored.pk),
        },
        ["乙市内部资料夹", "乙市机密合同", "乙市机密上传", "乙市机密执照"],
    )
