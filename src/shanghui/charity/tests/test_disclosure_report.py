"""The yearly charity report (年度公益报告): its text (pdftotext) names the year's figures in
万/亿 and exactly, the CJK font is embedded (pdffonts), beneficiaries appear only as a count;
the back-office URL and the API serve it to the secretariat only."""

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from shanghui.charity.models import Beneficiary, Disbursement, Honor, Sponsorship
from shanghui.charity.report import yearly_report_pdf
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side, api_client_for
from shanghui.testing.programs import require_programs

from .disclosure_helpers import campaign, gift

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _poppler() -> None:
    require_programs("pdffonts", "pdftotext", package="poppler-utils")


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode()


def pdf_fonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdffonts", str(path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    ).stdout


def a_year_of_giving(side: Side) -> None:
    a = side.association
    with tenant_context(a):
        drive = campaign(a, "2020抗击新冠肺炎疫情", public=False)
        gift(a, "42000000", campaign=drive, donor="赣商实业集团", name_public=True)
        gift(a, "125000000", campaign=drive, goods=True, donor="不愿署名的企业")
        gift(a, "99", on=date(2021, 3, 1), donor="次年捐赠方", name_public=True)
        student = Beneficiary.objects.create(association=a, name="受助学生小红")
        sponsorship = Sponsorship.objects.create(
            association=a,
            beneficiary=student,
            sponsor_name="结对企业",
            starts_on=date(2019, 9, 1),
            amount_per_term=Decimal("3000"),
        )
        Disbursement.objects.create(
            association=a,
            sponsorship=sponsorship,
            term="2020春",
            due_on=date(2020, 3, 1),
            paid_on=date(2020, 3, 2),
            amount=Decimal("3000"),
        )
        Honor.objects.create(
            association=a,
            direction=Honor.Direction.RECEIVED,
            title="抗击新冠肺炎疫情先进组织",
            awarded_by="全国工商联",
            awarded_on=date(2020, 9, 8),
        )


def test_the_report_reads_the_years_figures_with_the_font_embedded(
    side_a: Side, tmp_path: Path
) -> None:
    a_year_of_giving(side_a)
    with tenant_context(side_a.association), translation.override("en"):
        pdf = yearly_report_pdf(side_a.association, 2020)  # Chinese for an English reader too
    text = pdf_text(pdf)
    flat = "".join(text.split())
    assert "2020年度公益报告" in flat and side_a.association.name in flat
    assert "1.67亿元" in flat and "167,000,000.00元" in flat
    assert "4,200万元" in flat and "42,000,000.00元" in flat
    assert "2020抗击新冠肺炎疫情" in flat
    assert "抗击新冠肺炎疫情先进组织" in flat
    assert "赣商实业集团" in flat and "不愿署名的企业" not in flat
    assert "次年捐赠方" not in flat
    assert "资助学生1名" in flat and "小红" not in flat
    assert "本平台仅用于记录和公开捐赠信息" in flat
    fonts = pdf_fonts(pdf, tmp_path).splitlines()[2:]
    # The vendored Noto Sans SC, named by core.pdf's family, embedded (and subset).
    assert fonts and all("Shanghui-Sans" in line for line in fonts), fonts
    assert all(line.split()[-5:-3] == ["yes", "yes"] for line in fonts), fonts


def test_the_report_for_the_secretariat_only(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    a_year_of_giving(side_a)
    slug = side_a.association.slug
    response = admin_a.get(f"/a/{slug}/office/charity/report/2020.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert member_a.get(f"/a/{slug}/office/charity/report/2020.pdf").status_code == 403
    assert admin_a.get(f"/a/{slug}/office/charity/report/1800.pdf").status_code == 404
    api = api_client_for(side_a.admin).get(f"/api/v1/associations/{slug}/charity/reports/2020")
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    member_api = api_client_for(side_a.member_user)
    assert member_api.get(f"/api/v1/associations/{slug}/charity/reports/2020").status_code == 403
