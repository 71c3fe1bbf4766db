"""Real Office files for the document checks and previews, each carrying Chinese text: a
.docx zipped by hand from its three minimal parts, an .xlsx written by openpyxl, and
.doc/.xls/.ppt/.pptx written by LibreOffice itself from flat ODF documents (once per test
session)."""

import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook

from shanghui.testing import office
from shanghui.testing.programs import require_programs

DOCX_TEXT = "第三届理事会会议纪要"
XLSX_TEXT = "会费收缴表"
SHEET_TEXT = "会员名册"
SLIDES_TEXT = "年会议程"

_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' + (
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'office:version="1.2"'
)
FLAT_TEXT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text><text:p>{DOCX_TEXT} Minutes</text:p></office:text></office:body>
</office:document>"""
FLAT_SHEET = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row>
<table:table-cell office:value-type="string"><text:p>{SHEET_TEXT}</text:p></table:table-cell>
</table:table-row></table:table></office:spreadsheet></office:body></office:document>"""
FLAT_SLIDES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:mimetype="application/vnd.oasis.opendocument.presentation">
<office:body><office:presentation><draw:page draw:name="p1">
<draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box>
<text:p>{SLIDES_TEXT} Agenda</text:p></draw:text-box></draw:frame>
</draw:page></office:presentation></office:body></office:document>"""


def docx_bytes(text: str = DOCX_TEXT) -> bytes:
    return office.docx_bytes(text)


def xlsx_bytes(text: str = XLSX_TEXT) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = text
    sheet["B1"] = 1200
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def soffice_missing() -> None:
    """Skips (fails on CI) when LibreOffice is not installed (``make system-deps``)."""
    require_programs(
        "soffice", "pdftotext", "pdffonts", package="libreoffice-*-nogui, poppler-utils"
    )


@pytest.fixture(scope="session")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Real files by extension: docx (by hand), xlsx (openpyxl), doc/xls/ppt/pptx written by
    LibreOffice."""
    soffice_missing()
    directory = tmp_path_factory.mktemp("office")
    sources = {"text.fodt": FLAT_TEXT, "sheet.fods": FLAT_SHEET, "slides.fodp": FLAT_SLIDES}
    for name, text in sources.items():
        (directory / name).write_text(text, encoding="utf-8")
    made = {"doc": "text.fodt", "xls": "sheet.fods", "ppt": "slides.fodp", "pptx": "slides.fodp"}
    for extension, source in made.items():
        subprocess.run(
            [  # noqa: S607
                "soffice",
                f"-env:UserInstallation={(directory / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                extension,
                "--outdir",
                str(directory / extension),
                str(directory / source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    files = {
        extension: next(Path(directory / extension).iterdir()).read_bytes() for extension in made
    }
    return {"docx": docx_bytes(), "xlsx": xlsx_bytes(), **files}
