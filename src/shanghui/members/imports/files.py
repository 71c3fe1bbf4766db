"""The import's files in the content store (``core.storage.files``): the uploaded list
(``MemberImport.source_file``), read back by the validation and the mapping page, and the
error report. Both hold phone lists and expire ``TASK_RETENTION_DAYS`` after they were
stored (``files_expire`` empties the fields); an import whose list is gone says so
(``file_expired``) and can no longer be validated or committed."""

import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.models import StoredFile
from shanghui.core.storage.content import (
    ContentCorrupt,
    ContentTooLarge,
    QuotaExceeded,
    content_blocks,
    size_label,
)
from shanghui.core.storage.files import file_store, held_file
from shanghui.members.imports.uploads import bad_file
from shanghui.members.models import MemberImport

SOURCE_HOLDER = "members.memberimport.source_file"
REPORT_HOLDER = "members.memberimport.error_report"


def source_expired(member_import: MemberImport) -> bool:
    """Whether the uploaded list is gone: every import is created with one, and only the
    retention job (``files_expire``) empties the field."""
    return member_import.source_file_id is None


def file_expired_message() -> str:
    return _("文件已过期删除（导入的文件只保留 %(days)d 天），请重新上传会员名单") % {
        "days": settings.TASK_RETENTION_DAYS
    }


def file_expired() -> ValidationError:
    return ValidationError(file_expired_message(), code="file_expired")


def source_store(association: Association, upload: IO[bytes], *, name: str, by: User) -> StoredFile:
    """Stores an uploaded list that passed ``inspect_upload`` — with no transaction open — as
    a file not yet attached to its import. The quota and size refusals as a ValidationError."""
    upload.seek(0)
    try:
        return file_store(association, upload, holder=SOURCE_HOLDER, name=name, by=by)
    except ContentTooLarge as error:
        raise bad_file(_("文件不能超过 %(size)s") % {"size": size_label(error.limit)}) from None
    except QuotaExceeded as error:
        raise ValidationError(error.message(), code="quota") from None


def report_store(
    association: Association, member_import: MemberImport, report: bytes
) -> StoredFile:
    """Stores an error report (with no transaction open), named as it is downloaded. Made by
    the platform from a list already stored: never refused for the quota."""
    stem = member_import.original_name.rsplit(".", 1)[0] or "members"
    return file_store(
        association,
        io.BytesIO(report),
        holder=REPORT_HOLDER,
        name=_("%(name)s-错误报告.xlsx") % {"name": stem},
        max_bytes=len(report),
        check_quota=False,
    )


def _held(member_import: MemberImport, file_id: int | None) -> StoredFile | None:
    """A file the import holds, looked up within its association (never another's)."""
    return held_file(member_import.association, file_id)


def report_of(member_import: MemberImport) -> StoredFile | None:
    """The import's error report, while it is kept."""
    return _held(member_import, member_import.error_report_id)


@contextmanager
def source_opened(member_import: MemberImport) -> Iterator[IO[bytes]]:
    """The uploaded list, read back from the content store (each block verified) into a
    temporary file — in memory up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``, on disk beyond: the
    readers seek in it. Raises the ValidationError ``file_expired`` once the list is gone,
    and ``bad_file`` when the stored copy is damaged."""
    association = member_import.association
    stored = _held(member_import, member_import.source_file_id)
    if stored is None:
        raise file_expired()
    with tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE) as spool:
        try:
            for block in content_blocks(association, stored.content):
                spool.write(block)
        except ContentCorrupt:
            raise bad_file(_("存储的导入文件已损坏，请重新上传会员名单")) from None
        spool.seek(0)
        yield spool
