"""Exports and PDFs: the sign-in sheet (xlsx and PDF with the embedded CJK font), name
badges whose QR codes check the person in, the course certificate, and the ticket PNG.
Needs poppler-utils (Debian); skipped outside CI when it is missing."""

import io
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from shanghui.core.tenancy import tenant_context
from shanghui.events import exports, pdf, services, tickets
from shanghui.events.models import CheckinList, Event
from shanghui.testing.fixtures import Side

from .factories import make_event, make_member_user, register

pytestmark = pytest.mark.django_db
TOOLS = ("pdffonts", "pdftotext", "pdftoppm")


@pytest.fixture(autouse=True)
def _poppler() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} missing: install the Debian package poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _text(content: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True,  # noqa: S607
        timeout=60,
    ).stdout.decode()  # fmt: skip
    return "".join(out.split())


def _fonts_embedded(content: bytes, tmp_path: Path) -> bool:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    rows = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True  # noqa: S607
    ).stdout.splitlines()[2:]  # fmt: skip
    return bool(rows) and all(" yes " in row for row in rows)


def test_sign_in_sheet_xlsx_and_pdf(side_a: Side, tmp_path: Path) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    register(a, event, side_a.member_user)
    register(a, event, make_member_user(a, "=HYPERLINK(1)"))
    with tenant_context(a):
        sheet = load_workbook(io.BytesIO(exports.signin_xlsx(association=a, event=event))).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]  # type: ignore[union-attr]
        content = pdf.signin_pdf(association=a, event=event).content
    assert rows[0][:3] == ["序号", "姓名", "单位"]
    assert {r[1] for r in rows[1:]} == {"龚志军", "'=HYPERLINK(1)"}
    assert _fonts_embedded(content, tmp_path)
    page = _text(content)
    assert "2026年会签到表" in page and "龚志军" in page and "甲市龚氏实业有限公司" in page


def test_badges_carry_a_qr_code_that_checks_the_person_in(side_a: Side, tmp_path: Path) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    registration = register(a, event, side_a.member_user)
    with tenant_context(a):
        content = pdf.badges_pdf(association=a, event=event).content
    assert _fonts_embedded(content, tmp_path)
    (tmp_path / "badges.pdf").write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-singlefile", "badges.pdf", "page"],  # noqa: S607
        cwd=tmp_path, check=True, timeout=60,
    )  # fmt: skip
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [c.text for c in codes] == [tickets.qr_text(registration.token)]
    with tenant_context(a):
        found = services.find_registration(association=a, event=event, text=codes[0].text)
    assert found.pk == registration.pk


def test_ticket_png_decodes_to_the_signed_token(side_a: Side) -> None:
    token = tickets.new_token()
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(tickets.qr_png(token))))
    assert tickets.token_from_qr(code.text) == token


def test_course_certificate(side_a: Side, tmp_path: Path) -> None:
    a = side_a.association
    start = timezone.now() - timedelta(days=5)
    course = make_event(
        a, side_a.admin, kind=Event.Kind.TRAINING, title="数字化转型研修班", starts_at=start,
        ends_at=start + timedelta(days=1),
    )  # fmt: skip
    with tenant_context(a):
        services.session_create(
            association=a, actor=side_a.admin, event=course, title="第一讲", starts_at=start
        )
        registration = services.registration_create(
            association=a, actor=side_a.admin, event=course, by_staff=True,
            registrant=services.registrant_for_user(association=a, user=side_a.member_user),
        ).registration  # fmt: skip
        with pytest.raises(ValidationError, match="结业要求"):
            pdf.certificate_pdf(association=a, event=course, registration=registration)
        lesson = CheckinList.objects.get(event=course, session__isnull=False)
        services.checkin_record(
            association=a, actor=side_a.admin, checkin_list=lesson, registration=registration
        )
        content = pdf.certificate_pdf(
            association=a, event=course, registration=registration
        ).content
    assert _fonts_embedded(content, tmp_path)
    page = _text(content)
    assert "结业证书" in page and "龚志军" in page and "数字化转型研修班" in page
