"""The public application form as an applicant meets it on a phone (issue 13 item 24):
required fields marked before sending, a chosen licence kept after an error, phone keypads,
placeholders and the language menu."""

import re
from pathlib import Path

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.core.storage.content import content_blocks
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import KEPT_UPLOAD_DIR, KEPT_UPLOAD_SALT
from shanghui.members.models import MembershipApplication
from shanghui.members.services.policy import membership_policy_update
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def licence(content: bytes = PNG, name: str = "营业执照.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "image/png")


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


def tag(html: str, id_: str) -> str:
    """The opening tag of the element with this id."""
    found = re.search(rf'<[a-z]+ [^>]*id="{id_}"[^>]*>', html)
    assert found, f"no element #{id_}"
    return found.group(0)


def label(html: str, id_: str) -> str:
    found = re.search(rf'<label[^>]*for="{id_}"[^>]*>.*?</label>', html, re.S)
    assert found, f"no label for #{id_}"
    return found.group(0)


def kept_files(media: Path) -> list[Path]:
    folder = media / KEPT_UPLOAD_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def test_required_fields_are_marked_before_sending(side_a: Side) -> None:
    url = f"/a/{side_a.association.slug}/join/"
    page = Client().get(url).content.decode()
    for id_ in ("id_name", "id_applicant_name", "id_applicant_phone"):
        assert " required" in tag(page, id_), id_
        assert 'class="sh-req"' in label(page, id_), id_
    assert 'class="sh-req"' in label(page, "id_kind")  # a select that always has a value
    # The consent box is required in the browser too, not only after a round trip.
    assert " required" in tag(page, "id_accept_privacy")
    assert 'class="sh-req"' in label(page, "id_accept_privacy")
    # Enterprises (the default type) must give the credit code and the licence.
    for id_ in ("id_uscc", "id_licence"):
        assert " required" in tag(page, id_), id_
        assert 'data-sh-required-if="kind=enterprise"' in tag(page, id_), id_
        assert re.search(r'class="sh-req" aria-hidden="true">\*', label(page, id_)), id_
    assert " required" not in tag(page, "id_address")
    assert 'class="sh-req"' not in label(page, "id_address")

    # An individual's page comes back without them required (the asterisk kept, hidden, for
    # app.js to show again if the type changes back).
    back = Client().post(url, filled(kind="individual", applicant_phone="135")).content.decode()
    assert " required" not in tag(back, "id_uscc")
    assert 'class="sh-req" aria-hidden="true" hidden>' in label(back, "id_uscc")


def test_referrers_are_marked_required_when_the_association_asks_for_them(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        membership_policy_update(
            association=a,
            actor=side_a.admin,
            member_no_pattern="{number:05d}",
            required_referrers=1,
            referrer_min_level=None,
        )
    url = f"/a/{a.slug}/join/"
    page = Client().get(url).content.decode()
    assert " required" in tag(page, "id_referrers")
    assert 'class="sh-req"' in label(page, "id_referrers")
    back = Client().post(url, filled(licence=licence())).content.decode()
    assert "本会入会需要 1 位介绍人" in back


def test_phone_placeholders_and_the_language_menu(side_a: Side) -> None:
    page = Client().get(f"/a/{side_a.association.slug}/join/").content.decode()
    phone = tag(page, "id_applicant_phone")
    assert 'type="tel"' in phone and 'inputmode="tel"' in phone and 'autocomplete="tel"' in phone
    assert "placeholder=" in phone
    for id_ in ("id_name", "id_uscc", "id_address", "id_applicant_name", "id_referrers"):
        assert "placeholder=" in tag(page, id_), id_
    assert 'name="language"' in page and "/i18n/setlang/" in page


def test_a_chosen_licence_is_kept_after_an_error_and_sent_with_the_fix(
    side_a: Side, media: Path
) -> None:
    a = side_a.association
    url = f"/a/{a.slug}/join/"
    browser = Client()
    first = browser.post(url, filled(applicant_phone="1357777", licence=licence()))
    page = first.content.decode()
    assert first.status_code == 200 and "请输入有效的中国大陆手机号" in page
    assert re.search(
        r"已选择：<span[^>]*>营业执照\.png</span>（<label[^>]*>重新选择</label>）", page
    )
    token = re.search(r'name="licence_kept" value="([^"]+)"', page)
    assert token
    assert " required" not in tag(page, "id_licence")  # the kept file is the answer
    assert len(kept_files(media)) == 1
    # Another error: still kept, and still one file.
    again = browser.post(url, filled(applicant_phone="1357777", licence_kept=token.group(1)))
    assert "营业执照.png" in again.content.decode() and len(kept_files(media)) == 1

    with as_app_role():
        done = browser.post(url, filled(licence_kept=token.group(1)))
    assert done.status_code == 302
    with tenant_context(a):
        filed = MembershipApplication.objects.get(name="宜春市明月山温泉度假有限公司")
        assert filed.licence is not None and filed.licence.name == "营业执照.png"
        assert b"".join(content_blocks(a, filed.licence.content)) == PNG
    assert kept_files(media) == []  # the temporary copy is gone


def test_a_refused_licence_is_not_kept(side_a: Side, media: Path) -> None:
    url = f"/a/{side_a.association.slug}/join/"
    fake = licence(b"<html>not a picture</html>")
    page = Client().post(url, filled(licence=fake)).content.decode()
    assert "文件内容与扩展名不符" in page
    assert "licence_kept" not in page and kept_files(media) == []


def test_a_kept_licence_token_opens_nothing_elsewhere(
    side_a: Side, side_b: Side, media: Path
) -> None:
    url_a = f"/a/{side_a.association.slug}/join/"
    page = Client().post(url_a, filled(applicant_phone="1", licence=licence())).content.decode()
    token = re.search(r'name="licence_kept" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    (stored,) = kept_files(media)

    # On another association's form the token names nothing: the licence is missing.
    url_b = f"/a/{side_b.association.slug}/join/"
    other = Client().post(url_b, filled(licence_kept=token))
    assert other.status_code == 200 and "请上传文件" in other.content.decode()

    # A path of the browser's choosing, or a token altered by hand, is never opened.
    data = signing.loads(token, salt=KEPT_UPLOAD_SALT)
    for forged in (
        signing.dumps({**data, "p": "member-applications/2026/01/营业执照.pdf"}, salt="x"),
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "../../settings.py",
    ):
        refused = Client().post(url_a, filled(licence_kept=forged))
        assert "请上传文件" in refused.content.decode()
    with tenant_context(side_a.association):
        assert not MembershipApplication.objects.exists()
    assert stored.exists()


def test_staff_typing_a_members_phone_get_the_keypad_not_their_own_number(
    side_a: Side, admin_a: Client
) -> None:
    page = admin_a.get(f"/a/{side_a.association.slug}/office/members/new/").content.decode()
    rep_phone = tag(page, "id_rep_phone")
    assert 'inputmode="tel"' in rep_phone and 'autocomplete="off"' in rep_phone
