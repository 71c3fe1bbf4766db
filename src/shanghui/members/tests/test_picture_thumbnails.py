"""Lists show a member's logo and a representative's photo as a 96 px thumbnail, not the
600 px picture: a directory page of 30 logos weighed megabytes. The thumbnail is served with
the picture's own access rules, and its URL changes with the picture."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client
from PIL import Image

from shanghui.core.models import StoredFile
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import variant_path
from shanghui.members.models import Member, Representative
from shanghui.testing.fixtures import Side
from shanghui.testing.pictures import noise, photo_like

pytestmark = pytest.mark.django_db

YEAR = "private, max-age=31536000, immutable"


def office(side: Side, path: str) -> str:
    return f"/a/{side.association.slug}/office/members/{side.member.pk}/{path}"


def card(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/directory/{side.member.pk}/{path}"


def set_logo(admin: Client, side: Side, content: bytes, name: str = "logo.jpg") -> None:
    response = admin.post(office(side, "logo/"), {"logo": SimpleUploadedFile(name, content)})
    assert response.status_code == 302


def pictures_in(html: str, path: str) -> list[str]:
    """The src of every <img> that shows ``path`` (a picture's URL without its query)."""
    return [
        src.replace("&amp;", "&")
        for src in re.findall(r'<img [^>]*src="([^"]+)"', html)
        if src.startswith(path)
    ]


def directory_logo(client: Client, side: Side) -> str:
    html = client.get(f"/a/{side.association.slug}/directory/").content.decode()
    [src] = pictures_in(html, card(side, "logo/"))
    return src


def body(response: HttpResponseBase) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined,no-any-return]


def logo_file(side: Side) -> StoredFile:
    with tenant_context(side.association):
        member = Member.objects.select_related("logo__content").get(pk=side.member.pk)
    assert member.logo is not None
    return member.logo


def test_the_directory_shows_a_small_thumbnail_of_a_large_photo(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    set_logo(admin_a, side_a, noise())
    src = directory_logo(member_a, side_a)
    assert "size=thumb" in src and "v=" in src
    thumb = member_a.get(src)
    assert thumb.status_code == 200
    assert thumb["Content-Type"] == "image/jpeg"
    assert thumb["Cache-Control"] == YEAR
    data = body(thumb)
    assert len(data) <= 8 * 1024
    assert Image.open(BytesIO(data)).size == (96, 96)
    # The card shows the picture itself, cached as long under its version.
    [full_src] = pictures_in(member_a.get(card(side_a)).content.decode(), card(side_a, "logo/"))
    assert "size=" not in full_src and "v=" in full_src
    full = member_a.get(full_src)
    assert full["Cache-Control"] == YEAR
    assert Image.open(BytesIO(body(full))).size == (600, 600)


def test_a_logo_with_transparency_keeps_it_in_its_thumbnail(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    set_logo(admin_a, side_a, photo_like(3, fmt="PNG"), name="logo.png")
    thumb = member_a.get(directory_logo(member_a, side_a))
    assert thumb["Content-Type"] == "image/png"
    data = body(thumb)
    picture = Image.open(BytesIO(data)).convert("RGBA")
    assert picture.size == (96, 96)
    assert picture.getpixel((0, 0))[3] == 0 and picture.getpixel((48, 48))[3] > 240
    assert len(data) <= 12 * 1024  # a photo-like PNG is reduced to 256 colours


def test_representatives_photos_on_the_card_are_thumbnails(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    with tenant_context(side_a.association):
        rep = Representative.objects.get(member=side_a.member)
    admin_a.post(
        office(side_a, f"representatives/{rep.pk}/photo/"),
        {"photo": SimpleUploadedFile("p.jpg", photo_like(1))},
    )
    path = card(side_a, f"people/{rep.pk}/photo/")
    for client, page in ((member_a, card(side_a)), (admin_a, office(side_a, ""))):
        [src] = pictures_in(client.get(page).content.decode(), path)
        assert "size=thumb" in src
        assert Image.open(BytesIO(body(client.get(src)))).size == (96, 96)


def test_thumbnails_follow_the_member_card_rules(
    side_a: Side, side_b: Side, admin_a: Client, member_a: Client, member_b: Client
) -> None:
    with tenant_context(side_a.association):
        rep = Representative.objects.get(member=side_a.member)
    set_logo(admin_a, side_a, photo_like(1))
    admin_a.post(
        office(side_a, f"representatives/{rep.pk}/photo/"),
        {"photo": SimpleUploadedFile("p.jpg", photo_like(2))},
    )
    logo = directory_logo(member_a, side_a)
    query = logo.partition("?")[2]
    photo = card(side_a, f"people/{rep.pk}/photo/") + "?size=thumb"
    assert member_a.get(photo).status_code == 200
    # Association B's member: 404 on A's slug, and on B's slug with A's ids.
    assert member_b.get(logo).status_code == 404
    assert member_b.get(photo).status_code == 404
    foreign = f"/a/{side_b.association.slug}/directory/{side_a.member.pk}/logo/?{query}"
    assert member_b.get(foreign).status_code == 404
    # A member who left is out of the directory for members, still on file for the office.
    with tenant_context(side_a.association):
        Member.objects.filter(pk=side_a.member.pk).update(status=Member.Status.WITHDRAWN)
    assert member_a.get(logo).status_code == 404
    assert member_a.get(photo).status_code == 404
    assert admin_a.get(logo).status_code == 200
    # Not signed in: to the sign-in page, not the picture.
    assert Client().get(logo).status_code == 302


def test_changing_the_picture_changes_its_url(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    set_logo(admin_a, side_a, photo_like(1))
    first = directory_logo(member_a, side_a)
    assert variant_path(logo_file(side_a)).exists()  # made when it was uploaded
    assert member_a.get(first)["Cache-Control"] == YEAR
    set_logo(admin_a, side_a, photo_like(2))
    second = directory_logo(member_a, side_a)
    assert second != first
    # A page cached with the old URL gets the new picture, cached for minutes only.
    stale = member_a.get(first)
    assert stale.status_code == 200 and stale["Cache-Control"] == "private, max-age=300"
    assert body(stale) == body(member_a.get(second))
    assert member_a.get(second)["Cache-Control"] == YEAR
    admin_a.post(office(side_a, "logo/"), {"remove": "1"})
    assert member_a.get(second).status_code == 404


def test_a_thumbnail_lost_from_the_cache_is_made_again_when_shown(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    set_logo(admin_a, side_a, photo_like(4))
    path = variant_path(logo_file(side_a))
    path.unlink()
    thumb = member_a.get(directory_logo(member_a, side_a))
    assert Image.open(BytesIO(body(thumb))).size == (96, 96)
    assert path.exists()


def test_thumbnails_through_the_api(side_a: Side, side_b: Side, admin_a: Client) -> None:
    base = f"/api/v1/associations/{side_a.association.slug}/members/{side_a.member.pk}"
    made = admin_a.post(f"{base}/logo", {"logo": SimpleUploadedFile("a.jpg", photo_like(1))})
    version = made.json()["logo_version"]
    assert version and made.json()["representatives"][0]["photo_version"] == ""
    thumb = admin_a.get(f"{base}/logo?size=thumb&v={version}")
    assert thumb.status_code == 200 and thumb["Cache-Control"] == YEAR
    assert Image.open(BytesIO(body(thumb))).size == (96, 96)
    assert admin_a.get(f"{base}/logo?size=huge").status_code == 404
    foreign = f"/api/v1/associations/{side_a.association.slug}/members/{side_b.member.pk}/logo"
    assert admin_a.get(f"{foreign}?size=thumb").status_code == 404
