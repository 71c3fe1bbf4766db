"""Previews (core.storage.previews): pictures re-encoded and size-limited, PDFs as
themselves, Office files converted to PDF by a real LibreOffice with the Chinese text intact;
decompression bombs, time limits, oversized output, corrupt content and documents that
fetch from the network each refused or contained."""

import http.server
import io
import os
import struct
import subprocess
import threading
import time
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from PIL import Image

from shanghui.core.models import StoredContent
from shanghui.core.storage.content import content_blocks, content_put
from shanghui.core.storage.previews import (
    PREVIEW_IMAGE_MAX_SIDE,
    PreviewFailed,
    office_pdf,
    preview_kind,
    preview_make,
)
from shanghui.core.storage.stores import content_store
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .conftest import DOCX_TEXT, SHEET_TEXT, SLIDES_TEXT, XLSX_TEXT, soffice_missing

pytestmark = pytest.mark.django_db

TEXT_OF = {
    "docx": DOCX_TEXT,
    "doc": DOCX_TEXT,
    "xlsx": XLSX_TEXT,
    "xls": SHEET_TEXT,
    "pptx": SLIDES_TEXT,
    "ppt": SLIDES_TEXT,
}


def stored(side: Side, data: bytes) -> StoredContent:
    return content_put(side.association, io.BytesIO(data))


def read(side: Side, content: StoredContent) -> bytes:
    return b"".join(content_blocks(side.association, content))


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return "".join(result.stdout.decode().split())


def leftovers() -> list[Path]:
    return sorted(Path(settings.FILE_UPLOAD_TEMP_DIR).glob("preview-*"))


def soffice_running() -> list[str]:
    """Command lines of LibreOffice processes working under the test's upload directory."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "soffice" in text and str(settings.FILE_UPLOAD_TEMP_DIR) in text:
            found.append(text)
    return found


# --- Pictures and PDFs ------------------------------------------------------------------


def test_a_photo_is_previewed_upright_shrunk_and_without_its_metadata(side_a: Side) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to show
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    Image.new("RGB", (3200, 2000), (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    original = stored(side_a, buffer.getvalue())
    preview = preview_make(side_a.association, original, name="合影.jpg")
    assert preview is not None and preview.pk != original.pk
    assert preview.association_id == side_a.association.pk
    with Image.open(io.BytesIO(read(side_a, preview))) as shown:
        assert shown.format == "JPEG"
        assert shown.size == (PREVIEW_IMAGE_MAX_SIDE * 2000 // 3200, PREVIEW_IMAGE_MAX_SIDE)
        assert not shown.getexif()
    assert leftovers() == []


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "会徽.png"), ("GIF", "动图.gif")])
def test_a_logo_keeps_its_transparency(side_a: Side, fmt: str, name: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (200, 100), (255, 0, 0, 0)).save(buffer, format=fmt)
    preview = preview_make(side_a.association, stored(side_a, buffer.getvalue()), name=name)
    assert preview is not None
    with Image.open(io.BytesIO(read(side_a, preview))) as shown:
        assert shown.format == "PNG" and shown.size == (200, 100)


def test_a_webp_poster_is_previewed(side_a: Side) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1000), (0, 200, 0)).save(buffer, format="WEBP")
    preview = preview_make(side_a.association, stored(side_a, buffer.getvalue()), name="海报.webp")
    assert preview is not None
    with Image.open(io.BytesIO(read(side_a, preview))) as shown:
        assert shown.format == "JPEG" and shown.size == (1600, 800)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header declares ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_from_its_header(side_a: Side) -> None:
    bomb = stored(side_a, png_declaring(100_000, 100_000))  # 10¹⁰ pixels, 30 GB decoded
    started = time.monotonic()
    with pytest.raises(PreviewFailed) as caught:
        preview_make(side_a.association, bomb, name="炸弹.png")
    assert time.monotonic() - started < 5  # nothing was decoded
    assert caught.value.message == "图片尺寸过大：最多 4000 万像素，请缩小后再上传"
    assert leftovers() == []


def test_a_pdf_is_its_own_preview(side_a: Side) -> None:
    pdf = stored(side_a, b"%PDF-1.4\n%%EOF\n")
    assert preview_make(side_a.association, pdf, name="章程.pdf") == pdf


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("说明.txt", "会议通知".encode()),
        ("资料.zip", b"PK\x05\x06" + b"\x00" * 18),
        ("宣传片.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32),
        ("报告.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
    ],
)
def test_kinds_without_a_preview_answer_none(side_a: Side, name: str, data: bytes) -> None:
    assert preview_make(side_a.association, stored(side_a, data), name=name) is None
    assert preview_kind(name) == ""


def test_content_that_is_not_what_its_name_says_is_not_opened(side_a: Side) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    with pytest.raises(PreviewFailed) as caught:
        preview_make(side_a.association, stored(side_a, buffer.getvalue()), name="纪要.docx")
    assert "文件内容与扩展名不符" in caught.value.message


def test_corrupt_stored_content_is_refused_and_flagged(side_a: Side) -> None:
    buffer = io.BytesIO()
    Image.frombytes("RGB", (50, 50), os.urandom(50 * 50 * 3)).save(buffer, format="PNG")
    content = stored(side_a, buffer.getvalue())
    path = Path(settings.CONTENT_ROOT) / content.key
    assert content_store().exists(content.key) and path.is_file()
    try:
        path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
        with pytest.raises(PreviewFailed) as caught:
            preview_make(side_a.association, content, name="会徽.png")
    finally:
        path.unlink()  # these bytes are never stored again: no later test finds them
    assert "文件校验失败" in caught.value.message
    with tenant_context(side_a.association):
        content.refresh_from_db()
    assert content.corrupt_at is not None
    assert leftovers() == []


# --- Office files by LibreOffice ---------------------------------------------------------


@pytest.mark.parametrize("extension", ["docx", "xlsx", "pptx", "doc", "xls", "ppt"])
def test_office_files_become_a_pdf_with_their_chinese_text(
    side_a: Side, office_files: dict[str, bytes], extension: str
) -> None:
    original = stored(side_a, office_files[extension])
    started = time.monotonic()
    preview = preview_make(side_a.association, original, name=f"资料.{extension}")
    elapsed = time.monotonic() - started
    assert preview is not None and preview.association_id == side_a.association.pk
    pdf = read(side_a, preview)
    assert pdf.startswith(b"%PDF-")
    assert TEXT_OF[extension] in pdf_text(pdf)
    assert leftovers() == [] and soffice_running() == []
    print(f"{extension} → PDF in {elapsed:.1f} s, {len(pdf)} bytes")


def test_the_pdf_embeds_a_chinese_font(side_a: Side, tmp_path: Path) -> None:
    """pdftotext finding the text does not prove the glyphs render: the font must be in
    the PDF (a Noto CJK font, installed with fonts-noto-cjk)."""
    soffice_missing()
    from .conftest import docx_bytes

    preview = preview_make(side_a.association, stored(side_a, docx_bytes()), name="纪要.docx")
    assert preview is not None
    path = tmp_path / "preview.pdf"
    path.write_bytes(read(side_a, preview))
    rows = subprocess.run(
        ["pdffonts", str(path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    ).stdout.splitlines()[2:]
    cjk = [row for row in rows if "CJK" in row or "Noto Sans SC" in row or "NotoSerifCJK" in row]
    assert cjk, rows
    assert all(" yes " in row for row in cjk)  # embedded


def test_a_conversion_past_the_time_limit_is_killed_with_its_process_group(
    side_a: Side, office_files: dict[str, bytes]
) -> None:
    content = stored(side_a, office_files["pptx"])
    started = time.monotonic()
    with override_settings(PREVIEW_TIME_LIMIT=0.5), pytest.raises(PreviewFailed) as caught:
        preview_make(side_a.association, content, name="年会.pptx")
    assert time.monotonic() - started < 15
    assert "文件转换超时" in caught.value.message
    assert soffice_running() == []  # soffice.bin and oosplash went with it
    assert leftovers() == []


def test_a_pdf_over_the_size_limit_is_refused(side_a: Side, office_files: dict[str, bytes]) -> None:
    content = stored(side_a, office_files["docx"])
    with override_settings(PREVIEW_MAX_BYTES=1000), pytest.raises(PreviewFailed) as caught:
        preview_make(side_a.association, content, name="纪要.docx")
    assert "预览文件过大" in caught.value.message
    assert leftovers() == []


def test_a_source_over_the_preview_limit_is_not_converted(
    side_a: Side, office_files: dict[str, bytes]
) -> None:
    content = stored(side_a, office_files["docx"])
    with override_settings(PREVIEW_SOURCE_MAX_BYTES=100), pytest.raises(PreviewFailed) as caught:
        preview_make(side_a.association, content, name="纪要.docx")
    assert "不生成预览" in caught.value.message


def test_a_broken_office_file_fails_with_a_clear_message(side_a: Side) -> None:
    """A .docx whose body is not XML passes the container check; LibreOffice fails on it."""
    soffice_missing()
    from .conftest import docx_bytes

    data = docx_bytes().replace(b"<w:body>", b"<w:body><<<")
    broken = stored(side_a, data)
    try:
        preview = preview_make(side_a.association, broken, name="纪要.docx")
    except PreviewFailed as failed:
        assert "无法转换为预览" in failed.message
    else:  # LibreOffice may recover what it can: then it is a real PDF
        assert preview is not None and read(side_a, preview).startswith(b"%PDF-")
    assert leftovers() == [] and soffice_running() == []


def test_a_document_cannot_make_the_server_fetch_an_address(tmp_path: Path) -> None:
    """A picture linked (not embedded) to an internal address: without our profile
    LibreOffice fetches it while converting; with it, nothing is asked of the address."""
    soffice_missing()
    asked: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        document = (
            '<?xml version="1.0" encoding="UTF-8"?><office:document '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" '
            'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
            'office:version="1.2" '
            'office:mimetype="application/vnd.oasis.opendocument.text"><office:body>'
            '<office:text><text:p>图<draw:frame svg:width="3cm" svg:height="3cm">'
            f'<draw:image xlink:href="http://127.0.0.1:{port}/internal.png" '
            'xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame>'
            "</text:p></office:text></office:body></office:document>"
        )
        for run in ("plain", "ours"):
            workdir = tmp_path / run
            workdir.mkdir()
            source = workdir / "document.fodt"
            source.write_text(document, encoding="utf-8")
            if run == "plain":  # the control: the same conversion without our profile
                subprocess.run(
                    [  # noqa: S607
                        "soffice",
                        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
                        "--headless",
                        "--convert-to",
                        "pdf",
                        "--outdir",
                        str(workdir),
                        str(source),
                    ],
                    capture_output=True,
                    timeout=120,
                    check=True,
                )
                assert asked == ["/internal.png"]
                asked.clear()
            else:
                assert office_pdf(source, workdir).startswith(b"%PDF-")
                assert asked == []
    finally:
        server.shutdown()
        server.server_close()


def test_two_conversions_at_once_each_have_their_own_profile(
    office_files: dict[str, bytes], tmp_path: Path
) -> None:
    """Two workers converting at the same moment: with one shared profile the second
    LibreOffice would hand its file to the first one's process, or wait on its lock."""
    results: dict[str, bytes] = {}
    errors: list[BaseException] = []

    def convert(extension: str) -> None:
        workdir = tmp_path / extension
        workdir.mkdir()
        source = workdir / f"document.{extension}"
        source.write_bytes(office_files[extension])
        try:
            results[extension] = office_pdf(source, workdir)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=convert, args=(ext,)) for ext in ("docx", "xls")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert DOCX_TEXT in pdf_text(results["docx"])
    assert SHEET_TEXT in pdf_text(results["xls"])


def test_without_libreoffice_office_files_fail_with_a_clear_message(
    side_a: Side, office_files: dict[str, bytes]
) -> None:
    content = stored(side_a, office_files["docx"])
    with (
        override_settings(PREVIEW_SOFFICE="soffice-not-installed"),
        pytest.raises(PreviewFailed) as caught,
    ):
        preview_make(side_a.association, content, name="纪要.docx")
    assert "服务器未安装预览组件" in caught.value.message
    assert leftovers() == []
