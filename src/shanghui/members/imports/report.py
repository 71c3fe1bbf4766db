"""The error report: the original rows with an 错误说明 column, to fix and upload again."""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from shanghui.core.excel import safe_cell
from shanghui.members.imports.cells import cell_text
from shanghui.members.imports.checker import CheckedRow
from shanghui.members.imports.columns import COLUMN_BY_KEY
from shanghui.members.imports.files import source_opened
from shanghui.members.imports.reader import Layout, SheetReader, data_rows, fields_of
from shanghui.members.models import MemberImport

ERROR_FILL = PatternFill("solid", fgColor="FFFDE2E2")
WARNING_FILL = PatternFill("solid", fgColor="FFFFF4CE")


class ErrorReport:
    """The original rows with an 错误说明 column (write-only mode); the user fixes the cells
    and uploads the whole file again. A row with an error is red, one with a warning only
    yellow. The columns of codes and phone numbers (``text_columns``) are text, so that Excel
    shows their digits (not 9.14403E+17) and keeps what is typed there as typed. Every cell is
    neutralised against formulas."""

    def __init__(self, headers: list[str], text_columns: Iterable[int] = ()) -> None:
        self.width = len(headers)
        self.text_columns = frozenset(i for i in text_columns if i < self.width)
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(_("会员"))
        for index in self.text_columns:
            self.sheet.column_dimensions[get_column_letter(index + 1)].number_format = "@"
        head = [self._cell(safe_cell(h), bold=True) for h in headers]
        self.sheet.append([*head, self._cell(_("错误说明"), bold=True)])

    def _cell(
        self, value: object, *, bold: bool = False, fill: Any = None, text: bool = False
    ) -> Any:
        cell = WriteOnlyCell(self.sheet, value=value)  # type: ignore[arg-type]
        if bold:
            cell.font = Font(bold=True)
        if fill is not None:
            cell.fill = fill
        if text:
            cell.number_format = "@"
        return cell

    def add(self, values: tuple[object, ...], note: "Note | None") -> None:
        fill = None if note is None else ERROR_FILL if note.error else WARNING_FILL
        cells: list[Any] = []
        for index in range(self.width):
            value = safe_cell(values[index]) if index < len(values) else None
            if index in self.text_columns:
                cells.append(self._cell(_as_text(value), fill=fill, text=True))
            else:
                cells.append(value if fill is None else self._cell(value, fill=fill))
        if note is not None:
            cells.append(self._cell(safe_cell(note.text), fill=fill))
        self.sheet.append(cells)

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _as_text(value: object) -> object:
    """A code or phone number read as a number, as text: the digits Excel shows for it (a
    number holds 15 significant digits; the rest of a longer code is lost, and shown as 0)."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e15:
        return str(int(Decimal(f"{value:.15g}")))
    return cell_text(value) or None


@dataclass(frozen=True)
class Note:
    """What the report says about one row."""

    text: str
    error: bool

    @classmethod
    def of(cls, row: CheckedRow) -> "Note":
        text = "；".join(
            (_("[提示] ") if i.level == "warning" else "") + f"{i.column}：{i.message}"
            for i in row.issues
        )
        return cls(text, not row.ok)


def error_report(member_import: MemberImport, layout: Layout, notes: dict[int, Note]) -> bytes:
    """Reads the file a second time — only when some row has an issue, so a clean file pays
    for one read — and writes every row with its note."""
    text_columns = (i for key, i in fields_of(member_import).items() if COLUMN_BY_KEY[key].text)
    report = ErrorReport(layout.headers, text_columns)
    with source_opened(member_import) as source, SheetReader(source, layout) as reader:
        for number, values in data_rows(reader.rows(), layout.header_row):
            report.add(values, notes.get(number))
    return report.content()
