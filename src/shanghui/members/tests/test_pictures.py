"""Member logos and people's photos: checked, re-encoded without metadata, held in the
content store (a logo keeps its versions, a person's photo is gone when replaced), served only
to those who may see the member card."""

import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from shanghui.accounts.models import Role
from shanghui.associations.models import Association
from shanghui.core.models import StoredFile
from shanghui.core.storage.content import content_blocks
from shanghui.core.storage.files import file_versions
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, Person, Representative
from shanghui.members.services.pictures import member_logo_set, person_photo_set
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import PASSWORD, PersonFactory, RoleFactory
from shanghui.testing.fixtures import Side, client_for

GPS_IFD = 0x8825


def phone_photo(*, size: tuple[int, int] = (1600, 1200), fmt: str = "JPEG") -> bytes:
    """A picture as a phone takes it: large, with a GPS position in its EXIF (a PNG with
    transparency, as logos usually are)."""
    picture = Image.new(
        "RGBA" if fmt == "PNG" else "RGB", size, (200, 30, 30, 128)[: 4 if fmt == "PNG" else 3]
    )
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"  # Make
    exif.get_ifd(GPS_IFD)[2] = (22.0, 32.0, 0.0)  # latitude: Guangzhou
    out = BytesIO()
    picture.save(out, format=fmt, exif=exif)
    return out.getvalue()


def upload(name: str, content: bytes, field: str) -> dict[str, SimpleUploadedFile]:
    return {field: SimpleUploadedFile(name, content)}


def stored(association: Association, file_id: int | None) -> Image.Image:
    """The picture a record's ``logo_id`` / ``photo_id`` names, read from the content store."""
    assert file_id is not None
    with tenant_context(association):
        file = StoredFile.objects.select_related("content").get(pk=file_id)
    picture = Image.open(BytesIO(b"".join(content_blocks(association, file.content))))
    picture.load()
    return picture


def file_exists(association: Association, file_id: int | None) -> bool:
    with tenant_context(association):
        return StoredFile.objects.filter(pk=file_id).exists()


def office(side: Side, path: str) -> str:
    return f"/a/{side.association.slug}/office/members/{side.member.pk}/{path}"


def card(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/directory/{side.member.pk}/{path}"


@pytest.mark.django_db
def test_a_logo_is_stored_small_and_without_the_place_it_was_taken(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    response = admin_a.post(office(side_a, "logo/"), upload("门头.jpg", phone_photo(), "logo"))
    assert response.status_code == 302
    with tenant_context(side_a.association):
        member = Member.objects.get(pk=side_a.member.pk)
    assert member.logo is not None and member.logo.holder == "members.member.logo"
    assert member.logo.record_id == str(member.pk) and member.logo.created_by == side_a.admin
    picture = stored(side_a.association, member.logo_id)
    assert max(picture.size) == 600
    assert not picture.getexif()  # no camera make, no GPS
    # The card and the directory show it; the image is served to a member of A.
    assert card(side_a, "logo/") in member_a.get(card(side_a)).content.decode()
    directory = member_a.get(f"/a/{side_a.association.slug}/directory/").content.decode()
    assert card(side_a, "logo/") in directory
    served = member_a.get(card(side_a, "logo/"))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "private" in served["Cache-Control"]


@pytest.mark.django_db
def test_a_file_that_is_not_a_picture_changes_nothing(side_a: Side, admin_a: Client) -> None:
    response = admin_a.post(
        office(side_a, "logo/"),
        upload("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "logo"),
        follow=True,
    )
    assert "图片无法识别" in response.content.decode()
    pdf = admin_a.post(
        office(side_a, "logo/"), upload("logo.pdf", b"%PDF-1.4 x", "logo"), follow=True
    )
    assert "仅支持 JPG、PNG 格式的文件" in pdf.content.decode()
    with tenant_context(side_a.association):
        assert Member.objects.get(pk=side_a.member.pk).logo_id is None
        assert not StoredFile.objects.exists()


@pytest.mark.django_db
def test_replacing_a_logo_keeps_the_old_one_as_a_version_and_removing_it_trashes_it(
    side_a: Side, admin_a: Client
) -> None:
    admin_a.post(office(side_a, "logo/"), upload("a.png", phone_photo(fmt="PNG"), "logo"))
    with tenant_context(side_a.association):
        first = Member.objects.get(pk=side_a.member.pk).logo
    assert first is not None and first.name.endswith(".png")
    admin_a.post(office(side_a, "logo/"), upload("b.jpg", phone_photo(), "logo"))
    with tenant_context(side_a.association):
        member = Member.objects.get(pk=side_a.member.pk)
        versions = file_versions(member, "logo")
    assert member.logo_id not in (None, first.pk)
    assert [v.pk for v in versions] == [member.logo_id, first.pk]
    assert versions[1].replaced_at is not None and versions[1].deleted_at is None
    admin_a.post(office(side_a, "logo/"), {"remove": "1"})
    with tenant_context(side_a.association):
        member = Member.objects.get(pk=side_a.member.pk)
        # The logo removed goes to the trash; the version it had replaced is still kept.
        assert member.logo_id is None
        assert [v.pk for v in file_versions(member, "logo")] == [first.pk]
        trashed = StoredFile.objects.filter(deleted_at__isnull=False)
        assert [f.pk for f in trashed] == [versions[0].pk]
    assert admin_a.get(card(side_a, "logo/")).status_code == 404


@pytest.mark.django_db
def test_replacing_or_removing_a_persons_photo_keeps_no_old_file(side_a: Side) -> None:
    """A person's photo is personal data: the one replaced is gone, not kept as a version."""
    a = side_a.association
    with tenant_context(a):
        person = Person.objects.get(pk=side_a.person.pk)
        person_photo_set(
            association=a,
            actor=side_a.admin,
            person=person,
            upload=SimpleUploadedFile("a.jpg", phone_photo()),
        )
        first = Person.objects.get(pk=person.pk).photo_id
        person_photo_set(
            association=a,
            actor=side_a.admin,
            person=Person.objects.get(pk=person.pk),
            upload=SimpleUploadedFile("b.jpg", phone_photo(size=(800, 800))),
        )
        person = Person.objects.get(pk=person.pk)
        assert person.photo_id not in (None, first)
        assert [v.pk for v in file_versions(person, "photo")] == [person.photo_id]
        assert not StoredFile.objects.filter(pk=first).exists()
        person_photo_set(association=a, actor=side_a.admin, person=person, upload=None)
        assert Person.objects.get(pk=person.pk).photo_id is None
        assert not StoredFile.objects.filter(holder="members.person.photo").exists()


@pytest.mark.django_db
def test_a_logo_of_another_associations_member_is_never_served(
    side_a: Side, side_b: Side, admin_a: Client, member_b: Client
) -> None:
    """Ids guessed across associations: A's secretariat asks for B's member's logo on its own
    slug (page and API), B's member for A's member's logo on B's slug — all 404."""
    with tenant_context(side_b.association):
        member_logo_set(
            association=side_b.association,
            actor=side_b.admin,
            member=Member.objects.get(pk=side_b.member.pk),
            upload=SimpleUploadedFile("b.jpg", phone_photo()),
        )
    admin_a.post(office(side_a, "logo/"), upload("a.jpg", phone_photo(), "logo"))
    slug_a, slug_b = side_a.association.slug, side_b.association.slug
    for query in ("", "?size=thumb"):
        page_a = f"/a/{slug_a}/directory/{side_b.member.pk}/logo/{query}"
        api_a = f"/api/v1/associations/{slug_a}/members/{side_b.member.pk}/logo{query}"
        page_b = f"/a/{slug_b}/directory/{side_a.member.pk}/logo/{query}"
        assert admin_a.get(page_a).status_code == 404
        assert admin_a.get(api_a).status_code == 404
        assert member_b.get(page_b).status_code == 404
    assert member_b.get(f"/a/{slug_b}/directory/{side_b.member.pk}/logo/").status_code == 200


@pytest.mark.django_db
def test_pictures_follow_the_member_card_rules(
    side_a: Side, side_b: Side, admin_a: Client, member_a: Client, member_b: Client
) -> None:
    with tenant_context(side_a.association):
        rep = Representative.objects.get(member=side_a.member)
    admin_a.post(office(side_a, "logo/"), upload("a.jpg", phone_photo(), "logo"))
    admin_a.post(
        office(side_a, f"representatives/{rep.pk}/photo/"),
        upload("p.jpg", phone_photo(), "photo"),
    )
    photo_url = card(side_a, f"people/{rep.pk}/photo/")
    assert member_a.get(photo_url).status_code == 200
    assert photo_url in member_a.get(card(side_a)).content.decode()
    # Association B's member: 404 on A's slug, and on B's slug with A's ids.
    assert member_b.get(card(side_a, "logo/")).status_code == 404
    assert member_b.get(photo_url).status_code == 404
    foreign = f"/a/{side_b.association.slug}/directory/{side_a.member.pk}/logo/"
    assert member_b.get(foreign).status_code == 404
    # A member who left is out of the directory for members, still on file for the office.
    with tenant_context(side_a.association):
        Member.objects.filter(pk=side_a.member.pk).update(status=Member.Status.WITHDRAWN)
    assert member_a.get(card(side_a, "logo/")).status_code == 404
    assert admin_a.get(card(side_a, "logo/")).status_code == 200
    # Members may look, not change.
    refused = member_a.post(office(side_a, "logo/"), upload("x.jpg", phone_photo(), "logo"))
    assert refused.status_code == 403


@pytest.mark.django_db
def test_my_photo_goes_to_every_association_i_belong_to(side_a: Side, side_b: Side) -> None:
    user = side_a.member_user
    RoleFactory(association=side_b.association, user=user, kind=Role.Kind.MEMBER)
    with tenant_context(side_b.association):
        PersonFactory(association=side_b.association, name=user.name, user=user)
    me = client_for(user)
    assert me.get("/me/photo/").status_code == 404
    with as_app_role():  # a person's writes in every association: under row-level security
        response = me.post("/me/photo/", upload("自拍.jpg", phone_photo(), "photo"))
    assert response.status_code == 302
    for association in (side_a.association, side_b.association):
        with tenant_context(association):
            person = Person.objects.get(user=user)
            assert person.photo is not None and person.photo.association_id == association.pk
        assert not stored(association, person.photo_id).getexif()
    shown = me.get("/me/photo/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert "/me/photo/" in me.get("/me/").content.decode()
    with tenant_context(side_a.association):
        first = Person.objects.get(user=user).photo_id
    with as_app_role():  # a new photo: the one it replaces is gone, in every association
        me.post("/me/photo/", upload("新自拍.jpg", phone_photo(size=(900, 900)), "photo"))
    for association in (side_a.association, side_b.association):
        with tenant_context(association):
            person = Person.objects.get(user=user)
            assert [v.pk for v in file_versions(person, "photo")] == [person.photo_id]
    assert not file_exists(side_a.association, first)
    with as_app_role():
        me.post("/me/photo/", {"remove": "1"})
    for association in (side_a.association, side_b.association):
        with tenant_context(association):
            assert Person.objects.get(user=user).photo_id is None
            assert not StoredFile.objects.filter(holder="members.person.photo").exists()
    assert me.get("/me/photo/").status_code == 404


@pytest.mark.django_db
def test_deleting_my_account_removes_the_photos_i_set_but_not_the_secretariats(
    side_a: Side, side_b: Side
) -> None:
    """My own photo is mine and goes with my account; the photo an association's secretariat
    keeps in its records (set by them, or over mine) stays theirs."""
    user = side_a.member_user
    RoleFactory(association=side_b.association, user=user, kind=Role.Kind.MEMBER)
    with tenant_context(side_b.association):
        in_b = PersonFactory(association=side_b.association, name=user.name, user=user)
    me = client_for(user)
    me.post("/me/photo/", upload("自拍.jpg", phone_photo(), "photo"))
    with tenant_context(side_b.association):  # B's secretariat puts its own over mine
        person_photo_set(
            association=side_b.association,
            actor=side_b.admin,
            person=Person.objects.get(pk=in_b.pk),
            upload=SimpleUploadedFile("证件照.jpg", phone_photo()),
        )
        kept = Person.objects.get(pk=in_b.pk).photo_id
    me.post("/me/photo/", upload("新自拍.jpg", phone_photo(), "photo"))  # B's photo stays B's
    with tenant_context(side_b.association):
        assert Person.objects.get(pk=in_b.pk).photo_id == kept
    with tenant_context(side_a.association):
        mine = Person.objects.get(pk=side_a.person.pk).photo_id
    assert mine is not None and file_exists(side_a.association, mine)

    with as_app_role():
        response = me.post("/me/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    with tenant_context(side_a.association):
        assert Person.objects.get(pk=side_a.person.pk).photo_id is None
        # Its stored file is gone with it, not kept as a version nor in a trash.
        assert not StoredFile.objects.filter(holder="members.person.photo").exists()
    with tenant_context(side_b.association):
        assert Person.objects.get(pk=in_b.pk).photo_id == kept
    assert file_exists(side_b.association, kept)


@pytest.mark.django_db
def test_pictures_through_the_api(side_a: Side, side_b: Side) -> None:
    api = Client()
    api.force_login(side_a.admin)
    base = f"/api/v1/associations/{side_a.association.slug}/members/{side_a.member.pk}"
    missing = api.post(f"{base}/logo")
    assert missing.status_code == 400
    set_logo = api.post(f"{base}/logo", upload("a.png", phone_photo(fmt="PNG"), "logo"))
    assert set_logo.status_code == 200, set_logo.content
    assert set_logo.json()["has_logo"] is True
    got = api.get(f"{base}/logo")
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    rep_id = set_logo.json()["representatives"][0]["id"]
    bad = api.post(
        f"{base}/representatives/{rep_id}/photo", upload("p.jpg", b"not a jpeg", "photo")
    )
    assert bad.status_code == 400
    assert "文件内容与扩展名不符" in bad.content.decode()
    ok = api.post(f"{base}/representatives/{rep_id}/photo", upload("p.jpg", phone_photo(), "photo"))
    assert ok.json()["representatives"][0]["has_photo"] is True
    assert api.get(f"{base}/representatives/{rep_id}/photo").status_code == 200
    assert api.delete(f"{base}/representatives/{rep_id}/photo").status_code == 204
    assert api.get(f"{base}/representatives/{rep_id}/photo").status_code == 404
    assert api.delete(f"{base}/logo").status_code == 204
    assert api.get(f"{base}/logo").status_code == 404
    # Another association's member, through A's slug: 404, nothing stored.
    foreign = f"/api/v1/associations/{side_a.association.slug}/members/{side_b.member.pk}/logo"
    assert api.post(foreign, upload("a.jpg", phone_photo(), "logo")).status_code == 404
    with tenant_context(side_b.association):
        assert Member.objects.get(pk=side_b.member.pk).logo_id is None
    me = Client()
    me.force_login(side_a.member_user)
    with as_app_role():
        photo = upload("me.jpg", phone_photo(), "photo")
        assert me.post("/api/v1/me/photo", photo).status_code == 200
        assert me.get("/api/v1/me/photo").status_code == 200
        assert me.delete("/api/v1/me/photo").status_code == 204


def png_canvas(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A valid black PNG of any size, written row by row without holding the picture: a few
    hundred KB that decode to width × height pixels. ``rows`` stops the data early (enough for
    a header that must be refused before any row is read)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    packer = zlib.compressobj(6)
    block = (b"\x00" + bytes(width * 3)) * 100
    data = b"".join(packer.compress(block) for _ in range((rows or height) // 100))
    data += packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@contextmanager
def pillow_memory() -> Iterator[dict[str, int]]:
    """Counts the MiB of picture memory Pillow hands out inside the block (its allocator in
    1 MiB blocks; Python's tracemalloc does not see it)."""
    measured: dict[str, int] = {}
    block_size = Image.core.get_block_size()
    Image.core.set_block_size(2**20)
    Image.core.reset_stats()
    try:
        yield measured
    finally:
        stats = Image.core.get_stats()
        Image.core.set_block_size(block_size)
        measured["mib"] = stats["allocated_blocks"] + stats["reused_blocks"]


TOO_LARGE = "图片尺寸过大：最多 4000 万像素"


@pytest.mark.django_db
def test_a_small_png_declaring_a_huge_canvas_is_refused_before_it_is_decoded(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    canvas = png_canvas(8000, 6000)  # 48 million pixels in about 140 KB
    assert len(canvas) < 200 * 1024
    api_base = f"/api/v1/associations/{side_a.association.slug}/members/{side_a.member.pk}"
    with pillow_memory() as used:
        page = admin_a.post(
            office(side_a, "logo/"), upload("logo.png", canvas, "logo"), follow=True
        )
        mine = member_a.post("/me/photo/", upload("自拍.png", canvas, "photo"), follow=True)
        api = admin_a.post(f"{api_base}/logo", upload("logo.png", canvas, "logo"))
        my_api = member_a.post("/api/v1/me/photo", upload("me.png", canvas, "photo"))
    assert TOO_LARGE in page.content.decode()
    assert TOO_LARGE in mine.content.decode()
    assert api.status_code == 400 and TOO_LARGE in api.json()["error"]["message"]
    assert my_api.status_code == 400 and TOO_LARGE in my_api.json()["error"]["message"]
    assert used["mib"] == 0  # not one row of the picture was decoded
    with tenant_context(side_a.association):
        assert Member.objects.get(pk=side_a.member.pk).logo_id is None
        assert Person.objects.get(pk=side_a.person.pk).photo_id is None


@pytest.mark.django_db
def test_a_picture_beyond_pillows_own_limit_gets_the_same_message(
    side_a: Side, admin_a: Client
) -> None:
    bomb = png_canvas(20000, 20000, rows=100)  # 400 million pixels
    with pillow_memory() as used:
        response = admin_a.post(office(side_a, "logo/"), upload("b.png", bomb, "logo"), follow=True)
    assert TOO_LARGE in response.content.decode()
    assert used["mib"] == 0


@pytest.mark.django_db
def test_a_phone_photo_is_shrunk_while_it_is_decoded(side_a: Side, admin_a: Client) -> None:
    photo = phone_photo(size=(4000, 3000))  # 12 million pixels: 46 MiB decoded in full
    with pillow_memory() as used:
        response = admin_a.post(office(side_a, "logo/"), upload("门头.jpg", photo, "logo"))
    assert response.status_code == 302
    assert used["mib"] < 30  # decoding it whole took over 100
    with tenant_context(side_a.association):
        member = Member.objects.get(pk=side_a.member.pk)
    assert max(stored(side_a.association, member.logo_id).size) == 600
