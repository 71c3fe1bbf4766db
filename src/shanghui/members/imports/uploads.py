"""The checks an uploaded member list passes before it is stored: its size, what the file
really is (a zip bomb, an encrypted or binary file, text in an unknown encoding), and the
limits of rows and columns."""

import codecs
import re
import struct
import zipfile
import zlib
from typing import IO

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string

from shanghui.core.uploads import (
    ZIP_MAX_ENTRIES,
    ZIP_MAX_UNZIPPED_BYTES,
    ZipRefused,
    zip_entries,
    zip_limits,
)

MAX_ROWS = 100_000
MAX_UNZIPPED_BYTES = ZIP_MAX_UNZIPPED_BYTES  # all parts of an xlsx together, as declared
MAX_ZIP_ENTRIES = ZIP_MAX_ENTRIES
MAX_COLUMNS = 50  # the template has 15; a member list with a few extra columns is fine
# The references of a sheet's cells (r="B7") and rows (r="7"), with or without a namespace
# prefix on the element. Starting with the literal is what makes them fast (a text that
# imitates one can only make a file look larger, and be refused).
ROW_NUMBER = re.compile(rb' r="[A-Z]{0,3}([0-9]{1,8})"')
COLUMN_LETTERS = re.compile(rb' r="([A-Z]{1,3})[0-9]')
# Rows and cells may also go without a reference: the reader places them after the previous
# one. A row's start tag, and start tags of rows and cells that have no r attribute.
ROW_START = re.compile(rb"<(?:\w+:)?row[\s/>]")
ROW_WITHOUT_REFERENCE = re.compile(rb'<(?:\w+:)?row(?:\s+(?!r=)[\w:]+="[^"]*")*\s*/?>')
CELL_WITHOUT_REFERENCE = re.compile(rb'<(?:\w+:)?c(?:\s+(?!r=)[\w:]+="[^"]*")*\s*/?>')

XLSX_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0"  # .xls, and Excel files protected by a password
BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK", b"\x1f\x8b", b"Rar!")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def max_rows() -> int:
    return int(getattr(settings, "MEMBER_IMPORT_MAX_ROWS", MAX_ROWS))


def max_unzipped_bytes() -> int:
    return int(getattr(settings, "MEMBER_IMPORT_MAX_UNZIPPED_BYTES", MAX_UNZIPPED_BYTES))


def bad_file(message: str) -> ValidationError:
    return ValidationError(message, code="bad_file")


def too_many_rows(limit: int) -> ValidationError:
    message = _("文件超过 %(limit)s 行数据，请拆分成多个文件分批导入（末尾如有大量空行，请先删除）")
    return bad_file(message % {"limit": f"{limit:,}"})


def check_zip(fileobj: IO[bytes]) -> None:
    try:
        entries = zip_entries(fileobj)
    except ZipRefused as exc:
        raise bad_file(_("文件已损坏，无法打开。请在 Excel 中重新保存后再上传")) from exc
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise bad_file(_("暂不支持 .xlsb 格式，请在 Excel 中另存为 .xlsx 后再上传"))
        raise bad_file(_("这不是 Excel 表格文件。请上传 .xlsx 或 .csv 文件"))
    try:
        zip_limits(entries, max_unzipped_bytes=max_unzipped_bytes(), max_entries=MAX_ZIP_ENTRIES)
    except ZipRefused as exc:
        if exc.reason == "encrypted":
            raise bad_file(_("文件已加密，请取消密码保护后再上传")) from exc
        raise bad_file(
            _("文件解压后过大（超过 %(mb)d MB），不像正常的会员名单，请检查文件")
            % {"mb": max_unzipped_bytes() // 2**20}
        ) from exc
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            last_row, last_column = _sheet_extent(archive, entries)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise bad_file(_("文件已损坏，无法打开。请在 Excel 中重新保存后再上传")) from exc
    if last_row > 2 * max_rows():
        raise too_many_rows(max_rows())
    if last_column > MAX_COLUMNS:
        raise bad_file(
            _("表格超过 %(count)d 列，不像会员名单，请检查文件") % {"count": MAX_COLUMNS}
        )


def check_ole(fileobj: IO[bytes]) -> None:
    """An OLE2 (compound) file: an old Excel workbook (.xls) is read; an Excel file protected
    by a password (an .xlsx inside an encrypted OLE2 container, or a .xls with a FILEPASS
    record) and every other OLE2 file (.doc, .ppt …) are refused, each saying why. The
    sheets' extent is checked as for an xlsx, before the reader loads one as a rectangle."""
    fileobj.seek(0)
    try:
        with olefile.OleFileIO(fileobj.read()) as container:
            if container.exists("EncryptionInfo") or container.exists("EncryptedPackage"):
                raise bad_file(_("文件已加密，请取消密码保护后再上传"))
            name = next((n for n in ("Workbook", "Book") if container.exists(n)), None)
            if name is None:
                raise bad_file(_("这不是 Excel 表格文件。请上传 .xlsx 或 .csv 文件"))
            last_row, last_column = _xls_extent(container.openstream(name).read())
    except ValidationError:
        raise
    except Exception as exc:  # a broken container, whatever olefile finds wrong with it
        raise bad_file(_("文件已损坏，无法打开。请在 Excel 中重新保存后再上传")) from exc
    if last_row > 2 * max_rows():
        raise too_many_rows(max_rows())
    if last_column > MAX_COLUMNS:
        raise bad_file(
            _("表格超过 %(count)d 列，不像会员名单，请检查文件") % {"count": MAX_COLUMNS}
        )


# BIFF records (.xls) that hold a cell's value and start with its row and column, and those
# (MULRK) whose last column ends the record. Blank cells (BLANK, MULBLANK) the reader skips.
BIFF_CELLS = frozenset({0x0006, 0x00FD, 0x0203, 0x027E, 0x0204, 0x00D6, 0x0205})
BIFF_MULRK = 0x00BD
BIFF_FILEPASS = 0x002F  # the workbook is encrypted
_BIFF_HEAD = struct.Struct("<HHHH")  # record type, length, then a cell's row and column


def _xls_extent(stream: bytes) -> tuple[int, int]:
    """The last row and column any cell of the workbook stream uses (every sheet): the
    reader loads a sheet as one rectangle, so one cell at IV65536 would cost a gigabyte."""
    last_row = last_column = 0
    position, end = 0, len(stream) - _BIFF_HEAD.size
    head = _BIFF_HEAD.unpack_from
    while position <= end:  # a record shorter than a cell's head may end the stream
        kind, size, row, column = head(stream, position)
        if kind == BIFF_MULRK and size >= 6:
            column = stream[position + 2 + size] | stream[position + 3 + size] << 8
        elif kind == BIFF_FILEPASS:
            raise bad_file(_("文件已加密，请取消密码保护后再上传"))
        elif kind not in BIFF_CELLS:
            position += 4 + size
            continue
        if row > last_row:  # comparisons rather than max(): a record per cell, 10⁶ of them
            last_row = row
        if column > last_column:
            last_column = column
        position += 4 + size
    return last_row + 1, last_column + 1


def _sheet_extent(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> tuple[int, int]:
    """The last row and column any worksheet uses. The reader loads a sheet as one dense
    rectangle, so a stray cell at XFD1048576 would cost gigabytes: the caller refuses such a
    file first. Inflating every part once also proves the sizes the zip declares (a part that
    inflates past its declared size fails zipfile's checks)."""
    last_row = rows_without = cells_without = 0
    columns: set[bytes] = set()
    for entry in entries:
        is_sheet = entry.filename.startswith("xl/worksheets/")
        with archive.open(entry) as part:
            tail = b""
            while chunk := part.read(2**20):
                if is_sheet:  # a reference cut by the chunk's end is whole in the next text
                    text = tail + chunk
                    columns.update(COLUMN_LETTERS.findall(text))
                    last_row = max(last_row, max(map(int, ROW_NUMBER.findall(text)), default=0))
                    # Without references, each row and cell counts: placed after the last
                    # referenced one, at worst (a tag in the overlap counts twice: harmless).
                    rows_without += len(ROW_WITHOUT_REFERENCE.findall(text))
                    if CELL_WITHOUT_REFERENCE.search(text):
                        cells_without = max(
                            cells_without,
                            *(
                                len(CELL_WITHOUT_REFERENCE.findall(row))
                                for row in ROW_START.split(text)
                            ),
                        )
                    tail = chunk[-64:]
    last_column = max((column_index_from_string(c.decode()) for c in columns), default=0)
    return last_row + rows_without, last_column + cells_without


def detect_encoding(fileobj: IO[bytes]) -> str:
    fileobj.seek(0)
    head = fileobj.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Chinese Excel saves "CSV (逗号分隔)" in GBK; GB18030 is its superset.
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        fileobj.seek(0)
        try:
            while chunk := fileobj.read(2**20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise bad_file(_("无法识别文件的文字编码。请保存为 UTF-8 或 GBK 编码的 CSV，或直接上传 .xlsx"))


def sniff_text(fileobj: IO[bytes], encoding: str) -> str:
    """The delimiter of a CSV file; refuses binary content that merely decodes as text."""
    fileobj.seek(0)
    sample = fileobj.read(65536).decode(encoding, errors="ignore").lstrip("\ufeff")
    if CONTROL_CHARS.search(sample):
        raise bad_file(_("这不是表格文件。请上传 .xlsx 或 .csv 文件"))
    first_line = sample.split("\n", 1)[0]
    return "\t" if first_line.count("\t") > first_line.count(",") else ","
