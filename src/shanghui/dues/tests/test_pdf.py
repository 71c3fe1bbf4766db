"""Receipts and certificates: the CJK font is embedded (pdffonts), the text a person reads is
there (pdftotext), and the certificate's QR code opens the member's card (decoded from the
rendered page). Needs poppler-utils (Debian); skipped outside CI when it is missing."""

import subprocess
from io import BytesIO
from pathlib import Path

import pytest
import zxingcpp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from shanghui.core.pdf import FONT_BOLD, FONT_REGULAR
from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill, Payment
from shanghui.dues.pdf import certificate_pdf, receipt_pdf
from shanghui.dues.services import payments as payment_services
from shanghui.members.models import Member
from shanghui.testing.fixtures import Side
from shanghui.testing.programs import require_programs

from .helpers import make_bill, make_level

TOOLS = ("pdffonts", "pdftotext", "pdftoppm")


@pytest.fixture(autouse=True)
def _poppler() -> None:
    require_programs(*TOOLS, package="poppler-utils")


def run(*args: str, stdin: bytes) -> str:
    result = subprocess.run(args, input=stdin, capture_output=True, check=True, timeout=60)
    return result.stdout.decode()


def fonts(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """pdffonts rows as dicts (pdffonts reads a file, not stdin)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()
    header, rows = lines[0], lines[2:]
    columns = ["type", "encoding", "emb", "sub", "uni", "object", "id"]
    parsed = []
    for row in rows:
        start = header.index("type")
        parsed.append(
            {
                "name": row[:start].strip(),
                **dict(zip(columns, row[start:].split()[-7:], strict=False)),
            }
        )
    return parsed


def text(pdf: bytes) -> str:
    """The page text without spaces (letter-spaced titles come out as "收 据")."""
    return "".join(run("pdftotext", "-layout", "-", "-", stdin=pdf).split())


@pytest.fixture
def paid(side_a: Side) -> tuple[DuesBill, Payment]:
    a = side_a.association
    level = make_level(a, "常务副会长单位", "30000")
    with tenant_context(a):
        Member.objects.filter(pk=side_a.member.pk).update(level=level)
    bill = make_bill(a, side_a.member, amount="31234.50", year=2026, level=level)
    with tenant_context(a):
        payment = payment_services.payment_record(
            association=a,
            actor=side_a.admin,
            bill=bill,
            amount="31234.50",
            method="bank_transfer",
            paid_on=timezone.localdate(),
            reference="HX20260315001",
        )
        bill.refresh_from_db()
        bill = DuesBill.objects.select_related("member", "level").get(pk=bill.pk)
        payment = Payment.objects.select_related("bill__member", "bill__level", "recorded_by").get(
            pk=payment.pk
        )
    return bill, payment


def test_the_vendored_fonts_and_their_licence_ship_with_the_code() -> None:
    assert FONT_REGULAR.stat().st_size > 5_000_000  # the whole CJK Unified Ideographs block
    assert FONT_BOLD.is_file()
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONT_REGULAR.parent / "OFL.txt").read_text()


@pytest.mark.django_db
def test_a_receipt_embeds_its_cjk_font_and_states_the_amount_in_words(
    side_a: Side, paid: tuple[DuesBill, Payment], tmp_path: Path
) -> None:
    _bill, payment = paid
    with tenant_context(side_a.association):
        pdf = receipt_pdf(association=side_a.association, payment=payment).content
    assert pdf.startswith(b"%PDF")
    rows = fonts(pdf, tmp_path)
    assert rows, "the receipt uses no font at all"
    assert all(row["emb"] == "yes" for row in rows), rows
    assert any("Shanghui-Sans" in row["name"] for row in rows), rows  # our @font-face
    page = text(pdf)
    for expected in (
        "收据",
        "甲市江西商会",
        "甲市龚氏实业有限公司",
        "叁万壹仟贰佰叁拾肆元伍角整",  # 31,234.50 in 大写
        "¥31,234.50",
        "2026 年度会费（常务副会长单位）",
        payment.receipt_no,
        "HX20260315001",
        "甲市秘书长",  # the clerk
    ):
        assert expected.replace(" ", "") in page, expected
    assert "作废" not in page


@pytest.mark.django_db
def test_the_receipt_of_a_reversed_payment_is_marked_void(
    side_a: Side, paid: tuple[DuesBill, Payment]
) -> None:
    _bill, payment = paid
    a = side_a.association
    with tenant_context(a):
        payment_services.payment_reverse(
            association=a, actor=side_a.admin, payment=payment, reason="退票"
        )
        pdf = receipt_pdf(association=a, payment=payment).content
    assert "冲正，本收据作废" in text(pdf)


@pytest.mark.django_db
def test_a_certificate_names_the_member_and_its_qr_code_opens_the_card(
    side_a: Side, paid: tuple[DuesBill, Payment], tmp_path: Path
) -> None:
    bill, _payment = paid
    a = side_a.association
    with tenant_context(a):
        pdf = certificate_pdf(association=a, bill=bill).content
    assert all(row["emb"] == "yes" for row in fonts(pdf, tmp_path))
    page = text(pdf)
    for expected in (
        "会员证书",
        "甲市龚氏实业有限公司",
        "甲市江西商会",
        "常务副会长单位",
        side_a.member.member_no,
        "2026 年 1 月 1 日至 2026 年 12 月 31 日",
    ):
        assert expected.replace(" ", "") in page, expected
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "certificate.pdf", "page"],  # noqa: S607
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    png = (tmp_path / "page.png").read_bytes()
    codes = zxingcpp.read_barcodes(Image.open(BytesIO(png)))
    expected_url = f"{settings.SITE_URL}/a/{a.slug}/directory/{side_a.member.pk}/"
    assert [code.text for code in codes] == [expected_url]


@pytest.mark.django_db
def test_no_certificate_before_the_year_is_paid(side_a: Side) -> None:
    a = side_a.association
    bill = make_bill(a, side_a.member, amount="1000")
    with tenant_context(a), pytest.raises(ValidationError, match="尚未缴清"):
        certificate_pdf(
            association=a, bill=DuesBill.objects.select_related("member").get(pk=bill.pk)
        )
