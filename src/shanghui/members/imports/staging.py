"""The staged rows: the cleaned rows of a file without errors, kept as a working file
(``core.uploads.scratch_save``) so that the commit does not read the spreadsheet again. They
are not a file the import holds: dropped when the commit is done or the mapping changes, and
by the daily clean-up after ``TASK_RETENTION_DAYS`` (they list phones) if neither happens."""

import json
import tempfile
from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from shanghui.core.uploads import scratch_save
from shanghui.members.imports.checker import CheckedRow
from shanghui.members.models import MemberImport


class StagedRows:
    """The cleaned rows of a file without errors: a JSON array per chunk of rows, one per line
    (one ``json.loads`` of a thousand rows is twice as fast as a thousand of one row each)."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 — closed by close()

    def add(self, rows: list[CheckedRow]) -> None:
        items = [
            {"row": row.number, "member": row.member, "person": row.person}
            for row in rows
            if not row.skipped
        ]
        if items:
            self.file.write(json.dumps(items, ensure_ascii=False).encode() + b"\n")

    def save(self) -> str:
        self.file.seek(0)
        return scratch_save(self.file, suffix=".jsonl")

    def close(self) -> None:
        self.file.close()


def read_staged(member_import: MemberImport, size: int) -> Iterator[list[dict[str, Any]]]:
    """The staged rows in batches of ``size``."""
    name = str(member_import.column_mapping.get("staged") or "")
    if not name:
        raise ValidationError(_("校验结果已失效，请重新校验"))
    try:
        staged = default_storage.open(name, "rb")
    except FileNotFoundError:  # removed by the daily clean-up
        raise ValidationError(_("校验结果已失效，请重新校验")) from None
    with staged:
        rows = (row for line in staged if line.strip() for row in json.loads(line))
        while batch := list(islice(rows, size)):
            yield batch


def drop_staged(member_import: MemberImport) -> None:
    name = str(member_import.column_mapping.get("staged") or "")
    if name:
        default_storage.delete(name)
