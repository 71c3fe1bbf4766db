"""Spreadsheet helpers shared by every import and export."""

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit for the text of one cell.
CELL_MAX_CHARS = 32_767


def safe_cell(value: object) -> object:
    """Text as a cell can hold it, and never as a formula: control characters an xlsx cannot
    store are dropped (one such character in one row once made the whole export fail), text is
    cut at Excel's limit, and text a spreadsheet would run as a formula (CSV/formula
    injection) gets a leading apostrophe. Numbers and dates pass through unchanged."""
    if not isinstance(value, str):
        return value
    if not value.isprintable():
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    return value[:CELL_MAX_CHARS]


def xlsx_table(title: str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """An xlsx of one sheet named ``title`` (cut to Excel's 31 characters): the header, then
    the rows, every cell through ``safe_cell``. Written row by row (openpyxl's write-only
    mode), so a long export does not hold the whole sheet's cell objects in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([safe_cell(value) for value in header])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
