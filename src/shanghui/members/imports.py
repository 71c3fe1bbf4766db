"""Importing members from a spreadsheet: xlsx, or CSV in UTF-8 (with or without BOM) or GB18030.

The flow: upload (the file is checked at once — a real spreadsheet, not empty, no zip bomb) →
column mapping (headers matched by name and common synonyms; the secretariat may adjust) →
validation as a background job (every row through ``services.clean_member_input``, the rules the
form and the API use, plus duplicates inside the file and against existing members; an error
report to download, fix and upload again) → commit as a background job, all or nothing.

Validation stages the cleaned rows in a file next to the upload (a JSON array per chunk), so
the commit does not read the spreadsheet again. Inside its one transaction the commit computes
the search and sort keys (on PostgreSQL while the server writes the batch before; on SQLite
that is ~0.5 s more of the write lock for 23,000 rows), re-checks what may have changed since
validation (credit codes and member numbers taken meanwhile) and lets the database
constraints catch the rest.
The directory's search tokens of the new members and people are written after that
transaction, by the same job (``search_index.search_index_pending``): the import is done when
its transaction commits, and its members are found by a search a few seconds later.
"""

import codecs
import contextlib
import csv
import io
import json
import re
import struct
import tempfile
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from itertools import chain, islice
from typing import IO, Any

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.bulk import insert_rows, large_writes, next_ids, pipelined, rows_by
from shanghui.core.chinese import to_simplified
from shanghui.core.excel import safe_cell
from shanghui.core.industries import divisions, sections
from shanghui.core.jobs import (
    UNFINISHED,
    job_check_stalled,
    job_progress,
    job_start,
    stalled_message,
)
from shanghui.core.models import Job
from shanghui.core.phone import normalize_mobile
from shanghui.core.regions import children, provinces, region_full_name
from shanghui.core.tenancy import tenant_context
from shanghui.core.text import clean_text
from shanghui.core.uscc import is_valid_uscc, normalize_uscc, uscc_check_char
from shanghui.members.models import (
    Level,
    Member,
    MemberImport,
    MemberStatusChange,
    Person,
    Representative,
)
from shanghui.members.search_index import search_index_backlog, search_index_pending
from shanghui.members.services import (
    MemberInput,
    RepresentativeInput,
    clean_member_input,
    individual_members_by_phone,
    member_nos_next,
    member_search_fields,
    person_search_fields,
)

MAX_ROWS = 100_000
MAX_UNZIPPED_BYTES = 200 * 2**20  # all parts of an xlsx together, as declared in the zip
MAX_ZIP_ENTRIES = 10_000
CHUNK_ROWS = 1000  # rows validated per transaction (and per progress update)
COMMIT_BATCH = 1000  # staged rows written at a time (all inside the one transaction)
SHOWN_ISSUES = 200  # issues kept on the import for the preview; the report has them all
HEADER_SCAN_ROWS = 10  # a title row or two may sit above the header row

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


# --- Columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's header
    synonyms: tuple[str, ...] = ()
    hint: str = ""
    text: bool = False  # formatted as text in the template, so Excel keeps leading zeros


COLUMNS: tuple[Column, ...] = (
    Column(
        "kind", "会员类型", ("类型", "会员类别", "类别"), "企业会员 或 个人会员；留空视为企业会员"
    ),
    Column(
        "name",
        "名称",
        (
            "会员名称",
            "企业名称",
            "单位名称",
            "公司名称",
            "会员单位",
            "企业全称",
            "单位全称",
            "会员姓名",
        ),
        "必填。企业全称，或个人会员的姓名",
    ),
    Column(
        "uscc",
        "统一社会信用代码",
        ("信用代码", "社会信用代码", "统一信用代码", "统一代码", "社会统一信用代码"),
        "企业会员必填，18 位",
        text=True,
    ),
    Column("legal_representative", "法定代表人", ("法人", "法人代表", "法定代表人姓名")),
    Column(
        "industry_code",
        "行业代码",
        ("行业", "所属行业", "行业门类"),
        "国民经济行业分类门类字母或两位大类代码，如 C 或 39",
        text=True,
    ),
    Column(
        "region_code",
        "注册地区代码",
        ("注册地区", "注册地", "所在地区", "地区代码", "所在地"),
        "6 位行政区划代码或全称，如 440106 或 广东省广州市天河区",
        text=True,
    ),
    Column("address", "地址", ("注册地址", "通讯地址", "联系地址", "办公地址", "企业地址")),
    Column(
        "hometown_code",
        "籍贯代码",
        ("籍贯", "祖籍", "家乡"),
        "6 位行政区划代码或全称，如 360731 或 江西省赣州市于都县",
        text=True,
    ),
    Column("level", "会员级别", ("级别", "会员等级", "等级"), "须与本会已设置的会员级别名称一致"),
    Column(
        "joined_on",
        "入会日期",
        ("入会时间", "加入日期", "入会年月", "入会年份"),
        "如 2024-03-01；留空为导入当天",
    ),
    Column(
        "member_no",
        "会员编号",
        ("编号", "会员号", "会员证号"),
        "留空则按本会编号格式生成",
        text=True,
    ),
    # Synonyms go from the most specific to the least: when two columns match one field, the
    # more specific header wins (a 联系电话 column, often a landline, yields to 手机号码).
    Column(
        "rep_name", "会员代表", ("会员代表姓名", "代表姓名", "代表", "联系人", "负责人", "姓名")
    ),
    Column("rep_title", "代表职务", ("职务", "职位", "联系人职务")),
    Column(
        "rep_phone",
        "代表手机号",
        (
            "联系人手机",
            "手机号码",
            "手机号",
            "手机",
            "移动电话",
            "联系电话",
            "电话",
            "联系方式",
        ),
        "11 位中国大陆手机号",
        text=True,
    ),
    Column("introduction", "简介", ("企业简介", "公司简介", "单位简介", "会员简介")),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
# The columns read as they are, as text (the others go through their own parser).
TEXT_KEYS = (
    "name",
    "legal_representative",
    "address",
    "level",
    "rep_name",
    "rep_title",
    "introduction",
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# Names and titles: one line each.
ONE_LINE_KEYS = ("name", "legal_representative", "level", "rep_name", "rep_title")
_LINE_BREAK = re.compile(r"\s*\n\s*")
# A number as Excel shows it in scientific notation (9.14403E+17): its last digits are lost.
_EXPONENT = re.compile(r"^\d(?:\.\d+)?[eE]\+\d+$")
REQUIRED_KEYS = ("name",)
# clean_member_input's error keys → our columns.
SERVICE_FIELDS = {
    "level_id": "level",
    "representatives.0.name": "rep_name",
    "representatives.0.phone": "rep_phone",
}
KIND_WORDS = {
    "企业会员": Member.Kind.ENTERPRISE,
    "企业": Member.Kind.ENTERPRISE,
    "单位会员": Member.Kind.ENTERPRISE,
    "单位": Member.Kind.ENTERPRISE,
    "enterprise": Member.Kind.ENTERPRISE,
    "个人会员": Member.Kind.INDIVIDUAL,
    "个人": Member.Kind.INDIVIDUAL,
    "individual": Member.Kind.INDIVIDUAL,
}
_HEADER_HINT = re.compile(r"[(\[【].*?[)\]】]")
_HEADER_NOISE = re.compile(r"[\s*:：]")

# The template's example row: refused if it is imported by mistake.
EXAMPLE_NAME = "赣州示例稀土新材料有限公司"
EXAMPLE_USCC = "91360731MA35Q8K2E" + uscc_check_char("91360731MA35Q8K2E")


def normalize_header(value: object) -> str:
    """ "统一社会信用代码（必填）", "*名称", "手 机" → comparable keys."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = _HEADER_NOISE.sub("", _HEADER_HINT.sub("", text))
    return to_simplified(text).lower()


@cache
def _header_lookup() -> dict[str, tuple[str, int]]:
    """Normalised header → (field, rank): the template's own header ranks 0, then each
    synonym in its order (the most specific first)."""
    lookup: dict[str, tuple[str, int]] = {}
    for column in COLUMNS:
        for rank, text in enumerate((column.label, *column.synonyms)):
            lookup.setdefault(normalize_header(text), (column.key, rank))
    return lookup


# The two rows of a two-level header are joined as “会员代表/手机”.
HEADER_LEVELS = "/"
# A person's name: the member's own name in a list of individuals that has no name column.
PERSON_NAME_HEADERS = frozenset({"姓名"})


def _header_match(header: str) -> tuple[str, int] | None:
    """The field a header names and how specifically: the header as written; else, for
    “会员代表/手机” (two header rows, or a header naming two things), both parts read as one
    word, then the last part, then the first."""
    lookup = _header_lookup()
    found = lookup.get(normalize_header(header))
    if found is None and HEADER_LEVELS in header:
        parts = [part for part in header.split(HEADER_LEVELS) if part.strip()]
        for variant in ("".join(parts), *parts[::-1]):
            found = lookup.get(normalize_header(variant))
            if found is not None:
                break
    return found


def auto_map(headers: list[str]) -> dict[str, int]:
    """Column index of each field whose header the file uses. A field named by several
    columns takes the most specific header (the template's own, then the synonyms in their
    order), the leftmost among equals; a column feeds one field. A list without a name
    column whose people are listed by 姓名 is a list of individuals: 姓名 is the name."""
    claims = sorted(
        (match[1], index, match[0])
        for index, header in enumerate(headers)
        if (match := _header_match(header)) is not None
    )
    mapping = _assign(claims)
    if "name" not in mapping:
        people = [i for i, h in enumerate(headers) if normalize_header(h) in PERSON_NAME_HEADERS]
        if people:
            mapping = _assign([(-1, people[0], "name"), *claims])
    return mapping


def names_people(layout: "Layout", fields: dict[str, int]) -> bool:
    """Whether the names come from a 姓名 column: a list of individuals, whose rows without a
    member type are individual members (otherwise such a row is an enterprise)."""
    index = fields.get("name")
    header = layout.headers[index] if index is not None and index < len(layout.headers) else ""
    return normalize_header(header) in PERSON_NAME_HEADERS


def _assign(claims: list[tuple[int, int, str]]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for _rank, index, key in claims:
        if key not in mapping and index not in taken:
            mapping[key] = index
            taken.add(index)
    return mapping


# --- Reading files ------------------------------------------------------------------------


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


def _bad(message: str) -> ValidationError:
    return ValidationError(message, code="bad_file")


def _check_zip(fileobj: IO[bytes]) -> None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _bad(_("文件已损坏，无法打开。请在 Excel 中重新保存后再上传")) from exc
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise _bad(_("暂不支持 .xlsb 格式，请在 Excel 中另存为 .xlsx 后再上传"))
        raise _bad(_("这不是 Excel 表格文件。请上传 .xlsx 或 .csv 文件"))
    declared = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or declared > max_unzipped_bytes():
        raise _bad(
            _("文件解压后过大（超过 %(mb)d MB），不像正常的会员名单，请检查文件")
            % {"mb": max_unzipped_bytes() // 2**20}
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise _bad(_("文件已加密，请取消密码保护后再上传"))
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            last_row, last_column = _sheet_extent(archive, entries)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise _bad(_("文件已损坏，无法打开。请在 Excel 中重新保存后再上传")) from exc
    if last_row > 2 * max_rows():
        raise _too_many_rows(max_rows())
    if last_column > MAX_COLUMNS:
        raise _bad(_("表格超过 %(count)d 列，不像会员名单，请检查文件") % {"count": MAX_COLUMNS})


def _check_ole(fileobj: IO[bytes]) -> None:
    """An OLE2 (compound) file: an old Excel workbook (.xls) is read; an Excel file protected
    by a password (an .xlsx inside an encrypted OLE2 container, or a .xls with a FILEPASS
    record) and every other OLE2 file (.doc, .ppt …) are refused, each saying why. The
    sheets' extent is checked as for an xlsx, before the reader loads one as a rectangle."""
    fileobj.seek(0)
    try:
        with olefile.OleFileIO(fileobj.read()) as container:
            if container.exists("EncryptionInfo") or container.exists("EncryptedPackage"):
                raise _bad(_("文件已加密，请取消密码保护后再上传"))
            name = next((n for n in ("Workbook", "Book") if container.exists(n)), None)
            if name is None:
                raise _bad(_("这不是 Excel 表格文件。请上传 .xlsx 或 .csv 文件"))
            last_row, last_column = _xls_extent(container.openstream(name).read())
    except ValidationError:
        raise
    except Exception as exc:  # a broken container, whatever olefile finds wrong with it
        raise _bad(_("文件已损坏，无法打开。请在 Excel 中重新保存后再上传")) from exc
    if last_row > 2 * max_rows():
        raise _too_many_rows(max_rows())
    if last_column > MAX_COLUMNS:
        raise _bad(_("表格超过 %(count)d 列，不像会员名单，请检查文件") % {"count": MAX_COLUMNS})


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
            raise _bad(_("文件已加密，请取消密码保护后再上传"))
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


def _detect_encoding(fileobj: IO[bytes]) -> str:
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
    raise _bad(_("无法识别文件的文字编码。请保存为 UTF-8 或 GBK 编码的 CSV，或直接上传 .xlsx"))


def _sniff_text(fileobj: IO[bytes], encoding: str) -> str:
    """The delimiter of a CSV file; refuses binary content that merely decodes as text."""
    fileobj.seek(0)
    sample = fileobj.read(65536).decode(encoding, errors="ignore").lstrip("\ufeff")
    if CONTROL_CHARS.search(sample):
        raise _bad(_("这不是表格文件。请上传 .xlsx 或 .csv 文件"))
    first_line = sample.split("\n", 1)[0]
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


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
                raise _bad(_("文件已加密，请取消密码保护后再上传")) from exc
            except Exception as exc:
                raise _bad(
                    _("文件已损坏或格式不受支持，无法读取。请在 Excel 中重新保存后再上传")
                ) from exc
        return self._workbook

    def _workbook_rows(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        workbook = self._open()
        try:
            if not workbook.sheet_names:
                raise _bad(_("文件中没有工作表"))
            sheet = workbook.get_sheet_by_index(self.layout.sheet)
            # The sheet's range starts at its first used cell: number rows as Excel does.
            first_row = (sheet.start[0] + 1) if sheet.start else 1
            self.dimension_rows = first_row - 1 + sheet.height
            rows = sheet.iter_rows()
        except ValidationError:
            raise
        except Exception as exc:
            raise _bad(
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
            raise _bad(_("CSV 文件格式有误：%(error)s") % {"error": exc}) from exc
        except Exception as exc:
            raise _bad(_("文件已损坏，读取到一半失败。请在 Excel 中重新保存后再上传")) from exc


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
                raise _too_many_rows(limit)
            continue
        count += 1
        if count > limit:
            raise _too_many_rows(limit)
        yield number, values


def _too_many_rows(limit: int) -> ValidationError:
    message = _("文件超过 %(limit)s 行数据，请拆分成多个文件分批导入（末尾如有大量空行，请先删除）")
    return _bad(message % {"limit": f"{limit:,}"})


def inspect_upload(upload: UploadedFile) -> Layout:
    """Checks an uploaded file before it is stored, finds the worksheet holding the list and
    its header. Raises a ValidationError with a message for the secretariat for anything that
    is not a usable member list: not a spreadsheet, encrypted, too large, corrupt, empty, a
    header only, no header at all. A header without a name column is kept: the secretariat
    says which column holds the names when mapping the columns."""
    size = upload.size or 0
    if size == 0:
        raise _bad(_("文件是空的"))
    if size > settings.UPLOAD_MAX_BYTES:
        raise _bad(_("文件不能超过 %(mb)d MB") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20})
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(XLSX_SIGNATURE):
        _check_zip(upload)
        layout = Layout(file_format="xlsx")
    elif head.startswith(OLE2_SIGNATURE):
        _check_ole(upload)
        layout = Layout(file_format="xls")
    elif head.startswith(BINARY_SIGNATURES):
        raise _bad(_("这不是表格文件。请上传 .xlsx 或 .csv 文件"))
    else:
        upload.seek(0)
        sample = upload.read(65536)
        if not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and (
            CONTROL_BYTES.search(sample)
        ):
            raise _bad(_("这不是表格文件。请上传 .xlsx 或 .csv 文件"))
        encoding = _detect_encoding(upload)
        layout = Layout(file_format="csv", encoding=encoding)
        layout.delimiter = _sniff_text(upload, encoding)
    with SheetReader(upload, layout) as reader:
        below = _find_list(reader, layout)
        if layout.file_format == "csv":  # counting is cheap: the validation need not find out
            layout.estimated_rows = sum(1 for _row in below)
        else:  # the size the sheet declares; without one, the validation stops at the limit
            layout.estimated_rows = max(0, reader.dimension_rows - layout.header_row)
            if layout.estimated_rows > max_rows():
                raise _too_many_rows(max_rows())
    return layout


def _find_list(reader: SheetReader, layout: Layout) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Sets ``layout`` to the worksheet holding the list — the first (visible ones first)
    whose header names a name column and has rows below it; else the first whose header names
    any known column — and returns its data rows. An empty or chart first sheet, a hidden
    one, notes before the list: the list is found all the same."""
    sheets = reader.worksheets()
    if not sheets:
        raise _bad(_("文件中没有工作表"))
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
        raise _bad(_("文件中只有表头，没有会员数据"))
    if "unknown" in found:
        raise _bad(_("找不到“名称”列。请使用导入模板，或确认表头中有“名称”“企业名称”或“单位名称”"))
    raise _bad(_("文件是空的，没有任何内容"))


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
                raise _too_many_rows(max_rows())
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
    if not any(_header_match(text) for _i, text in cells):
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


# --- Cell values --------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """What a cell shows, as trimmed text (whole numbers without “.0”, dates as ISO)."""
    if type(value) is str:  # most cells: the checks below are for the others
        return clean_text(value).replace("\u3000", " ").replace("\xa0", " ").strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if not value.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(str(value)).replace("\u3000", " ").replace("\xa0", " ").strip()


def _code_text(value: object) -> str:
    """Codes, phone numbers, member numbers: full-width digits and letters made plain."""
    text = cell_text(value)
    if text.isascii():  # NFKC leaves ASCII as it is
        return text
    return unicodedata.normalize("NFKC", text).strip()


_DATE_PATTERNS = (
    # A time after the date (“2020-05-01 10:00:00”, as a CSV export writes a date cell) is
    # left out: the day is what counts.
    re.compile(
        r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    ),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?()$"),
    re.compile(r"^(\d{4})年?()()$"),
)


def parse_date(value: object) -> date | None:
    """A date cell, or text such as 2024-03-01, 2024/3/1, 2024年3月1日, 20240301, 2024-03
    (the 1st), 2024 (1 January) or 2024-03-01 10:00:00 (the day). Raises ValueError for
    anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        if 19000101 <= number <= 21001231:
            value = str(number)
        elif 20000 <= number <= 80000:  # an Excel serial day in a cell not formatted as a date
            return from_excel(number).date()
    text = _code_text(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) if part else 1 for part in match.groups())
            return date(year, month, day)
    raise ValueError(text)


@cache
def _region_names() -> dict[str, str]:
    """Full name (江西省赣州市于都县) → code, for sheets that write places out."""
    names: dict[str, str] = {}
    pending = [region.code for region in provinces()]
    while pending:
        code = pending.pop()
        names[region_full_name(code)] = code
        pending.extend(child.code for child in children(code))
    return names


def parse_region(value: object) -> str:
    return _region_of(_code_text(value))


@lru_cache(maxsize=4096)  # a member list holds a few hundred places, each many times
def _region_of(text: str) -> str:
    text = text.replace(" ", "")
    return _region_names().get(text, text)


@cache
def _industry_names() -> dict[str, str]:
    return {industry.name: industry.code for industry in [*sections(), *divisions()]}


def parse_industry(value: object) -> str:
    return _industry_of(_code_text(value))


@lru_cache(maxsize=1024)
def _industry_of(text: str) -> str:
    text = text.upper().replace(" ", "")
    if text.isdigit() and len(text) == 1:
        return "0" + text  # Excel dropped the leading zero of 01–09
    if re.fullmatch(r"[A-T]\d{2}", text):
        return text[1:]  # "C39" → "39"
    return _industry_names().get(text, text)


def parse_kind(value: object) -> str | None:
    return _kind_of(cell_text(value))


@lru_cache(maxsize=256)
def _kind_of(text: str) -> str | None:
    text = to_simplified(text).lower().replace(" ", "")
    if not text:
        return Member.Kind.ENTERPRISE
    return KIND_WORDS.get(text)


def _same_name(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


# --- Validating rows ----------------------------------------------------------------------


@dataclass
class Issue:
    row: int
    column: str  # the header the user sees
    message: str
    level: str = "error"  # or "warning"

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "level": self.level,
        }


@dataclass
class CheckedRow:
    number: int
    values: tuple[object, ...]
    issues: list[Issue] = field(default_factory=list)
    member: dict[str, Any] = field(default_factory=dict)
    person: dict[str, str] | None = None
    # Already an individual member (of the association, or earlier in the file): not imported.
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return not any(issue.level == "error" for issue in self.issues)


def oldest_by_phone(people: Iterable[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    """Each phone's oldest person among ``(phone, pk, …)`` rows — the lowest key, the one
    ``services.person_for`` finds when a member is created — by phone."""
    found: dict[str, tuple[Any, ...]] = {}
    for person in people:
        if person[0] not in found or person[1] < found[person[0]][1]:
            found[person[0]] = person
    return found


class RowChecker:
    """Checks rows one chunk at a time (inside the tenant scope), remembering what earlier rows
    of the file used so that duplicates inside the file are found."""

    def __init__(
        self,
        association: Association,
        layout: Layout,
        fields: dict[str, int],
        levels: dict[str, int],
    ) -> None:
        self.association = association
        self.fields = fields
        self.levels = levels
        self.labels = {
            key: (layout.headers[i] if i < len(layout.headers) else "") or COLUMN_BY_KEY[key].label
            for key, i in fields.items()
        }
        self.seen_uscc: dict[str, int] = {}
        self.seen_no: dict[str, int] = {}
        self.seen_phone: dict[str, tuple[int, str]] = {}
        self.seen_individual: dict[str, tuple[int, str]] = {}  # phone → (row, name)
        self.seen_individual_name: dict[str, int] = {}  # name → row
        self.individual_names: set[str] = set()  # of the association's, for the chunk
        self.today = timezone.localdate()
        self.default_kind = (
            Member.Kind.INDIVIDUAL if names_people(layout, fields) else Member.Kind.ENTERPRISE
        )

    def label(self, key: str) -> str:
        return self.labels.get(key) or COLUMN_BY_KEY[key].label

    def cell(self, values: tuple[object, ...], key: str) -> object:
        index = self.fields.get(key)
        return values[index] if index is not None and index < len(values) else None

    def check_chunk(self, rows: list[tuple[int, tuple[object, ...]]]) -> list[CheckedRow]:
        taken = self._taken_usccs([values for _number, values in rows])
        individuals = self._individuals([values for _number, values in rows])
        checked = [self.check_row(number, values, taken, individuals) for number, values in rows]
        self._against_existing([row for row in checked if not row.skipped])
        return checked

    def _individuals(
        self, rows: list[tuple[object, ...]]
    ) -> dict[str, tuple[int, str, str, str, str]]:
        """The association's individual members with the phones of the chunk's individual
        rows, and (``individual_names``) those of their names: one query each per chunk."""
        phones: set[str] = set()
        names: set[str] = set()
        for values in rows:
            kind_cell = self.cell(values, "kind")
            kind = parse_kind(kind_cell) if kind_cell not in (None, "") else self.default_kind
            phone = _code_text(self.cell(values, "rep_phone"))
            if kind != Member.Kind.INDIVIDUAL:
                continue
            names.add(cell_text(self.cell(values, "name")).strip())
            if phone:
                with contextlib.suppress(ValidationError):
                    phones.add(normalize_mobile(phone))
        self.individual_names = set(
            Member.objects.filter(
                association=self.association, kind=Member.Kind.INDIVIDUAL, name__in=names - {""}
            ).values_list("name", flat=True)
        )
        return individual_members_by_phone(association=self.association, phones=phones)

    def _taken_usccs(self, rows: list[tuple[object, ...]]) -> set[str]:
        """The chunk's credit codes already used in the association: one query per chunk."""
        codes = {normalize_uscc(_code_text(self.cell(values, "uscc"))) for values in rows} - {""}
        return {row[0] for row in rows_by(Member, "uscc", codes, association=self.association)}

    def check_row(
        self,
        number: int,
        values: tuple[object, ...],
        taken_usccs: set[str],
        individuals: dict[str, tuple[int, str, str, str, str]] | None = None,
    ) -> CheckedRow:
        """One row through the import's own checks (cells Excel mangles, levels by name,
        lengths), then ``clean_member_input`` — the rules of the form and the API — then
        duplicates of earlier rows of the file. An individual member who already is one
        (same phone and name, in the association or earlier in the file) is skipped."""
        row = CheckedRow(number, values)
        failed: set[str] = set()

        def fail(key: str, message: str, level: str = "error") -> None:
            row.issues.append(Issue(number, self.label(key), message, level))
            failed.add(key)

        data, level_id = self._read(values, fail)
        if self._skip_individual(row, data, individuals or {}):
            return row
        cleaned: dict[str, object] = {}
        try:
            cleaned = clean_member_input(
                association=self.association,
                data=data,
                taken_usccs=taken_usccs,
                individuals=individuals,
                today=self.today,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                key = SERVICE_FIELDS.get(name, name)
                if key not in failed:  # our own message about that cell says more
                    for message in messages:
                        fail(key if key in COLUMN_BY_KEY else "name", message)
        if data.name == EXAMPLE_NAME and data.uscc == EXAMPLE_USCC:
            fail("name", _("这是模板中的示例行，请删除后再导入"))
        self._inside_file(row, fail, data)
        if row.ok and data.kind == Member.Kind.INDIVIDUAL:
            self._same_name_warning(row, data.name.strip(), fail)
        if row.ok:
            row.member = {
                **{k: v for k, v in cleaned.items() if k != "level"},
                "level_id": level_id,
                "joined_on": data.joined_on.isoformat() if data.joined_on else None,
                "member_no": data.member_no,
            }
            for rep in data.representatives:
                phone = normalize_mobile(rep.phone) if rep.phone else ""
                row.person = {"name": rep.name, "phone": phone, "title": rep.title}
        return row

    def _skip_individual(
        self,
        row: CheckedRow,
        data: MemberInput,
        individuals: dict[str, tuple[int, str, str, str, str]],
    ) -> bool:
        """Whether the row is an individual member who already is one — the same phone and
        name as an individual member of the association or of an earlier row: then it is
        skipped (a warning saying so), never imported a second time. The same phone under
        another name is left to ``clean_member_input`` (an error)."""
        if data.kind != Member.Kind.INDIVIDUAL or not data.representatives:
            return False
        rep = data.representatives[0]
        try:
            phone = normalize_mobile(rep.phone)
        except ValidationError:
            return False
        holder = individuals.get(phone)
        if holder is not None and _same_name(holder[4], rep.name):
            message = _(
                "已是本会个人会员“%(name)s”（会员编号 %(member_no)s），将跳过，不会重复导入"
            )
            message %= {"name": holder[1], "member_no": holder[2]}
        else:
            first_row, first_name = self.seen_individual.setdefault(phone, (row.number, rep.name))
            if first_row == row.number or not _same_name(first_name, rep.name):
                return False
            message = _("与第 %(row)d 行是同一位个人会员，将跳过，不会重复导入") % {
                "row": first_row
            }
        row.issues = [Issue(row.number, self.label("name"), message, "warning")]
        row.skipped = True
        return True

    def _same_name_warning(self, row: CheckedRow, name: str, fail: Any) -> None:
        """An individual member of the same name but not the same person (another phone, or
        none): imported as another person, with a warning to check."""
        first = self.seen_individual_name.setdefault(name, row.number)
        if name in self.individual_names:
            message = _("本会已有同名个人会员“%(name)s”，手机号不同，将作为另一人导入，请核对")
            fail("name", message % {"name": name}, "warning")
        elif first != row.number:
            message = _("与第 %(row)d 行姓名相同，手机号不同，将作为另一人导入，请核对")
            fail("name", message % {"row": first}, "warning")

    def _read(self, values: tuple[object, ...], fail: Any) -> tuple[MemberInput, int | None]:
        """The row as the services' input, reporting what the cells themselves get wrong."""
        width = len(values)
        cells = {
            key: values[index] if (index := self.fields.get(key, width)) < width else None
            for key in COLUMN_KEYS
        }
        text = {key: cell_text(cells[key]) for key in TEXT_KEYS}
        for key in ONE_LINE_KEYS:  # a line break typed in a cell (Alt+Enter) is a space
            if "\n" in text[key]:
                text[key] = _LINE_BREAK.sub(" ", text[key])
        kind = parse_kind(cells["kind"]) if cells["kind"] not in (None, "") else self.default_kind
        if kind is None:
            fail("kind", _("会员类型应为“企业会员”或“个人会员”"))
        uscc = _code_text(cells["uscc"])
        if isinstance(cells["uscc"], int | float) or (
            ("E+" in uscc or "e+" in uscc) and _EXPONENT.match(uscc)  # a CSV of such a cell
        ):
            uscc = ""
            message = _(
                "统一社会信用代码被 Excel 存成了数字，末尾几位已丢失，请将该列设为文本后重新填写"
            )
            fail("uscc", message)
        try:
            joined_on = parse_date(cells["joined_on"])
        except (ValueError, OverflowError):
            joined_on = None
            fail("joined_on", _("入会日期无法识别，请写成 2024-03-01 的形式"))
        level_id = self.levels.get(text["level"]) if text["level"] else None
        if text["level"] and level_id is None:
            fail("level", _("会员级别“%(name)s”不存在或已停用") % {"name": text["level"]})
        member_no = _code_text(cells["member_no"])
        rep_name, rep_phone = text["rep_name"], _code_text(cells["rep_phone"])
        if kind == Member.Kind.INDIVIDUAL and rep_phone and not rep_name:
            rep_name = text["name"]  # an individual member represents themself
        for key, value, limit in (
            ("name", text["name"], 100),
            ("member_no", member_no, 30),
            ("rep_name", rep_name, 50),
            ("rep_title", text["rep_title"], 50),
        ):
            if len(value) > limit:  # the form's limits, which clean_member_input leaves to it
                fail(key, _("不能超过 %(limit)d 个字") % {"limit": limit})
        reps = [RepresentativeInput(name=rep_name, phone=rep_phone, title=text["rep_title"])]
        data = MemberInput(
            kind=kind or "",
            name=text["name"],
            uscc=uscc,
            legal_representative=text["legal_representative"],
            industry_code=parse_industry(cells["industry_code"]),
            region_code=parse_region(cells["region_code"]),
            address=text["address"],
            hometown_code=parse_region(cells["hometown_code"]),
            introduction=text["introduction"],
            joined_on=joined_on,
            member_no=member_no,
            representatives=reps if rep_name or rep_phone else [],
        )
        return data, level_id

    def _inside_file(self, row: CheckedRow, fail: Any, data: MemberInput) -> None:
        """Duplicates of earlier rows: the same credit code or member number is an error; the
        same phone is the same person (a warning) unless the names differ (an error)."""
        if is_valid_uscc(data.uscc):
            code = normalize_uscc(data.uscc)
            first = self.seen_uscc.setdefault(code, row.number)
            if first != row.number:
                fail("uscc", _("与第 %(row)d 行的统一社会信用代码重复") % {"row": first})
        if data.member_no:
            first = self.seen_no.setdefault(data.member_no, row.number)
            if first != row.number:
                fail("member_no", _("与第 %(row)d 行的会员编号重复") % {"row": first})
        for rep in data.representatives:
            try:
                phone = normalize_mobile(rep.phone)
            except ValidationError:
                continue  # reported by clean_member_input, if given at all
            first_row, first_name = self.seen_phone.setdefault(phone, (row.number, rep.name))
            if first_row == row.number:
                continue
            if _same_name(first_name, rep.name):
                message = _("与第 %(row)d 行是同一位代表（手机号相同），导入后关联为同一人")
                fail("rep_phone", message % {"row": first_row}, "warning")
            else:
                message = _("与第 %(row)d 行的手机号相同，但姓名不同（%(name)s）")
                fail("rep_phone", message % {"row": first_row, "name": first_name})

    def _against_existing(self, rows: list[CheckedRow]) -> None:
        """Phones and member numbers already in use in the association: one query each per
        chunk. (Credit codes are checked by clean_member_input itself.)"""
        phones = {r.person["phone"] for r in rows if r.person and r.person["phone"]}
        people = rows_by(Person, "phone", phones, ("pk", "name"), association=self.association)
        known = {phone: name for phone, _pk, name in oldest_by_phone(people).values()}
        numbers = {str(r.member["member_no"]) for r in rows if r.member.get("member_no")}
        taken = {
            row[0] for row in rows_by(Member, "member_no", numbers, association=self.association)
        }
        for row in rows:
            if row.member.get("member_no") in taken:
                message = _("会员编号已被本会其他会员使用")
                row.issues.append(Issue(row.number, self.label("member_no"), message))
            if row.person and row.person["phone"] in known:
                name, label = known[row.person["phone"]], self.label("rep_phone")
                if _same_name(name, row.person["name"]):
                    message = _("该手机号已登记为本会联系人“%(name)s”，导入后关联为同一人")
                    row.issues.append(Issue(row.number, label, message % {"name": name}, "warning"))
                else:
                    message = _("该手机号已登记为“%(name)s”，与本行的会员代表姓名不一致")
                    row.issues.append(Issue(row.number, label, message % {"name": name}))
            if not row.ok:
                row.member, row.person = {}, None


# --- The error report and the staged rows -------------------------------------------------

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
    with member_import.source_file.open("rb") as source, SheetReader(source, layout) as reader:
        for number, values in data_rows(reader.rows(), layout.header_row):
            report.add(values, notes.get(number))
    return report.content()


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

    def save(self, member_import: MemberImport) -> str:
        self.file.seek(0)
        storage = member_import.source_file.storage
        return storage.save(f"member-imports/staged/{uuid.uuid4().hex}.jsonl", File(self.file))

    def close(self) -> None:
        self.file.close()


def read_staged(member_import: MemberImport, size: int) -> Iterator[list[dict[str, Any]]]:
    """The staged rows in batches of ``size``."""
    name = str(member_import.column_mapping.get("staged") or "")
    if not name:
        raise ValidationError(_("校验结果已失效，请重新校验"))
    with member_import.source_file.storage.open(name, "rb") as staged:
        rows = (row for line in staged if line.strip() for row in json.loads(line))
        while batch := list(islice(rows, size)):
            yield batch


def _drop_staged(member_import: MemberImport) -> None:
    name = str(member_import.column_mapping.get("staged") or "")
    if name:
        member_import.source_file.storage.delete(name)


# --- Services -----------------------------------------------------------------------------


def access_member_import(*, association: Association, import_id: int) -> MemberImport:
    """One import of ``association`` — visible to everyone who manages its members (callers
    check ``Perm.MANAGE_MEMBERS``); the same 404 for a missing id and another association's."""
    return access_member_import_job(association=association, import_id=import_id)[0]


def access_member_import_job(
    *, association: Association, import_id: int
) -> tuple[MemberImport, Job | None]:
    """``access_member_import`` with the import's last job (validation or commit), for the
    pages that show it. A job whose worker died is given up first (``job_check_stalled``),
    and an import still validating or importing under it fails with it (``_settle``)."""
    member_import = MemberImport.objects.filter(association=association, pk=import_id).first()
    if member_import is None:
        raise Http404
    return member_import, _settle(member_import)


def member_imports(*, association: Association) -> QuerySet[MemberImport]:
    """The association's imports, newest first; one still validating or importing whose job
    has ended without saying so is marked failed first (see ``_settle``)."""
    found = MemberImport.objects.filter(association=association)
    for member_import in found.filter(status__in=RUNNING_STATUSES):
        _settle(member_import)
    return found


def _settle(member_import: MemberImport) -> Job | None:
    """The job of an import that has one at work — validating, importing, or done and writing
    its search index — as it stands (None otherwise). An import still validating or importing
    whose job has ended without saying so — its worker died — failed: nothing was imported
    (the commit is one transaction) and the user can validate again."""
    if member_import.status not in (*RUNNING_STATUSES, MemberImport.Status.DONE):
        return None
    job = None
    if member_import.job_id is not None:
        jobs = Job.objects.filter(association=member_import.association_id)
        job = jobs.filter(pk=member_import.job_id).first()
    if job is not None:
        job = job_check_stalled(job)
    if member_import.status not in RUNNING_STATUSES or (
        job is not None and job.status in UNFINISHED
    ):
        return job
    message = job.message if job is not None and job.message else stalled_message()
    MemberImport.objects.filter(
        pk=member_import.pk, job_id=member_import.job_id, status=member_import.status
    ).update(status=MemberImport.Status.FAILED, message=message[:500], finished_at=timezone.now())
    member_import.refresh_from_db()
    return job


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


@transaction.atomic
def member_import_create(
    *, association: Association, actor: User, upload: UploadedFile
) -> MemberImport:
    """Stores an uploaded member list after checking it (``inspect_upload``) and maps its
    columns by their headers. Nothing is stored for a refused file."""
    layout = inspect_upload(upload)
    member_import = MemberImport(
        association=association,
        owner=actor,
        original_name=(upload.name or "members")[:200],
        total_rows=layout.estimated_rows,
        column_mapping={
            "format": layout.file_format,
            "encoding": layout.encoding,
            "delimiter": layout.delimiter,
            "header_row": layout.header_row,
            "headers": layout.headers,
            "estimated_rows": layout.estimated_rows,
            "sheet": layout.sheet,
            "sheet_name": layout.sheet_name,
            "header_rows": layout.header_rows,
            "fields": auto_map(layout.headers),
        },
    )
    upload.seek(0)
    # Our own name: the user's file name never becomes a storage path.
    member_import.source_file.save(f"{uuid.uuid4().hex}.{layout.file_format}", upload, save=False)
    member_import.save()
    audit(
        actor=actor,
        action="member_import.upload",
        association=association,
        target=member_import,
        summary=member_import.original_name,
    )
    return member_import


EDITABLE = (MemberImport.Status.UPLOADED, MemberImport.Status.VALIDATED, MemberImport.Status.FAILED)
RUNNING_STATUSES = (MemberImport.Status.VALIDATING, MemberImport.Status.IMPORTING)


@transaction.atomic
def member_import_set_mapping(
    *,
    association: Association,
    actor: User,
    member_import: MemberImport,
    mapping: dict[str, int | None],
) -> MemberImport:
    """Sets which column feeds which field (column indexes from 0; None leaves a field out).
    Any earlier validation result no longer holds."""
    layout = layout_of(member_import)
    fields: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for key, index in mapping.items():
        if key not in COLUMN_BY_KEY:
            errors.setdefault(key, []).append(_("没有这个字段"))
        elif index is not None:
            if not 0 <= index < len(layout.headers):
                errors.setdefault(key, []).append(_("文件中没有这一列"))
            elif index in fields.values():
                errors.setdefault(key, []).append(_("同一列不能对应两个字段"))
            else:
                fields[key] = index
    if "name" not in fields:
        errors.setdefault("name", []).append(_("请指定“名称”对应的列"))
    if errors:
        raise ValidationError(errors)
    updated = MemberImport.objects.filter(pk=member_import.pk, status__in=EDITABLE).update(
        column_mapping={**member_import.column_mapping, "fields": fields, "staged": ""},
        status=MemberImport.Status.UPLOADED,
        valid_rows=0,
        error_rows=0,
        errors=[],
        message="",
    )
    if not updated:
        raise ValidationError(_("该导入正在处理或已完成，不能再修改对应关系"))
    _drop_staged(member_import)
    audit(
        actor=actor, action="member_import.mapping", association=association, target=member_import
    )
    member_import.refresh_from_db()
    return member_import


@transaction.atomic
def member_import_validate(
    *, association: Association, actor: User, member_import: MemberImport
) -> Job:
    """Starts validating every row as a background job (see ``validate_rows``)."""
    from shanghui.members.import_tasks import validate_member_import

    if "name" not in fields_of(member_import):
        raise ValidationError(_("请先指定“名称”对应的列"))
    return _start(
        association=association,
        actor=actor,
        member_import=member_import,
        allowed=EDITABLE,
        status=MemberImport.Status.VALIDATING,
        label=_("校验会员名单：%(name)s"),
        task=validate_member_import,
    )


@transaction.atomic
def member_import_commit(
    *, association: Association, actor: User, member_import: MemberImport
) -> Job:
    """Starts the import of a validated file without errors as a background job (see
    ``commit_rows``); refused while any row has an error, saying why for each state. A commit
    that failed — its worker lost, or refused by the database — imported nothing and starts
    again as it was (重新开始, ``commit_interrupted``)."""
    from shanghui.members.import_tasks import commit_member_import

    # Locked: the state checked is the state claimed (a second click, a validation started).
    locked = MemberImport.objects.select_for_update().get(
        association=association, pk=member_import.pk
    )
    status = locked.status
    if status != MemberImport.Status.VALIDATED and not commit_interrupted(locked):
        raise ValidationError(_not_committable(locked))
    if locked.error_rows:
        raise ValidationError(
            _("还有 %(count)d 行有错误，请修改后重新上传") % {"count": locked.error_rows}
        )
    return _start(
        association=association,
        actor=actor,
        member_import=member_import,
        allowed=(status,),
        status=MemberImport.Status.IMPORTING,
        label=_("导入会员名单：%(name)s"),
        task=commit_member_import,
    )


def commit_interrupted(member_import: MemberImport) -> bool:
    """Whether the import's last job was a commit that failed — rolled back, nothing imported —
    on rows still validated and staged: it may start again as it was (重新开始)."""
    if (
        member_import.status != MemberImport.Status.FAILED
        or member_import.error_rows
        or not member_import.column_mapping.get("staged")
        or member_import.job_id is None
    ):
        return False
    return Job.objects.filter(
        association=member_import.association_id,
        pk=member_import.job_id,
        kind=f"members.import.{MemberImport.Status.IMPORTING}",
    ).exists()


def _not_committable(member_import: MemberImport) -> str:
    """Why the import cannot be committed now, as its state says."""
    status = member_import.status
    if status == MemberImport.Status.VALIDATING:
        return _("该文件正在校验，请等校验完成后再导入")
    if status == MemberImport.Status.IMPORTING:
        return _("该文件正在导入，请稍候查看结果")
    if status == MemberImport.Status.DONE:
        return _("该文件已经导入")
    if status == MemberImport.Status.FAILED:
        return _("上次校验未能完成，请重新校验后再导入")
    return _("请先完成校验")


def _start(
    *,
    association: Association,
    actor: User,
    member_import: MemberImport,
    allowed: tuple[str, ...],
    status: str,
    label: str,
    task: Any,
) -> Job:
    # A conditional UPDATE claims the import: two clicks never start two jobs.
    claimed = MemberImport.objects.filter(
        pk=member_import.pk, association=association, status__in=allowed
    )
    if status == MemberImport.Status.IMPORTING:
        claimed = claimed.filter(error_rows=0)
    if not claimed.update(status=status, message=""):
        raise ValidationError(_("该导入正在处理或已完成"))
    job = job_start(
        association=association,
        actor=actor,
        kind=f"members.import.{status}",
        label=(label % {"name": member_import.original_name})[:200],
        task=task,
        import_id=member_import.pk,
    )
    MemberImport.objects.filter(pk=member_import.pk).update(job_id=job.pk)
    member_import.refresh_from_db()
    return job


# --- The validation job -------------------------------------------------------------------


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
        with member_import.source_file.open("rb") as source, SheetReader(source, layout) as reader:
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
            raise _bad(_("文件中只有表头，没有会员数据"))
        staged_name = "" if errors else staged.save(member_import)
    finally:
        staged.close()
    report = error_report(member_import, layout, notes) if notes else b""
    with tenant_context(association):
        counts = (total, errors, warnings, skipped)
        _validated(member_import, job, counts, shown, staged_name, report)


def _validated(
    member_import: MemberImport,
    job: Job,
    counts: tuple[int, int, int, int],
    shown: list[dict[str, object]],
    staged_name: str,
    report: bytes,
) -> None:
    """Records the validation's outcome — unless the import has moved on without this job
    (given up as stalled and started again): then its files are dropped, nothing changes and
    ``ImportSuperseded`` is raised."""
    total, errors, warnings, skipped = counts
    storage = member_import.source_file.storage
    report_name = ""
    if report:
        field = member_import.error_report.field
        name = field.generate_filename(member_import, f"{uuid.uuid4().hex}-errors.xlsx")
        report_name = storage.save(name, ContentFile(report))
    message = _("共 %(total)d 行：%(valid)d 行可导入，%(errors)d 行有错误，%(warnings)d 条提示") % {
        "total": total,
        "valid": total - errors - skipped,
        "errors": errors,
        "warnings": warnings,
    }
    if skipped:
        message += _("；%(skipped)d 行已是本会个人会员，将跳过") % {"skipped": skipped}
    recorded = _own(member_import, job, MemberImport.Status.VALIDATING).update(
        total_rows=total,
        error_rows=errors,
        valid_rows=total - errors - skipped,
        errors=shown,
        column_mapping={**member_import.column_mapping, "staged": staged_name},
        status=MemberImport.Status.VALIDATED,
        message=message,
        error_report=report_name,
    )
    # The files the import no longer names: the earlier validation's when this one is recorded,
    # this one's when it is not.
    dropped = (
        [
            str(member_import.column_mapping.get("staged") or ""),
            member_import.error_report.name or "",
        ]
        if recorded
        else [staged_name, report_name]
    )
    for name in dropped:
        if name:
            with contextlib.suppress(OSError):
                storage.delete(name)
    if not recorded:
        raise ImportSuperseded
    member_import.refresh_from_db()


class ImportSuperseded(Exception):
    """The import has moved on without this job — given up as stalled and started again:
    what the job did is dropped (a commit rolls back), and the job is left as it was."""


def _own(member_import: MemberImport, job: Job, status: str) -> QuerySet[MemberImport]:
    """The import, as long as it is in ``status`` for ``job``: a job given up as stalled
    (``job_check_stalled``) and still running somewhere must not overwrite what came after."""
    return MemberImport.objects.filter(pk=member_import.pk, job_id=job.pk, status=status)


# --- The commit job -----------------------------------------------------------------------


class ImportConflict(ValidationError):
    pass


@dataclass(frozen=True)
class Committed:
    """What a commit wrote: the members and the new people. Where their keys start is kept
    on the import (``keys_after``)."""

    members: int
    people: int


def commit_rows(*, member_import: MemberImport, job: Job) -> Committed:
    """Creates every staged member in one transaction: members, people, representatives and a
    first status step (reason 导入), numbering members the file leaves unnumbered by the
    association's pattern. Anything that fails rolls all of it back (the caller records why).
    Streams the staged rows in batches."""
    association = member_import.association
    with tenant_context(association):
        job_progress(job, done=0, total=member_import.valid_rows)
    try:
        with tenant_context(association), transaction.atomic(), large_writes():
            writer = _Writer(association, actor=job.owner, capacity=member_import.valid_rows)
            with pipelined():
                # The numbers the file gives first, so that a generated number never takes
                # one; the file is read a second time only when some row leaves the number
                # to the pattern.
                unnumbered = 0
                for batch in read_staged(member_import, COMMIT_BATCH):
                    rows = [r for r in batch if r["member"]["member_no"]]
                    unnumbered += len(batch) - len(rows)
                    if rows:
                        writer.write(rows)
                if unnumbered:
                    for batch in read_staged(member_import, COMMIT_BATCH):
                        rows = [r for r in batch if not r["member"]["member_no"]]
                        if rows:
                            writer.write(rows)
            message = _("已导入 %(count)d 位会员") % {"count": writer.created}
            if not _own(member_import, job, MemberImport.Status.IMPORTING).update(
                status=MemberImport.Status.DONE,
                created_count=writer.created,
                finished_at=timezone.now(),
                message=message,
                # Where the search index of its rows starts (``import_backlog``).
                column_mapping={**member_import.column_mapping, "keys_after": writer.keys_after},
            ):
                raise ImportSuperseded  # rolls the members back
            member_import.refresh_from_db()
            # With the members: should the job stop while indexing, this is what it says.
            job_progress(
                job,
                done=writer.created,
                total=writer.created,
                message=_("已导入 %(count)d 位会员，正在建立搜索索引") % {"count": writer.created},
            )
            audit(
                actor=job.owner,
                action="member_import.commit",
                association=association,
                target=member_import,
                summary=member_import.message,
                data={"created": writer.created},
            )
    except IntegrityError:
        # Credit codes and member numbers taken since validation (another clerk, another
        # import): the database refused them; say which rows, not a bare constraint error.
        with tenant_context(association):
            _check_still_free(association, member_import)
        raise
    with contextlib.suppress(OSError):  # a leftover staging file is harmless
        _drop_staged(member_import)
    return Committed(members=writer.created, people=writer.people_created)


def _keys_after(member_import: MemberImport) -> dict[type[Model], int]:
    after = member_import.column_mapping.get("keys_after") or {}
    return {Member: int(after.get("member", 0)), Person: int(after.get("person", 0))}


def import_backlog(member_import: MemberImport) -> int:
    """How many of the members and people a done import wrote (or added after them) still
    wait for their search tokens. Callers hold the tenant scope."""
    return search_index_backlog(
        association=member_import.association, after=_keys_after(member_import)
    )


def index_rows(*, member_import: MemberImport, job: Job, committed: Committed) -> None:
    """After the commit: the search tokens of the members and people it created (and of any
    row of the association added after them still without tokens; older ones are left to
    the daily run), in short transactions; the job's progress bar counts them."""
    total = committed.members + committed.people
    job_progress(job, done=0, total=total)
    # Outside any transaction: each chunk of the index commits on its own, and so does each
    # progress update.
    search_index_pending(
        association=member_import.association,
        progress=lambda done: job_progress(job, done=done, total=max(done, total)),
        after=_keys_after(member_import),
    )


class _Writer:
    """Writes staged rows batch by batch inside the commit's transaction, remembering the
    people it has met (by phone) so that one person represents all their members. The keys
    of new members and people are reserved up front (``next_ids``): nothing written is read
    back, and on PostgreSQL the writes of one batch go on while the next is prepared."""

    def __init__(self, association: Association, *, actor: User, capacity: int) -> None:
        self.association = association
        self.actor = actor
        self.today = timezone.localdate()
        self.people: dict[str, int] = {}  # phone → Person id
        self.created = self.people_created = 0
        # One member and at most one new person per staged row.
        member_ids, person_ids = next_ids(Member, capacity), next_ids(Person, capacity)
        # Every row written takes one of these keys: none lies below the first.
        self.keys_after = {
            "member": min(member_ids, default=1) - 1,
            "person": min(person_ids, default=1) - 1,
        }
        self.member_ids, self.person_ids = iter(member_ids), iter(person_ids)

    def write(self, rows: list[dict[str, Any]]) -> None:
        # Everything that needs no answer from the database first: on PostgreSQL the server
        # is still writing the batch before meanwhile.
        members = [self._member(row) for row in rows]
        persons = [_person_values(row["person"]) if row["person"] else None for row in rows]
        unnumbered = [member for member in members if not member["member_no"]]
        numbers = member_nos_next(
            association=self.association,
            joined_on=[member["joined_on"] for member in unnumbered],
        )
        for member, number in zip(unnumbered, numbers, strict=True):
            member["member_no"] = number
        people, links = self._people(rows, members, persons)  # waits for the database
        insert_rows(Member, members, association=self.association)
        insert_rows(Person, people, association=self.association)
        insert_rows(Representative, links, association=self.association)
        reason = _("导入")
        insert_rows(
            MemberStatusChange,
            (
                {
                    "member_id": member["id"],
                    "from_status": "",
                    "to_status": member["status"],
                    "reason": reason,
                    "effective_on": member["joined_on"],
                    "actor_id": self.actor.pk,
                }
                for member in members
            ),
            association=self.association,
        )
        self.created += len(members)
        self.people_created += len(people)

    def _member(self, row: dict[str, Any]) -> dict[str, Any]:
        """The member's column values (``insert_rows`` fills the defaults)."""
        data = dict(row["member"])
        raw_joined = data.pop("joined_on")
        joined = date.fromisoformat(raw_joined) if raw_joined else None
        # Computed here rather than at validation: on PostgreSQL the pinyin of one batch is
        # worked out while the server writes the one before.
        search_text, sort_key = member_search_fields(
            data["name"], data["uscc"], person=data["kind"] == Member.Kind.INDIVIDUAL
        )
        return {
            **data,
            "id": next(self.member_ids),
            "status": Member.Status.ACTIVE,
            "joined_on": joined or self.today,
            "search_text": search_text,
            "sort_key": sort_key,
        }

    def _people(
        self,
        rows: list[dict[str, Any]],
        members: list[dict[str, Any]],
        persons: list[dict[str, str] | None],
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The batch's new people and its representatives (``persons``: each row's person's
        column values): a phone already in the association (or earlier in the file) is that
        person; a person without a phone is one of a kind."""
        phones = {r["person"]["phone"] for r in rows if r["person"] and r["person"]["phone"]}
        unknown = phones - self.people.keys()
        known = rows_by(Person, "phone", unknown, ("pk",), association=self.association)
        self.people.update((phone, pk) for phone, pk in oldest_by_phone(known).values())
        people: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for member, row, values in zip(members, rows, persons, strict=True):
            data = row["person"]
            if not data or values is None:
                continue
            person_id = self.people.get(data["phone"]) if data["phone"] else None
            if person_id is None:
                person_id = next(self.person_ids)
                people.append({"id": person_id, **values})
                if data["phone"]:
                    self.people[data["phone"]] = person_id
            links.append(
                {"member_id": member["id"], "person_id": person_id, "title": data["title"]}
            )
        return people, links


def _person_values(data: dict[str, str]) -> dict[str, str]:
    search_text, sort_key = person_search_fields(data["name"])
    return {
        "name": data["name"],
        "phone": data["phone"],
        "search_text": search_text,
        "sort_key": sort_key,
    }


def _check_still_free(association: Association, member_import: MemberImport) -> None:
    """Raises an ``ImportConflict`` naming the staged rows whose credit code or member number
    is taken in the association."""
    codes: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for batch in read_staged(member_import, COMMIT_BATCH):
        codes.update((r["member"]["uscc"], r["row"]) for r in batch if r["member"]["uscc"])
        numbers.update(
            (r["member"]["member_no"], r["row"]) for r in batch if r["member"]["member_no"]
        )
    clashes = [
        (codes[uscc], _("第 %(row)d 行的统一社会信用代码已被会员“%(name)s”使用"), name)
        for uscc, name in rows_by(Member, "uscc", codes, ("name",), association=association)
    ]
    clashes += [
        (numbers[number], _("第 %(row)d 行的会员编号已被使用"), "")
        for (number,) in rows_by(Member, "member_no", numbers, association=association)
    ]
    if clashes:
        clashes.sort()
        messages = [message % {"row": row, "name": name} for row, message, name in clashes]
        shown = "；".join(messages[:5]) + ("……" if len(messages) > 5 else "")
        raise ImportConflict(_("校验之后本会会员已有变化：%(clashes)s") % {"clashes": shown})


def commit_failure_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        detail = "；".join(exc.messages)
    elif isinstance(exc, DatabaseError):
        detail = _("数据在校验之后发生了变化（例如会员级别被删除，或信用代码、会员编号被占用）")
    else:
        detail = str(exc) or exc.__class__.__name__
    return _("导入失败，已全部撤销，没有导入任何会员。%(detail)s。请重新校验后再导入") % {
        "detail": detail.rstrip("。")
    }


# --- The template -------------------------------------------------------------------------


def template_workbook(association: Association) -> bytes:
    """The import template: the columns in Chinese with an example row (refused if imported
    by mistake), and a sheet explaining each column with this association's levels. Every
    cell is neutralised against formulas: a level named "=HYPERLINK(…)" stays text."""
    levels = list(
        Level.objects.filter(association=association, is_active=True).values_list("name", flat=True)
    )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("会员")
    sheet.append([safe_cell(c.label) for c in COLUMNS])
    example = {
        "kind": _("企业会员"),
        "name": EXAMPLE_NAME,
        "uscc": EXAMPLE_USCC,
        "legal_representative": "龚志军",
        "industry_code": "32",
        "region_code": "360731",
        "address": "江西省赣州市于都县工业园区示例路 1 号",
        "hometown_code": "360731",
        "level": levels[-1] if levels else "",
        "joined_on": date(2024, 3, 1),
        "member_no": "",
        "rep_name": "龚志军",
        "rep_title": "董事长",
        "rep_phone": "13912345678",
        "introduction": _("示例行：填写前请删除此行"),
    }
    sheet.append([safe_cell(example[c.key]) for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True, color="FFB91C1C" if column.key in REQUIRED_KEYS else None)
        header.fill = PatternFill("solid", fgColor="FFEFF3F8")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.label) * 2 + 4)
        if column.text:  # Excel keeps codes and phone numbers as typed, leading zeros too
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
    sheet.cell(row=2, column=COLUMN_KEYS.index("joined_on") + 1).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("填写说明"))
    rows: list[list[object]] = [[_("列名"), _("说明"), _("可识别的其他表头")]]
    rows += [[column.label, column.hint, "、".join(column.synonyms)] for column in COLUMNS]
    rows.append([])
    rows.append([_("本会会员级别"), "、".join(levels) or _("（尚未设置）")])
    rows.append(
        [
            _("说明"),
            _(
                "第一个工作表为会员名单，表头在第一行（上方可有标题行）；每行一位会员；"
                "最多 100,000 行。"
            ),
        ]
    )
    for row in rows:
        notes.append([safe_cell(value) for value in row])
    for letter, width in (("A", 16), ("B", 56), ("C", 60)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
