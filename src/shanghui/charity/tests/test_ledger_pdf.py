"""The acknowledgement (捐赠证明/感谢信): the CJK font is embedded (pdffonts), the text a person
reads is there (pdftotext) — the amount in 大写, its number, and that it is not a
公益事业捐赠统一票据. Needs poppler-utils (Debian); skipped outside CI when it is missing."""

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from shanghui.charity.acknowledgements import acknowledgement_pdf
from shanghui.charity.models import Donation
from shanghui.charity.services.donations import donation_reverse
from shanghui.charity.services.ledger import acknowledgement_number
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side
from shanghui.testing.programs import require_programs

from .ledger_helpers import campaign, cash, goods, partner


@pytest.fixture(autouse=True)
def _poppler() -> None:
    require_programs("pdffonts", "pdftotext", package="poppler-utils")


def text(pdf: bytes) -> str:
    """The page text without spaces."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return "".join(result.stdout.decode().split())


def fonts(pdf: bytes, tmp_path: Path) -> list[str]:
    """pdffonts rows (it reads a file, not stdin)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()
    return lines[2:]


def _pdf(side: Side, donation: Donation) -> bytes:
    a = side.association
    with tenant_context(a):
        donation = acknowledgement_number(association=a, actor=side.admin, donation=donation)
        donation = Donation.objects.select_related("campaign").get(pk=donation.pk)
        return acknowledgement_pdf(association=a, donation=donation).content


@pytest.mark.django_db
def test_a_cash_acknowledgement_embeds_its_font_and_states_the_amount_in_words(
    side_a: Side, tmp_path: Path
) -> None:
    drive = campaign(side_a.association)
    red_cross = partner(side_a.association)
    gift = cash(
        side_a,
        "1234567.80",
        campaign=drive,
        recipient=red_cross,
        donated_on=date(2020, 2, 3),
        official_receipt_no="GD2020-0001",
    )
    pdf = _pdf(side_a, gift)
    assert pdf.startswith(b"%PDF")
    rows = fonts(pdf, tmp_path)
    assert rows, "the acknowledgement uses no font at all"
    for row in rows:
        columns = row.split()
        assert columns[-5] == "yes", row  # emb
    assert any("Shanghui-Sans" in row for row in rows), rows
    page = text(pdf)
    year = timezone.localdate().year
    for expected in (
        "捐赠证明",
        "感谢信",
        f"编号：JZ{year}-000001",
        side_a.member.name,
        "甲市江西商会",
        "2020年2月3日",
        "2020抗击新冠肺炎疫情",
        "广东省红十字会",
        "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角整",
        "¥1,234,567.80",
        "经商会组织",
        "GD2020-0001",
        "不是公益事业捐赠统一票据",
    ):
        assert expected in page, expected
    assert "作废" not in page


@pytest.mark.django_db
def test_a_goods_acknowledgement_names_the_items_and_their_basis(side_a: Side) -> None:
    page = text(_pdf(side_a, goods(side_a, channel="reported")))
    for expected in (
        "深圳爱心文具厂",
        "书包",
        "10000个",
        "发票价",
        "壹拾贰万元整",
        "自行",
        "会员企业自行捐赠（报备）",
        "不是公益事业捐赠统一票据",
    ):
        assert expected in page, expected


@pytest.mark.django_db
def test_a_gift_reversed_after_its_acknowledgement_is_marked_void(side_a: Side) -> None:
    a = side_a.association
    gift = cash(side_a)
    first = _pdf(side_a, gift)
    with tenant_context(a):
        donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="录错")
    again = _pdf(side_a, gift)
    assert "作废" not in text(first)
    assert "本证明作废" in text(again)
    with tenant_context(a):
        assert Donation.objects.get(pk=gift.pk).acknowledgement_no.endswith("-000001")
