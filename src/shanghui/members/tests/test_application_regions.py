"""Regions chosen province › city › county (issue 13 item 24) on the public application form
and the back office's member form, stored as the one 6-digit GB/T 2260 code."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, MembershipApplication
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def tag(html: str, id_: str) -> str:
    found = re.search(rf'<[a-z]+ [^>]*id="{id_}"[^>]*>', html)
    assert found, f"no element #{id_}"
    return found.group(0)


def licence() -> SimpleUploadedFile:
    return SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4 licence", "application/pdf")


def filled(**changes: object) -> dict[str, object]:
    return {
        "kind": "enterprise",
        "name": "宜春市明月山温泉度假有限公司",
        "uscc": make_uscc("91", "360900"),
        "applicant_name": "解春华",
        "applicant_phone": "13577778888",
        "accept_privacy": "on",
        **changes,
    }


def test_regions_are_chosen_province_city_county(side_a: Side) -> None:
    a = side_a.association
    url = f"/a/{a.slug}/join/"
    page = Client().get(url).content.decode()
    province = re.search(r'<select name="region_code".*?</select>', page, re.S)
    assert province and '<option value="440000">广东省</option>' in province.group(0)
    assert tag(page, "id_region_code_city").endswith(" hidden>")  # nothing to choose yet
    assert 'type="text" name="region_code"' not in page  # no more typing 6-digit codes
    data = filled(
        licence=licence(),
        region_code="440000",
        region_code_city="440100",
        region_code_county="440106",
        # Without JavaScript a city of the province chosen before stays in the page: it
        # does not belong to 江西省, so the province is what was chosen.
        hometown_code="360000",
        hometown_code_city="440100",
    )
    assert Client().post(url, data).status_code == 302
    with tenant_context(a):
        filed = MembershipApplication.objects.get(name="宜春市明月山温泉度假有限公司")
    assert (filed.region_code, filed.hometown_code) == ("440106", "360000")


def test_back_office_member_form_uses_the_region_picker(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    with tenant_context(a):
        Member.objects.filter(pk=side_a.member.pk).update(
            region_code="440106", hometown_code="360731"
        )
    edit = f"/a/{a.slug}/office/members/{side_a.member.pk}/edit/"
    page = admin_a.get(edit).content.decode()
    for name, chain in (
        ("hometown_code", ("360000", "360700", "360731")),
        ("region_code", ("440000", "440100", "440106")),
    ):
        for suffix, code in zip(("", "_city", "_county"), chain, strict=True):
            select = re.search(rf'<select name="{name}{suffix}".*?</select>', page, re.S)
            assert select and f'<option value="{code}" selected>' in select.group(0), (name, code)
    assert "于都县" in page and "天河区" in page

    added = admin_a.post(
        f"/a/{a.slug}/office/members/new/",
        {
            "kind": "individual",
            "name": "曾国华",
            "hometown_code": "110000",
            "hometown_code_city": "110105",  # 北京市朝阳区: a district right under the city
            "rep_name": "曾国华",
            "rep_phone": "13911112222",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    with tenant_context(a):
        assert Member.objects.get(name="曾国华").hometown_code == "110105"
