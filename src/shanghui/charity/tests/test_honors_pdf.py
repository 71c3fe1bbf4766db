"""The honor certificate: the CJK font is embedded (pdffonts), the text a person reads is
there (pdftotext), and its QR code opens the public verification page (decoded from the
rendered page). Needs poppler-utils."""

import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
import zxingcpp
from django.conf import settings
from PIL import Image

from shanghui.charity.certificates import honor_certificate_pdf
from shanghui.charity.models import Honor
from shanghui.charity.services.honors import HonorInput, honor_create
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side
from shanghui.testing.programs import require_programs

from .honors_helpers import make_campaign


@pytest.fixture(autouse=True)
def _poppler() -> None:
    require_programs("pdffonts", "pdftotext", "pdftoppm", package="poppler-utils")


@pytest.mark.django_db
def test_the_certificate_embeds_its_font_names_the_honor_and_links_its_verify_page(
    side_a: Side, tmp_path: Path
) -> None:
    a = side_a.association
    campaign = make_campaign(side_a, "2020抗击新冠肺炎疫情")
    with tenant_context(a):
        honor = honor_create(
            association=a,
            actor=side_a.admin,
            data=HonorInput(
                direction=Honor.Direction.GIVEN,
                title="抗疫爱心企业",
                awarded_by="甲市江西商会",
                awarded_on=date(2020, 6, 1),
                member=side_a.member,
                campaign=campaign,
            ),
        )
        pdf = honor_certificate_pdf(association=a, honor=honor).content
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(
        ["pdffonts", str(path)],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()[2:]
    assert fonts, "the certificate uses no font"
    assert all(" yes " in f"{row} " for row in fonts), fonts  # emb
    assert any("Shanghui-Sans" in row for row in fonts), fonts
    page = "".join(
        subprocess.run(
            ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
            capture_output=True,
            check=True,
            text=True,
        ).stdout.split()
    )
    for expected in (
        "荣誉证书",
        "甲市龚氏实业有限公司",
        "抗疫爱心企业",
        "2020抗击新冠肺炎疫情",
        honor.certificate_no,
        "2020年6月1日",
        "扫码验证证书真伪",
    ):
        assert expected in page, expected
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "certificate.pdf", "page"],  # noqa: S607
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    codes = zxingcpp.read_barcodes(Image.open(BytesIO((tmp_path / "page.png").read_bytes())))
    expected_url = f"{settings.SITE_URL}/a/{a.slug}/charity/verify/{honor.verify_token}/"
    assert [code.text for code in codes] == [expected_url]
