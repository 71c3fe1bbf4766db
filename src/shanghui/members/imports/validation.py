"""The validation job's work: every row checked in chunks, the error report written and the
cleaned rows staged for the commit."""

import contextlib
from collections.abc import Iterator
from itertools import islice

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.core.jobs import job_progress
from shanghui.core.models import Job, StoredFile
from shanghui.core.storage.files import file_attach
from shanghui.core.tenancy import tenant_context
from shanghui.members.imports.checker import RowChecker
from shanghui.members.imports.files import report_store, source_opened
from shanghui.members.imports.reader import SheetReader, data_rows, fields_of, layout_of
from shanghui.members.imports.report import Note, error_report
from shanghui.members.imports.staging import StagedRows
from shanghui.members.imports.states import ImportSuperseded, owned
from shanghui.members.imports.uploads import bad_file
from shanghui.members.models import Level, MemberImport

SHOWN_ISSUES = 200  # issues kept on the import for the preview; the report has them all
CHUNK_ROWS = 1000  # rows validated per transaction (and per progress update)


def _chunks(
    rows: Iterator[tuple[int, tuple[object, ...]]], size: int
) -> Iterator[list[tuple[int, tuple[object, ...]]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def validate_rows(*, member_import: MemberImport, job: Job) -> None:
    """Checks every row, writes the error report and, when no row has an error, stages the
    cleaned rows for the commit. Each chunk of rows is checked in its own short transaction,
    so progress shows and no lock is held for long. A bad file raises a ValidationError."""
    association = member_import.association
    layout, fields = layout_of(member_import), fields_of(member_import)
    with tenant_context(association):
        levels = dict(
            Level.objects.filter(association=association, is_active=True).values_list("name", "pk")
        )
    checker = RowChecker(association, layout, fields, levels)
    staged = StagedRows()
    total = errors = warnings = skipped = 0
    shown: list[dict[str, object]] = []
    notes: dict[int, Note] = {}
    try:
        with source_opened(member_import) as source, SheetReader(source, layout) as reader:
            for chunk in _chunks(data_rows(reader.rows(), layout.header_row), CHUNK_ROWS):
                with tenant_context(association):
                    checked = checker.check_chunk(chunk)
                    total += len(checked)
                    job_progress(job, done=total, total=max(total, layout.estimated_rows))
                for row in checked:
                    if row.issues:
                        notes[row.number] = Note.of(row)
                        errors += not row.ok
                        skipped += row.skipped
                        warnings += sum(i.level == "warning" for i in row.issues)
                        shown.extend(i.as_dict() for i in row.issues[: SHOWN_ISSUES - len(shown)])
                if not errors:  # staging is useless once a row has failed
                    staged.add(checked)
        if total == 0:
            raise bad_file(_("文件中只有表头，没有会员数据"))
        staged_name = "" if errors else staged.save()
    finally:
        staged.close()
    report = error_report(member_import, layout, notes) if notes else b""
    # Stored before the transaction that records it (``core.storage.files``).
    stored = report_store(association, member_import, report) if report else None
    with tenant_context(association):
        counts = (total, errors, warnings, skipped)
        _validated(member_import, job, counts, shown, staged_name, stored)


def _validated(
    member_import: MemberImport,
    job: Job,
    counts: tuple[int, int, int, int],
    shown: list[dict[str, object]],
    staged_name: str,
    report: StoredFile | None,
) -> None:
    """Records the validation's outcome — unless the import has moved on without this job
    (given up as stalled and started again): then its files are dropped, nothing changes and
    ``ImportSuperseded`` is raised."""
    total, errors, warnings, skipped = counts
    message = _("共 %(total)d 行：%(valid)d 行可导入，%(errors)d 行有错误，%(warnings)d 条提示") % {
        "total": total,
        "valid": total - errors - skipped,
        "errors": errors,
        "warnings": warnings,
    }
    if skipped:
        message += _("；%(skipped)d 行已是本会个人会员，将跳过") % {"skipped": skipped}
    earlier_staged = str(member_import.column_mapping.get("staged") or "")
    with transaction.atomic():
        recorded = owned(member_import, job, MemberImport.Status.VALIDATING).update(
            total_rows=total,
            error_rows=errors,
            valid_rows=total - errors - skipped,
            errors=shown,
            column_mapping={**member_import.column_mapping, "staged": staged_name},
            status=MemberImport.Status.VALIDATED,
            message=message,
        )
        if recorded:
            # The earlier validation's report goes (an expiring file is not kept as a version).
            member_import.refresh_from_db(fields=["error_report"])
            file_attach(member_import, "error_report", report)
        elif report is not None:
            StoredFile.objects.filter(pk=report.pk, record_id="").delete()
    # The staged rows the import no longer names: the earlier validation's when this one is
    # recorded, this one's when it is not.
    dropped = earlier_staged if recorded else staged_name
    if dropped:
        with contextlib.suppress(OSError):
            default_storage.delete(dropped)
    if not recorded:
        raise ImportSuperseded
    member_import.refresh_from_db()
