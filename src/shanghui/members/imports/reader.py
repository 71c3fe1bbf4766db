"""Reading an uploaded member list: the ``Layout`` of a file (its worksheet, header and
encoding, stored on the import), the ``SheetReader`` over xlsx, xls and CSV, and
``inspect_upload``, which finds the list and its header."""

import codecs
import contextlib
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from shanghui.members.imports.cells import cell_text
from shanghui.members.imports.columns import HEADER_LEVELS, auto_map, header_match
from shanghui.members.imports.uploads import (
    BINARY_SIGNATURES,
    CONTROL_BYTES,
    OLE2_SIGNATURE,
    XLSX_SIGNATURE,
    bad_file,
    check_ole,
    check_zip,
    detect_encoding,
    max_rows,
    sniff_text,
    too_many_rows,
)
from shanghui.members.models import MemberImport

HEADER_SCAN_ROWS = 10  # a title row or two may sit above the header row


@dataclass
class Layout:
    """Where the data is in an uploaded file; stored in ``MemberImport.column_mapping``."""

    file_format: str  # "xlsx" | "xls" | "csv"
    encoding: str = ""
    delimiter: str = ","
    header_row: int = 1  # the last row of the header: the data starts below it
    headers: list[str] = field(default_factory=list)
    estimated_rows: int = 0
    sheet: int = 0  # the worksheet holding the list (its index in the workbook)
    sheet_name: str = ""
    header_rows: int = 1  # 2 for a two-level header (“会员代表” above “姓名” and “手机”)


WORKBOOK_FORMATS = ("xlsx", "xls")  # read by calamine


class SheetReader:
    """The physical rows (1-based number, cell values) of one worksheet of an xlsx or xls
    file (``Layout.sheet``) or of a CSV file: calamine (a Rust reader, about ten times faster
    than openpyxl's read-only mode) for workbooks, the csv module streaming over the bytes for
    CSV."""

    def __init__(self, fileobj: IO[bytes], layout: Layout) -> None:
        self.fileobj = fileobj
        self.layout = layout
        self.dimension_rows = 0
        self.sheet_count = 1  # every sheet of the workbook, charts too (``worksheets``)
        self._workbook: Any = None

    def __enter__(self) -> "SheetReader":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._workbook is not None:
            self._workbook.close()

    def rows(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        if self.layout.file_format in WORKBOOK_FORMATS:
            return self._workbook_rows()
        self.fileobj.seek(0)
        return self._csv_rows()

    def worksheets(self) -> list[tuple[int, str]]:
        """(index, name) of the sheets a member list may be on, in the order to look: the
        visible worksheets, then the hidden ones (chart and macro sheets hold no list). A
        CSV file is one sheet."""
        if self.layout.file_format not in WORKBOOK_FORMATS:
            return [(0, "")]
        metadata = self._open().sheets_metadata
        self.sheet_count = len(metadata)
        sheets = [
            (index, sheet.name, sheet.visible == SheetVisibleEnum.Visible)
            for index, sheet in enumerate(metadata)
            if sheet.typ == SheetTypeEnum.WorkSheet
        ]
        return [(i, name) for i, name, visible in sheets if visible] + [
            (i, name) for i, name, visible in sheets if not visible
        ]

    def _open(self) -> Any:
        # The file was checked at upload (``inspect_upload``); the stored file is those bytes.
        # Any failure inside a broken or hostile workbook means the same to the user.
        if self._workbook is None:
            self.fileobj.seek(0)
            try:
                self._workbook = CalamineWorkbook.from_filelike(self.fileobj)
            except PasswordError as exc:
                raise bad_file(_("文件已加密，请取消密码保护后再上传")) from exc
            except Exception as exc:
                raise bad_file(
                    _("文件已损坏或格式不受支持，无法读取。请在 Excel 中重新保存后再上传")
                ) from exc
        return self._workbook

    def _workbook_rows(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        workbook = self._open()
        try:
            if not workbook.sheet_names:
                raise bad_file(_("文件中没有工作表"))
            sheet = workbook.get_sheet_by_index(self.layout.sheet)
            # The sheet's range starts at its first used cell: number rows as Excel does.
            first_row = (sheet.start[0] + 1) if sheet.start else 1
            self.dimension_rows = first_row - 1 + sheet.height
            rows = sheet.iter_rows()
        except ValidationError:
            raise
        except Exception as exc:
            raise bad_file(
                _("文件已损坏或格式不受支持，无法读取。请在 Excel 中重新保存后再上传")
            ) from exc
        return self._guarded(
            (number, tuple(row)) for number, row in enumerate(rows, start=first_row)
        )

    def _csv_rows(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        text = io.TextIOWrapper(self.fileobj, encoding=self.layout.encoding, newline="")
        try:
            reader = csv.reader(text, delimiter=self.layout.delimiter)
            yield from self._guarded(
                (number, tuple(row)) for number, row in enumerate(reader, start=1)
            )
        finally:
            with contextlib.suppress(ValueError):  # already closed
                text.detach()  # the file belongs to the caller

    @staticmethod
    def _guarded(
        rows: Iterable[tuple[int, tuple[object, ...]]],
    ) -> Iterator[tuple[int, tuple[object, ...]]]:
        try:
            yield from rows
        except ValidationError:
            raise
        except csv.Error as exc:
            raise bad_file(_("CSV 文件格式有误：%(error)s") % {"error": exc}) from exc
        except Exception as exc:
            raise bad_file(_("文件已损坏，读取到一半失败。请在 Excel 中重新保存后再上传")) from exc


def _blank(values: tuple[object, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def data_rows(
    rows: Iterator[tuple[int, tuple[object, ...]]], header_row: int
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The non-blank rows below the header. Stops reading — and refuses the file — as soon as
    it holds more rows than allowed."""
    limit = max_rows()
    count = 0
    for number, values in rows:
        if number <= header_row or _blank(values):
            if number > header_row + 2 * limit:
                raise too_many_rows(limit)
            continue
        count += 1
        if count > limit:
            raise too_many_rows(limit)
        yield number, values


def inspect_upload(upload: UploadedFile) -> Layout:
    """Checks an uploaded file before it is stored, finds the worksheet holding the list and
    its header. Raises a ValidationError with a message for the secretariat for anything that
    is not a usable member list: not a spreadsheet, encrypted, too large, corrupt, empty, a
    header only, no header at all. A header without a name column is kept: the secretariat
    says which column holds the names when mapping the columns."""
    size = upload.size or 0
    if size == 0:
        raise bad_file(_("文件是空的"))
    if size > settings.UPLOAD_MAX_BYTES:
        raise bad_file(_("文件不能超过 %(mb)d MB") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20})
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(XLSX_SIGNATURE):
        check_zip(upload)
        layout = Layout(file_format="xlsx")
    elif head.startswith(OLE2_SIGNATURE):
        check_ole(upload)
        layout = Layout(file_format="xls")
    elif head.startswith(BINARY_SIGNATURES):
        raise bad_file(_("这不是表格文件。请上传 .xlsx 或 .csv 文件"))
    else:
        upload.seek(0)
        sample = upload.read(65536)
        if not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and (
            CONTROL_BYTES.search(sample)
        ):
            raise bad_file(_("这不是表格文件。请上传 .xlsx 或 .csv 文件"))
        encoding = detect_encoding(upload)
        layout = Layout(file_format="csv", encoding=encoding)
        layout.delimiter = sniff_text(upload, encoding)
    with SheetReader(upload, layout) as reader:
        below = _find_list(reader, layout)
        if layout.file_format == "csv":  # counting is cheap: the validation need not find out
            layout.estimated_rows = sum(1 for _row in below)
        else:  # the size the sheet declares; without one, the validation stops at the limit
            layout.estimated_rows = max(0, reader.dimension_rows - layout.header_row)
            if layout.estimated_rows > max_rows():
                raise too_many_rows(max_rows())
    return layout


def _find_list(reader: SheetReader, layout: Layout) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Sets ``layout`` to the worksheet holding the list — the first (visible ones first)
    whose header names a name column and has rows below it; else the first whose header names
    any known column — and returns its data rows. An empty or chart first sheet, a hidden
    one, notes before the list: the list is found all the same."""
    sheets = reader.worksheets()
    if not sheets:
        raise bad_file(_("文件中没有工作表"))
    found: set[str] = set()
    fallback: tuple[int, str] | None = None
    for index, name in sheets:
        layout.sheet, layout.sheet_name = index, name if reader.sheet_count > 1 else ""
        outcome, rows = _find_header(reader.rows(), layout)
        if outcome in ("named", "partial"):
            below = data_rows(rows, layout.header_row)
            first = next(below, None)
            if first is None:
                outcome = "header only"
            elif outcome == "named":
                return chain([first], below)
            elif fallback is None:
                fallback = (layout.sheet, layout.sheet_name)
        found.add(outcome)
    if fallback is not None:  # read again: the sheets after it were looked at meanwhile
        layout.sheet, layout.sheet_name = fallback
        return data_rows(_find_header(reader.rows(), layout)[1], layout.header_row)
    if "header only" in found:
        raise bad_file(_("文件中只有表头，没有会员数据"))
    if "unknown" in found:
        raise bad_file(
            _("找不到“名称”列。请使用导入模板，或确认表头中有“名称”“企业名称”或“单位名称”")
        )
    raise bad_file(_("文件是空的，没有任何内容"))


Rows = Iterator[tuple[int, tuple[object, ...]]]


def _find_header(rows: Rows, layout: Layout) -> tuple[str, Rows]:
    """The header among the first few non-blank rows (a title such as “会员名单” may sit
    above it): the first row naming a name column (outcome ``named``), else the row naming
    the most known columns (``partial``) — set on ``layout``, with the rows after it. A
    second header row below it (“会员代表” above “姓名” and “手机”) is part of the header.
    Otherwise the outcome is ``unknown`` (no row names a known column) or ``blank``."""
    scanned: list[tuple[int, tuple[object, ...]]] = []
    best: tuple[int, int] | None = None  # (known columns, position in scanned)
    for number, values in rows:
        if _blank(values):
            if number > 2 * max_rows():
                raise too_many_rows(max_rows())
            continue
        scanned.append((number, values))
        known = auto_map(_header_texts(values))
        if "name" in known:
            return "named", _below_header(rows, scanned[-1], layout)
        if known and (best is None or len(known) > best[0]):
            best = (len(known), len(scanned) - 1)
        if len(scanned) == HEADER_SCAN_ROWS:
            break
    if best is None:
        return ("unknown" if scanned else "blank"), iter(())
    after = chain(scanned[best[1] + 1 :], rows)
    return "partial", _below_header(after, scanned[best[1]], layout)


def _header_texts(values: tuple[object, ...]) -> list[str]:
    headers = [cell_text(v) for v in values]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _below_header(rows: Rows, header: tuple[int, tuple[object, ...]], layout: Layout) -> Rows:
    """Sets the header on ``layout``, joining the row below when it is a second header row;
    returns the rows after the header."""
    number, values = header
    layout.header_row, layout.headers, layout.header_rows = number, _header_texts(values), 1
    following = next(rows, None)
    if following is None:
        return iter(())
    if following[0] == number + 1:
        joined = _two_level(layout.headers, _header_texts(following[1]))
        if joined is not None:
            layout.header_row, layout.headers, layout.header_rows = following[0], joined, 2
            return rows
    return chain([following], rows)


def _two_level(top: list[str], below: list[str]) -> list[str] | None:
    """The headers of a two-level header (``top/below``; a cell merged across columns is read
    in its first column only, so a blank top cell carries the one to its left), or None when
    ``below`` is not a header row: it must be text without digits, name a known column and
    stand in part under blank top cells (where a top cell was merged across)."""
    cells = [(i, text) for i, text in enumerate(below) if text]
    if not cells or any(ch.isdigit() for _i, text in cells for ch in text):
        return None
    if not any(i >= len(top) or not top[i] for i, _text in cells):
        return None
    if not any(header_match(text) for _i, text in cells):
        return None
    headers: list[str] = []
    group = ""
    for i in range(max(len(top), len(below))):
        upper = top[i] if i < len(top) else ""
        lower = below[i] if i < len(below) else ""
        group = upper or (group if lower else "")
        if lower and group and lower != group:
            headers.append(f"{group}{HEADER_LEVELS}{lower}")
        else:
            headers.append(lower or upper)
    return headers


def layout_of(member_import: MemberImport) -> Layout:
    data = member_import.column_mapping
    return Layout(
        file_format=str(data.get("format", "xlsx")),
        encoding=str(data.get("encoding", "")),
        delimiter=str(data.get("delimiter", ",")),
        header_row=int(data.get("header_row", 1)),
        headers=[str(h) for h in data.get("headers", [])],
        estimated_rows=int(data.get("estimated_rows", 0)),
        sheet=int(data.get("sheet", 0)),
        sheet_name=str(data.get("sheet_name", "")),
        header_rows=int(data.get("header_rows", 1)),
    )


def fields_of(member_import: MemberImport) -> dict[str, int]:
    return {k: int(v) for k, v in member_import.column_mapping.get("fields", {}).items()}
