"""Checks on uploaded files before any module stores them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

DOCUMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_document_upload(upload: UploadedFile | None, *, field: str) -> None:
    """A scanned certificate or licence: PDF, JPEG or PNG, not empty, not over the size limit,
    and its content matches its extension."""
    if upload is None:
        raise ValidationError({field: _("请上传文件")})
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in DOCUMENT_SIGNATURES:
        raise ValidationError({field: _("仅支持 PDF、JPG、PNG 格式的文件")})
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: _("文件是空的")})
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {field: _("文件不能超过 %(mb)d MB") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20}}
        )
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(DOCUMENT_SIGNATURES[extension]):
        raise ValidationError({field: _("文件内容与扩展名不符")})
