"""What a file of the document library (资料库) may be: the types Chinese secretariats store,
each recognised by its content, not only its name.

``document_check`` is the one check every upload to the library passes: the extension is one
we keep, the bytes are what the extension says (an OOXML file is a zip with its content types
and the right main part, an old Office file an OLE2 compound file with the right stream …),
never a program, never empty, and no zip bomb. ``document_head_check`` is the part that the
first few KB decide, for a chunked upload to be refused at its first chunk.

Kingsoft WPS Office files (.wps/.et/.dps) are kept as they are: an OLE2 compound file (the
classic format, close to Word/Excel/PowerPoint 97) or a zip with ``[Content_Types].xml``
(newer versions), checked as such. Their inner streams are not checked and they are not
previewed: we have no real Kingsoft files to test against.
"""

import codecs
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import olefile
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shanghui.core.uploads import (
    ZIP_MAX_ENTRIES,
    ZIP_MAX_UNZIPPED_BYTES,
    ZipRefused,
    zip_entries,
    zip_inflate,
    zip_limits,
)

HEAD_BYTES = 8192
TEXT_SAMPLE_BYTES = 65536
# A plain .zip is stored, never inflated by us: it may declare more than an Office file
# (a folder of photos), but not more than this many times its own size — a zip bomb does.
ZIP_MAX_RATIO = 100

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a zip, and an empty one
EXECUTABLE_HEADS = (b"MZ", b"\x7fELF")  # Windows PE/DOS, and Linux/Android ELF
EXECUTABLE_EXTENSIONS = frozenset(
    [
        ".exe",
        ".com",
        ".bat",
        ".cmd",
        ".js",
        ".jse",
        ".vbs",
        ".vbe",
        ".wsf",
        ".scr",
        ".msi",
        ".msp",
        ".ps1",
        ".sh",
        ".apk",
        ".jar",
        ".dll",
        ".lnk",
        ".hta",
        ".cpl",
        ".reg",
    ]
)


@dataclass(frozen=True)
class DocumentKind:
    """A kind of file the library keeps. ``preview`` says how it is previewed: ``image`` (a
    re-encoded picture), ``pdf`` (itself, inline), ``office`` (converted to PDF by
    LibreOffice), or "" (not previewed: downloaded)."""

    key: str
    label: str
    content_type: str
    preview: str = ""


KINDS: dict[str, DocumentKind] = {
    kind.key: kind
    for kind in (
        DocumentKind("pdf", "PDF", "application/pdf", "pdf"),
        DocumentKind("jpg", "JPG 图片", "image/jpeg", "image"),
        DocumentKind("png", "PNG 图片", "image/png", "image"),
        DocumentKind("gif", "GIF 图片", "image/gif", "image"),
        DocumentKind("webp", "WebP 图片", "image/webp", "image"),
        DocumentKind(
            "docx",
            "Word 文档",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "office",
        ),
        DocumentKind(
            "xlsx",
            "Excel 表格",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "office",
        ),
        DocumentKind(
            "pptx",
            "PowerPoint 演示文稿",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "office",
        ),
        DocumentKind("doc", "Word 97-2003 文档", "application/msword", "office"),
        DocumentKind("xls", "Excel 97-2003 表格", "application/vnd.ms-excel", "office"),
        DocumentKind(
            "ppt", "PowerPoint 97-2003 演示文稿", "application/vnd.ms-powerpoint", "office"
        ),
        DocumentKind("wps", "WPS 文字", "application/vnd.ms-works"),
        DocumentKind("et", "WPS 表格", "application/vnd.ms-excel"),
        DocumentKind("dps", "WPS 演示", "application/vnd.ms-powerpoint"),
        DocumentKind("txt", "文本文件", "text/plain; charset=utf-8"),
        DocumentKind("csv", "CSV 表格", "text/csv; charset=utf-8"),
        DocumentKind("zip", "ZIP 压缩包", "application/zip"),
        DocumentKind("mp4", "MP4 视频", "video/mp4"),
    )
}
EXTENSIONS = {f".{key}": kind for key, kind in KINDS.items()} | {".jpeg": KINDS["jpg"]}
# The main part each OOXML kind must have, and the stream each old Office kind must have.
OOXML_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
OLE2_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
    "ppt": ("PowerPoint Document",),
}
OOXML_KINDS = frozenset(OOXML_MAIN_PARTS)
KINGSOFT_KINDS = frozenset({"wps", "et", "dps"})
SUPPORTED_LABEL = (
    "PDF、图片（JPG、PNG、GIF、WebP）、Word、Excel、PowerPoint、WPS、TXT、CSV、ZIP、MP4"
)


@dataclass(frozen=True)
class CheckedDocument:
    """A file that passed ``document_check``: its kind, and whether it is encrypted (an
    Office file protected by a password is kept, but cannot be previewed)."""

    kind: DocumentKind
    encrypted: bool = False

    @property
    def previewable(self) -> bool:
        return bool(self.kind.preview) and not self.encrypted


def _refuse(message: str, code: str, field: str | None) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)} if field else message, code)


def extension_of(name: str) -> str:
    """The name's last extension, lower case, with its dot ("" for none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().rstrip(". ")
    stem, dot, extension = base.rpartition(".")
    return f".{extension.lower()}" if dot and stem.strip(".") and extension else ""


def _sniffed_label(head: bytes) -> str:
    """What the bytes look like, for a message about a mismatch ("" when unknown)."""
    for prefix, label in (
        (b"%PDF", "PDF"),
        (b"\xff\xd8\xff", "JPG 图片"),
        (b"\x89PNG", "PNG 图片"),
        (b"GIF8", "GIF 图片"),
        (OLE2, "Office 97-2003 文件"),
        (b"PK\x03\x04", "ZIP 压缩包或 Office 文件"),
    ):
        if head.startswith(prefix):
            return label
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP 图片"
    return ""


def _mismatch(kind: DocumentKind, head: bytes, field: str | None) -> ValidationError:
    actual = _sniffed_label(head)
    if actual:
        message = _(
            "文件内容与扩展名不符：扩展名是%(kind)s，内容却像%(actual)s。请确认文件后再上传"
        ) % {
            "kind": kind.label,
            "actual": actual,
        }
    else:
        message = _("文件内容与扩展名不符：这不是一个%(kind)s文件") % {"kind": kind.label}
    return _refuse(message, "mismatch", field)


def _head_matches(key: str, head: bytes) -> bool:
    if key == "pdf":
        return b"%PDF-" in head[:1024]  # readers accept up to 1 KB before the header
    if key == "jpg":
        return head.startswith(b"\xff\xd8\xff")
    if key == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if key == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if key == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if key in OOXML_KINDS:
        # An Office file protected by a password is an OLE2 container around the package.
        return head.startswith((b"PK\x03\x04", OLE2))
    if key in OLE2_STREAMS:
        return head.startswith(OLE2)
    if key in KINGSOFT_KINDS:
        return head.startswith((OLE2, b"PK\x03\x04"))
    if key == "zip":
        return head.startswith(ZIP)
    if key == "mp4":
        return head[4:8] == b"ftyp"
    if key in {"txt", "csv"}:
        return _looks_like_text(head)
    raise AssertionError(key)


def _looks_like_text(sample: bytes) -> bool:
    """Text in an encoding Chinese users save (UTF-8, GB18030, UTF-16 with its mark): no NUL
    byte, and the sample decodes (a character cut at the sample's end is fine)."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return len(sample) % 2 == 0 or len(sample) >= TEXT_SAMPLE_BYTES
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def document_name_check(name: str, *, field: str | None = None) -> DocumentKind:
    """What the name alone decides — a kind the library keeps, not a program — for an upload
    refused before its first byte (a resumable upload's creation)."""
    extension = extension_of(name)
    if extension in EXECUTABLE_EXTENSIONS:
        raise _executable(field)
    if not extension:
        raise _refuse(
            _("文件名没有扩展名，无法识别文件类型。请改名加上扩展名（如 .pdf、.docx）"),
            "unsupported",
            field,
        )
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise _refuse(
            _("不支持 %(extension)s 格式的文件。可以上传：%(kinds)s")
            % {"extension": extension, "kinds": SUPPORTED_LABEL},
            "unsupported",
            field,
        )
    return kind


def _executable(field: str | None) -> ValidationError:
    return _refuse(
        _("不能上传程序或脚本文件（如 .exe、.bat、.apk），请上传文档、图片或压缩包"),
        "executable",
        field,
    )


def document_head_check(name: str, head: bytes, *, field: str | None = None) -> DocumentKind:
    """What the name and the first bytes (``HEAD_BYTES`` of them, or the whole file if
    shorter) decide: the extension is one the library keeps, the file is not a program and
    not empty, and it starts as its kind does. Raises ``ValidationError`` with a message for
    the user; answers the kind. A chunked upload calls this on its first chunk;
    ``document_check`` calls it, then looks inside containers."""
    kind = document_name_check(name, field=field)
    if head.startswith(EXECUTABLE_HEADS):
        raise _executable(field)
    if not head:
        raise _refuse(_("文件是空的"), "empty", field)
    if not _head_matches(kind.key, head):
        raise _mismatch(kind, head, field)
    return kind


def document_check(
    name: str, file: IO[bytes] | bytes | Path, *, field: str | None = None
) -> CheckedDocument:
    """The library's check of a whole file (a seekable file object, the bytes, or a path):
    ``document_head_check``, then inside the containers — an OOXML file is a zip holding
    ``[Content_Types].xml`` and its kind's main part, within the zip limits and whole when
    inflated; an old Office file is an OLE2 file holding its kind's stream; a .zip is no zip
    bomb; a text file decodes. Raises ``ValidationError`` (with ``field`` when given) with a
    message in the user's language; leaves a file object at its start."""
    if isinstance(file, Path):
        with open(file, "rb") as handle:
            return document_check(name, handle, field=field)
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    file.seek(0)
    head = file.read(max(HEAD_BYTES, TEXT_SAMPLE_BYTES))
    try:
        kind = document_head_check(name, head[:HEAD_BYTES], field=field)
        if kind.key in {"txt", "csv"} and not _looks_like_text(head):
            raise _mismatch(kind, head, field)
        if head.startswith(OLE2):
            return _ole2_checked(kind, file, field)
        if kind.key in OOXML_KINDS or kind.key in KINGSOFT_KINDS:
            return _ooxml_checked(kind, file, field)
        if kind.key == "zip":
            return _zip_checked(kind, file, field)
        return CheckedDocument(kind)
    finally:
        file.seek(0)


def _corrupt(kind: DocumentKind, field: str | None) -> ValidationError:
    return _refuse(
        _("文件已损坏，无法打开（%(kind)s）。请用原软件重新保存后再上传") % {"kind": kind.label},
        "corrupt",
        field,
    )


def _zip_bomb(field: str | None, limit: int) -> ValidationError:
    return _refuse(
        _("文件解压后过大（超过 %(mb)d MB）或内含文件过多，可能是恶意文件，不能上传")
        % {"mb": limit // 2**20},
        "zip_bomb",
        field,
    )


def _ole2_checked(kind: DocumentKind, file: IO[bytes], field: str | None) -> CheckedDocument:
    """An OLE2 compound file: an old Office file with its kind's stream, an OOXML file
    protected by a password (``EncryptedPackage``), or a Kingsoft file."""
    file.seek(0)
    try:
        with olefile.OleFileIO(file) as container:
            encrypted_package = container.exists("EncryptedPackage")
            streams = {
                other: any(container.exists(stream) for stream in names)
                for other, names in OLE2_STREAMS.items()
            }
    except Exception as exc:  # a broken container, whatever olefile finds wrong with it
        raise _corrupt(kind, field) from exc
    if kind.key in OOXML_KINDS:
        if encrypted_package:
            return CheckedDocument(kind, encrypted=True)
        raise _mismatch(kind, OLE2, field)
    if kind.key in KINGSOFT_KINDS:
        return CheckedDocument(kind)
    if streams.get(kind.key):
        return CheckedDocument(kind)
    actual = next((KINDS[other] for other, found in streams.items() if found), None)
    if actual is not None:
        raise _refuse(
            _("文件内容与扩展名不符：扩展名是%(kind)s，内容却是%(actual)s。请确认文件后再上传")
            % {"kind": kind.label, "actual": actual.label},
            "mismatch",
            field,
        )
    raise _mismatch(kind, b"", field)


def _ooxml_checked(kind: DocumentKind, file: IO[bytes], field: str | None) -> CheckedDocument:
    try:
        entries = zip_entries(file)
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names:
            raise _mismatch(kind, b"PK\x03\x04", field)
        if kind.key in OOXML_KINDS and OOXML_MAIN_PARTS[kind.key] not in names:
            actual = next(
                (KINDS[other] for other, part in OOXML_MAIN_PARTS.items() if part in names), None
            )
            if actual is None:
                raise _mismatch(kind, b"PK\x03\x04", field)
            raise _refuse(
                _("文件内容与扩展名不符：扩展名是%(kind)s，内容却是%(actual)s。请确认文件后再上传")
                % {"kind": kind.label, "actual": actual.label},
                "mismatch",
                field,
            )
        # Office encrypts a whole package inside OLE2, never zip entries: an entry
        # "encrypted" in the zip's own way is no Office file.
        zip_limits(entries, max_unzipped_bytes=ZIP_MAX_UNZIPPED_BYTES, max_entries=ZIP_MAX_ENTRIES)
        zip_inflate(file, entries)
    except ZipRefused as exc:
        if exc.reason == "too_large":
            raise _zip_bomb(field, ZIP_MAX_UNZIPPED_BYTES) from exc
        raise _corrupt(kind, field) from exc
    return CheckedDocument(kind)


def _zip_checked(kind: DocumentKind, file: IO[bytes], field: str | None) -> CheckedDocument:
    """A .zip is kept and downloaded, never inflated here: its directory must be readable and
    declare no more than the Office limit or ``ZIP_MAX_RATIO`` times its size; a zip with a
    password is fine (a secretariat sends those)."""
    size = file.seek(0, io.SEEK_END)
    limit = max(ZIP_MAX_UNZIPPED_BYTES, size * ZIP_MAX_RATIO)
    try:
        entries = zip_entries(file)
        zip_limits(entries, max_unzipped_bytes=limit, max_entries=ZIP_MAX_ENTRIES)
    except ZipRefused as exc:
        if exc.reason == "encrypted":
            return CheckedDocument(kind, encrypted=True)
        if exc.reason == "too_large":
            raise _zip_bomb(field, limit) from exc
        raise _corrupt(kind, field) from exc
    return CheckedDocument(kind)


__all__ = [
    "KINDS",
    "CheckedDocument",
    "DocumentKind",
    "document_check",
    "document_head_check",
    "extension_of",
]
