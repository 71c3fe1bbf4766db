"""Exports and PDFs: the sign-in sheet (xlsx and PDF with the embedded CJK font), name
badges whose QR codes check the person in — both PDFs made by a job, out of the request —
the course certificate, and the ticket PNG.
Needs poppler-utils (Debian); skipped outside CI when it is missing."""

import io
import re
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.events import exports, pdf, tickets
from shanghui.events.models import CheckinList, Event
from shanghui.events.services import checkin as checkin_services
from shanghui.events.services import registration as registration_services
from shanghui.events.services import setup as setup_services
from shanghui.testing.fixtures import Side
from shanghui.testing.programs import require_programs
from shanghui.testing.worker import run_worker

from .factories import make_event, make_member_user, register
from .test_views import url

pytestmark = pytest.mark.django_db
TOOLS = ("pdffonts", "pdftotext", "pdftoppm")


@pytest.fixture(autouse=True)
def _poppler() -> None:
    require_programs(*TOOLS, package="poppler-utils")


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


def _made_by_a_job(client: Client, side: Side, event: Event, name: str) -> tuple[bytes, Any]:
    """Presses the PDF button of the event page, runs the worker (as the application role,
    under row-level security on PostgreSQL) and downloads the file from the job's page."""
    started = client.post(url(name, side, event_id=event.pk))
    assert started.status_code == 302, started.content
    page = client.get(started["Location"])
    assert page.status_code == 200 and "sh-progress-box" in page.content.decode()
    run_worker()
    html = client.get(started["Location"]).content.decode()
    download = re.search(r'href="([^"]+/download/)"', html)
    assert download, html
    response = client.get(download.group(1))
    assert response.status_code == 200
    job_id = started["Location"].rstrip("/").rsplit("/", 1)[-1]
    with tenant_context(side.association):
        job = Job.objects.get(pk=job_id)
    return b"".join(response.streaming_content), job  # type: ignore[attr-defined]


def _qr_codes(page: Path) -> set[str]:
    """The QR codes of a page of badges, read badge by badge (two columns, four rows)."""
    image = Image.open(page)
    width, height = image.size
    found: set[str] = set()
    for row in range(4):
        for column in range(2):
            box = (
                column * width // 2, row * height // 4,
                (column + 1) * width // 2, (row + 1) * height // 4,
            )  # fmt: skip
            found |= {c.text for c in zxingcpp.read_barcodes(image.crop(box))}
    return found


def test_sign_in_sheet_xlsx_and_pdf(side_a: Side, admin_a: Client, tmp_path: Path) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    register(a, event, side_a.member_user)
    register(a, event, make_member_user(a, "=HYPERLINK(1)"))
    with tenant_context(a):
        sheet = load_workbook(io.BytesIO(exports.signin_xlsx(association=a, event=event))).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]  # type: ignore[union-attr]
    content, job = _made_by_a_job(admin_a, side_a, event, "office_export_signin_pdf")
    assert rows[0][:3] == ["序号", "姓名", "单位"]
    assert {r[1] for r in rows[1:]} == {"龚志军", "'=HYPERLINK(1)"}
    assert _fonts_embedded(content, tmp_path)
    page = _text(content)
    assert "2026年会签到表" in page and "龚志军" in page and "甲市龚氏实业有限公司" in page
    assert (job.status, job.kind, job.total) == ("done", "events.pdf.signin", 2)


def test_badges_are_made_by_a_job_and_their_qr_codes_check_people_in(
    side_a: Side, admin_a: Client, member_a: Client, tmp_path: Path
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    registration = register(a, event, side_a.member_user)
    others = [register(a, event, make_member_user(a, f"来宾{i}")) for i in range(8)]
    # Only the secretariat makes them; a member's press changes nothing.
    assert member_a.post(url("office_export_badges", side_a, event_id=event.pk)).status_code == 403
    content, job = _made_by_a_job(admin_a, side_a, event, "office_export_badges")
    assert (job.status, job.kind, job.done, job.total) == ("done", "events.pdf.badges", 9, 9)
    assert "9" in job.message
    assert _fonts_embedded(content, tmp_path)
    (tmp_path / "badges.pdf").write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "badges.pdf", "page"],  # noqa: S607
        cwd=tmp_path, check=True, timeout=60,
    )  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2  # eight badges to a page: nine people, two pages
    first = _qr_codes(pages[0])
    assert len(first) == 8
    everyone = first | _qr_codes(pages[1])
    assert everyone == {tickets.qr_text(r.token) for r in [registration, *others]}
    with tenant_context(a):
        found = checkin_services.find_registration(
            association=a, event=event, text=tickets.qr_text(registration.token)
        )
    assert found.pk == registration.pk


def test_pdf_jobs_over_the_api(side_a: Side) -> None:
    from shanghui.testing.fixtures import api_client_for

    a = side_a.association
    event = make_event(a, side_a.admin)
    register(a, event, side_a.member_user)
    admin = api_client_for(side_a.admin)
    base = f"/api/v1/associations/{a.slug}"
    started = admin.post(f"{base}/events/{event.pk}/exports/badges.pdf")
    assert started.status_code == 202 and started.json()["status"] == "queued"
    member = api_client_for(side_a.member_user)
    assert member.post(f"{base}/events/{event.pk}/exports/badges.pdf").status_code == 403
    run_worker()
    job = admin.get(f"{base}/jobs/{started.json()['id']}").json()
    assert (job["status"], job["has_file"]) == ("done", True)
    file = admin.get(f"{base}/jobs/{started.json()['id']}/file")
    assert b"".join(file.streaming_content)[:5] == b"%PDF-"  # type: ignore[attr-defined]
    # Someone else's job, even in the same office, is not theirs to read.
    from shanghui.accounts.models import Role
    from shanghui.testing.factories import RoleFactory, UserFactory

    other_admin = UserFactory(name="另一位秘书")
    RoleFactory(association=a, user=other_admin, kind=Role.Kind.ADMIN)
    assert api_client_for(other_admin).get(f"{base}/jobs/{started.json()['id']}").status_code == 404


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
        setup_services.session_create(
            association=a, actor=side_a.admin, event=course, title="第一讲", starts_at=start
        )
        registration = registration_services.registration_create(
            association=a, actor=side_a.admin, event=course, by_staff=True,
            registrant=registration_services.registrant_for_user(
                association=a, user=side_a.member_user
            ),
        ).registration  # fmt: skip
        with pytest.raises(ValidationError, match="结业要求"):
            pdf.certificate_pdf(association=a, event=course, registration=registration)
        lesson = CheckinList.objects.get(event=course, session__isnull=False)
        checkin_services.checkin_record(
            association=a, actor=side_a.admin, checkin_list=lesson, registration=registration
        )
        content = pdf.certificate_pdf(
            association=a, event=course, registration=registration
        ).content
    assert _fonts_embedded(content, tmp_path)
    page = _text(content)
    assert "结业证书" in page and "龚志军" in page and "数字化转型研修班" in page
