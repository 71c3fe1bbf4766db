"""The document library's upload check (core.storage.checks) and display names
(core.storage.names): each kind recognised by its content, programs, empty files, wrong
extensions and zip bombs refused with a message in Chinese."""

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from shanghui.core.storage.checks import ZIP_MAX_RATIO, document_check, document_head_check
from shanghui.core.storage.names import NAME_MAX_BYTES, display_name
from shanghui.core.uploads import ZIP_MAX_UNZIPPED_BYTES

from .conftest import docx_bytes, xlsx_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def picture(fmt: str, size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def a_zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(*names: str, megabytes: int = 201) -> bytes:
    """A zip whose entries unpack to ``megabytes`` of spaces (a few hundred KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, b"<x/>")
        with archive.open("word/media/padding.xml", "w", force_zip64=True) as part:
            block = b" " * 2**20
            for _ in range(megabytes):
                part.write(block)
    return buffer.getvalue()


def refusal(name: str, data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        document_check(name, data)
    return caught.value


# --- What is accepted ------------------------------------------------------------------


def test_each_kind_a_secretariat_stores_is_recognised(office_files: dict[str, bytes]) -> None:
    files = {
        "章程.pdf": (PDF, "pdf"),
        "合影.jpg": (picture("JPEG"), "jpg"),
        "合影.JPEG": (picture("JPEG"), "jpg"),
        "会徽.png": (picture("PNG"), "png"),
        "动图.gif": (picture("GIF"), "gif"),
        "海报.webp": (picture("WEBP"), "webp"),
        "会议纪要.docx": (office_files["docx"], "docx"),
        "会费.xlsx": (office_files["xlsx"], "xlsx"),
        "年会.pptx": (office_files["pptx"], "pptx"),
        "旧纪要.doc": (office_files["doc"], "doc"),
        "旧名册.xls": (office_files["xls"], "xls"),
        "旧年会.ppt": (office_files["ppt"], "ppt"),
        "说明.txt": ("通知：周五开会\n".encode(), "txt"),
        "名单.csv": ("姓名,手机\n张三,13800000000\n".encode("gbk"), "csv"),
        "名单16.csv": ("姓名,手机\n".encode("utf-16"), "csv"),
        "资料.zip": (a_zip({"a.txt": b"hello", "照片/b.jpg": picture("JPEG")}), "zip"),
        "宣传片.mp4": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64, "mp4"),
    }
    for name, (data, key) in files.items():
        checked = document_check(name, data)
        assert checked.kind.key == key, name
        assert not checked.encrypted


def test_a_file_object_and_a_path_are_checked_and_left_at_their_start(tmp_path: Path) -> None:
    handle = io.BytesIO(docx_bytes())
    handle.read(10)
    assert document_check("纪要.docx", handle).kind.key == "docx"
    assert handle.tell() == 0
    path = tmp_path / "upload.bin"
    path.write_bytes(xlsx_bytes())
    assert document_check("名册.xlsx", path).kind.key == "xlsx"


def test_kingsoft_files_are_kept_as_ole2_or_ooxml_zips_and_not_previewed(
    office_files: dict[str, bytes],
) -> None:
    # Not real Kingsoft files (none to test with): the containers their formats use.
    assert document_check("报告.wps", office_files["doc"]).kind.key == "wps"
    assert document_check("报表.et", office_files["xls"]).kind.key == "et"
    assert document_check("演示.dps", docx_bytes()).kind.key == "dps"
    assert not document_check("报告.wps", office_files["doc"]).previewable
    assert refusal("报表.et", picture("PNG")).code == "mismatch"


def test_a_password_protected_zip_is_kept() -> None:
    # A zip entry flagged as encrypted (bit 0): a secretariat sends such zips by mail.
    data = bytearray(a_zip({"名单.xlsx": b"x" * 100}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    checked = document_check("名单.zip", bytes(data))
    assert checked.kind.key == "zip" and checked.encrypted


# --- What is refused ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "setup.exe",
        "run.bat",
        "run.cmd",
        "x.js",
        "x.vbs",
        "屏保.scr",
        "install.msi",
        "a.sh",
        "app.apk",
        "tool.jar",
    ],
)
def test_programs_and_scripts_are_refused_by_their_extension(name: str) -> None:
    error = refusal(name, b"PK\x03\x04 or anything")
    assert error.code == "executable"
    assert "不能上传程序或脚本文件" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "head"),
    [("年度报告.pdf", b"MZ\x90\x00\x03"), ("说明.txt", b"\x7fELF\x02\x01\x01"), ("x.zip", b"MZ")],
)
def test_program_content_is_refused_whatever_the_name(name: str, head: bytes) -> None:
    assert refusal(name, head + b"\x00" * 200).code == "executable"


def test_an_empty_file_is_refused() -> None:
    error = refusal("会议纪要.docx", b"")
    assert (error.code, error.messages) == ("empty", ["文件是空的"])


@pytest.mark.parametrize("name", ["页面.html", "图标.svg", "数据.xlsm", "README"])
def test_kinds_the_library_does_not_keep_are_refused(name: str) -> None:
    error = refusal(name, b"<html></html>")
    assert error.code == "unsupported"
    assert "扩展名" in error.messages[0] or "不支持" in error.messages[0]


def test_content_that_does_not_match_the_extension_is_refused(
    office_files: dict[str, bytes],
) -> None:
    png_as_pdf = refusal("营业执照.pdf", picture("PNG"))
    assert png_as_pdf.code == "mismatch"
    assert png_as_pdf.messages == [
        "文件内容与扩展名不符：扩展名是PDF，内容却像PNG 图片。请确认文件后再上传"
    ]
    word_as_excel = refusal("名册.xlsx", office_files["docx"])
    assert "扩展名是Excel 表格，内容却是Word 文档" in word_as_excel.messages[0]
    doc_as_xls = refusal("名册.xls", office_files["doc"])
    assert "内容却是Word 97-2003 文档" in doc_as_xls.messages[0]
    ppt_as_doc = refusal("纪要.doc", office_files["ppt"])
    assert "内容却是PowerPoint 97-2003 演示文稿" in ppt_as_doc.messages[0]
    xls_as_docx = refusal("纪要.docx", office_files["xls"])  # OLE2, not an encrypted package
    assert xls_as_docx.code == "mismatch"
    plain_zip = refusal("纪要.docx", a_zip({"word/document.xml": b"<w/>"}))  # no content types
    assert plain_zip.code == "mismatch"
    assert refusal("照片.jpg", PDF).code == "mismatch"
    assert refusal("视频.mp4", b"\x00" * 100).code == "mismatch"
    assert refusal("说明.txt", b"abc\x00def" * 10).code == "mismatch"
    assert refusal("资料.zip", office_files["doc"]).code == "mismatch"


def test_a_broken_office_file_is_refused_as_damaged() -> None:
    truncated = docx_bytes()[:-30]  # the zip's directory is cut
    error = refusal("纪要.docx", truncated)
    assert error.code == "corrupt"
    assert "文件已损坏" in error.messages[0]
    assert refusal("纪要.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600).code in {
        "corrupt",
        "mismatch",
    }


def test_a_part_that_inflates_past_its_declared_size_is_refused() -> None:
    """The directory says word/document.xml is 10 bytes; it inflates to more."""
    data = bytearray(docx_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory's entries, in turn
    while not data[entry + 46 :].startswith(b"word/document.xml"):
        entry = data.index(b"PK\x01\x02", entry + 1)
    struct.pack_into("<I", data, entry + 24, 10)  # its uncompressed size
    assert refusal("纪要.docx", bytes(data)).code == "corrupt"


def test_zip_bombs_are_refused_in_office_files_and_zips() -> None:
    office = refusal("纪要.docx", zip_bomb("[Content_Types].xml", "word/document.xml"))
    assert office.code == "zip_bomb"
    assert office.messages == [
        "文件解压后过大（超过 200 MB）或内含文件过多，可能是恶意文件，不能上传"
    ]
    assert refusal("资料.zip", zip_bomb("a.txt")).code == "zip_bomb"
    many = a_zip({f"{n}.txt": b"" for n in range(10_001)}, zipfile.ZIP_STORED)
    assert refusal("资料.zip", many).code == "zip_bomb"


def test_a_large_zip_is_no_bomb_when_it_is_not_much_smaller_than_it_unpacks() -> None:
    """A .zip (never unpacked by us) may declare more than the Office limit, up to
    ``ZIP_MAX_RATIO`` times its own size: 3 MB of photos beside 210 MB of blank scans."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("照片.jpg", os.urandom(3 * 2**20), zipfile.ZIP_STORED)
        with archive.open("扫描.tif", "w", force_zip64=True) as part:
            archive.compression = zipfile.ZIP_DEFLATED
            for _ in range(210):
                part.write(b"\x00" * 2**20)
    data = buffer.getvalue()
    declared = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert declared > ZIP_MAX_UNZIPPED_BYTES and declared < len(data) * ZIP_MAX_RATIO
    assert document_check("照片.zip", data).kind.key == "zip"


def test_the_first_chunk_decides_what_the_head_can(office_files: dict[str, bytes]) -> None:
    assert document_head_check("纪要.docx", office_files["docx"][:8192]).key == "docx"
    with pytest.raises(ValidationError) as caught:
        document_head_check("纪要.pdf", b"MZ" + b"\x00" * 100)
    assert caught.value.code == "executable"


def test_a_field_name_puts_the_message_under_that_field() -> None:
    with pytest.raises(ValidationError) as caught:
        document_check("a.exe", b"MZ", field="file")
    assert list(caught.value.message_dict) == ["file"]
    assert "不能上传程序或脚本文件" in caught.value.message_dict["file"][0]


def test_the_import_and_the_library_share_one_zip_limit() -> None:
    from shanghui.core import uploads
    from shanghui.members.imports import uploads as imports

    assert imports.MAX_UNZIPPED_BYTES == uploads.ZIP_MAX_UNZIPPED_BYTES
    assert imports.MAX_ZIP_ENTRIES == uploads.ZIP_MAX_ENTRIES


# --- Display names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("2026年 第三届理事会 会议纪要（定稿）.docx", "2026年 第三届理事会 会议纪要（定稿）.docx"),
        ("../../etc/passwd", "etc_passwd"),
        ("..\\..\\windows\\win.ini", "windows_win.ini"),
        ("C:\\Users\\张三\\报告.pdf", "C__Users_张三_报告.pdf"),
        ("..", "未命名文件"),
        ("", "未命名文件"),
        (".htaccess", "htaccess"),
        ("...隐藏.pdf", "隐藏.pdf"),
        ("会议\r\n纪要\t2026.docx", "会议 纪要 2026.docx"),
        ("报告\x00\x1b[31m.pdf", "报告[31m.pdf"),
        ("报告\u202excod.exe", "报告xcod.exe"),  # no right-to-left override
        ("零\u200b宽.pdf", "零宽.pdf"),
        ('问题:是否"通过"?.docx', "问题_是否_通过__.docx"),
        ("CON.txt", "_CON.txt"),
        ("nul", "_nul"),
        ("com1.tar.gz", "_com1.tar.gz"),
        ("lpt9.pdf", "_lpt9.pdf"),
        ("console.pdf", "console.pdf"),
        ("名单.pdf. . ", "名单.pdf"),
        ("  前后空格  .pdf", "前后空格.pdf"),
        ("e\u0301.txt", "\u00e9.txt"),  # one composed character (NFC)
    ],
)
def test_display_names_are_made_safe_and_keep_chinese(given: str, shown: str) -> None:
    assert display_name(given) == shown


def test_an_overlong_name_is_shortened_before_its_extension() -> None:
    name = display_name("很长的会议纪要" * 40 + ".docx")
    assert name.endswith(".docx")
    assert len(name.encode()) <= NAME_MAX_BYTES
    assert name.startswith("很长的会议纪要")
    ascii_name = display_name("a" * 400 + ".pdf")
    assert ascii_name == "a" * (NAME_MAX_BYTES - 4) + ".pdf"
    no_extension = display_name("长" * 200)
    assert len(no_extension.encode()) <= NAME_MAX_BYTES


def test_a_cleaned_name_is_checked_as_itself() -> None:
    """The cleaner never turns a refused name into an accepted one by dropping characters
    before the extension: ``a.exe\\u202e.pdf`` keeps ``.pdf``, and its content decides."""
    assert display_name("a.exe\u202e.pdf") == "a.exe.pdf"
    assert refusal(display_name("setup.exe\u202e.pdf"), b"MZ\x00").code == "executable"


def test_the_older_upload_checks_look_inside_office_files_too() -> None:
    """An announcement's attachments (PDF, pictures, .docx/.xlsx/.pptx) pass
    ``validate_document_upload``, which used to stop at "PK": now a zip bomb or a zip that
    is no Word file is refused under the form's field."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shanghui.core.uploads import DOCUMENT_SIGNATURES, validate_document_upload

    signatures = {**DOCUMENT_SIGNATURES, ".docx": (b"PK\x03\x04",)}
    good = SimpleUploadedFile("纪要.docx", docx_bytes())
    validate_document_upload(good, field="file", signatures=signatures)
    assert good.tell() == 0
    for data, message in (
        (zip_bomb("[Content_Types].xml", "word/document.xml"), "文件解压后过大"),
        (a_zip({"a.txt": b"x"}), "文件内容与扩展名不符"),
    ):
        with pytest.raises(ValidationError) as caught:
            validate_document_upload(
                SimpleUploadedFile("纪要.docx", data), field="file", signatures=signatures
            )
        assert message in caught.value.message_dict["file"][0]
