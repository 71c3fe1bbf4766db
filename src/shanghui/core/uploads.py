"""Checks on uploaded files before any module stores them, and the stored pictures' small
variants and serving."""

import hashlib
import io
import logging
import re
import secrets
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from shanghui.core.ratelimit import RateLimited, rate_hit
from shanghui.core.types import Account, Tenant

if TYPE_CHECKING:
    from shanghui.core.models import StoredFile

logger = logging.getLogger(__name__)

IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
DOCUMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {".pdf": (b"%PDF",), **IMAGE_SIGNATURES}
TYPE_NAMES = {".pdf": "PDF", ".jpg": "JPG", ".jpeg": "JPG", ".png": "PNG"}


def validate_document_upload(
    upload: UploadedFile | None,
    *,
    field: str,
    signatures: dict[str, tuple[bytes, ...]] = DOCUMENT_SIGNATURES,
) -> None:
    """A scanned certificate or licence (PDF, JPEG or PNG) — or, with ``IMAGE_SIGNATURES``,
    a picture: not empty, not over the size limit, and its content matches its extension
    (its first bytes, then ``core.storage.checks.document_check`` for the kinds it knows)."""
    if upload is None:
        raise ValidationError({field: _("请上传文件")})
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in signatures:
        kinds = "、".join(dict.fromkeys(TYPE_NAMES[ext] for ext in signatures))
        raise ValidationError({field: _("仅支持 %(kinds)s 格式的文件") % {"kinds": kinds}})
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: _("文件是空的")})
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {field: _("文件不能超过 %(mb)d MB") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20}}
        )
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(signatures[extension]):
        raise ValidationError({field: _("文件内容与扩展名不符")})
    # Beyond the first bytes, the document library's check: an Office file's parts and zip
    # limits, a program under a document's name.
    from shanghui.core.storage.checks import EXTENSIONS, document_check

    if extension in EXTENSIONS:
        document_check(name, upload, field=field)


# --- Zip containers (xlsx/docx/pptx, .zip): one check of what their directory declares -------

# All parts of an Office file together, as declared in the zip: LibreOffice and openpyxl
# inflate them all. The member import may set its own (``MEMBER_IMPORT_MAX_UNZIPPED_BYTES``).
ZIP_MAX_UNZIPPED_BYTES = 200 * 2**20
ZIP_MAX_ENTRIES = 10_000
ZIP_READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError)


class ZipRefused(Exception):
    """A zip that must not be opened further: ``corrupt`` (not a readable zip), ``too_large``
    (more entries or more declared bytes than allowed — a zip bomb) or ``encrypted``. The
    caller words the message for its users."""

    def __init__(self, reason: Literal["corrupt", "too_large", "encrypted"]) -> None:
        super().__init__(reason)
        self.reason = reason


def zip_entries(fileobj: IO[bytes]) -> list[zipfile.ZipInfo]:
    """The entries of the zip's central directory (read from its end; nothing is
    inflated); ``ZipRefused("corrupt")`` when it has none that can be read."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return archive.infolist()
    except ZIP_READ_ERRORS as exc:
        raise ZipRefused("corrupt") from exc


def zip_limits(
    entries: list[zipfile.ZipInfo],
    *,
    max_unzipped_bytes: int = ZIP_MAX_UNZIPPED_BYTES,
    max_entries: int = ZIP_MAX_ENTRIES,
) -> None:
    """Refuses a zip bomb from its directory — too many entries, or more declared bytes
    than ``max_unzipped_bytes`` — and an encrypted zip. A part that inflates past its
    declared size fails zipfile's own checks when read (``zip_inflate``)."""
    declared = sum(entry.file_size for entry in entries)
    if len(entries) > max_entries or declared > max_unzipped_bytes:
        raise ZipRefused("too_large")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ZipRefused("encrypted")


def zip_inflate(fileobj: IO[bytes], entries: list[zipfile.ZipInfo]) -> None:
    """Inflates every entry once, in pieces, and forgets the bytes: proves that each part
    is whole (its CRC) and no larger than declared, before another program (LibreOffice)
    trusts the declared sizes. ``ZipRefused("corrupt")`` otherwise."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            for entry in entries:
                with archive.open(entry) as part:
                    while part.read(2**20):
                        pass
    except (*ZIP_READ_ERRORS, zlib.error, NotImplementedError) as exc:
        raise ZipRefused("corrupt") from exc
    finally:
        fileobj.seek(0)


IMAGE_MAX_SIDE = 600  # logos and portraits


def image_normalized(
    upload: UploadedFile | None, *, field: str, max_side: int = IMAGE_MAX_SIDE
) -> ContentFile[bytes]:
    """A picture, checked and re-encoded before it is stored.

    Accepts JPEG or PNG whose content matches the extension and which Pillow can decode,
    re-encoded by ``picture_encoded``: upright, at most ``max_side`` pixels a side, without
    metadata, refused from its header when larger than ``UPLOAD_IMAGE_MAX_PIXELS``."""
    validate_document_upload(upload, field=field, signatures=IMAGE_SIGNATURES)
    assert upload is not None
    data, extension = picture_encoded(upload, max_side=max_side, field=field)
    # The name the person gave it, with the extension of what it now is: the stored file is
    # listed under it among versions and the trash (core.storage.files).
    stem = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].rpartition(".")[0]
    return ContentFile(data, name=f"{stem or 'picture'}.{extension}")


def picture_too_large_message() -> str:
    return _("图片尺寸过大：最多 %(pixels)d 万像素，请缩小后再上传") % {
        "pixels": settings.UPLOAD_IMAGE_MAX_PIXELS // 10_000
    }


def picture_encoded(source: IO[bytes], *, max_side: int, field: str = "") -> tuple[bytes, str]:
    """A picture (any format Pillow reads: JPEG, PNG, GIF's first frame, WebP) re-encoded as
    PNG — when it was a PNG or GIF or has transparency, which keeps a logo's sharp edges —
    or else as JPEG; answers the bytes and "png" or "jpg".

    Re-encoding turns the picture upright (EXIF orientation), shrinks it to at most
    ``max_side`` pixels a side, and drops every metadata block — a phone photo's EXIF
    carries the place it was taken, which must not leak to other members.

    A picture of more than ``UPLOAD_IMAGE_MAX_PIXELS`` is refused from its header, before
    anything is decoded: a PNG of a few hundred KB can declare a canvas of gigabytes.
    Refusals are ``ValidationError`` (under ``field`` when given) with the code
    ``too_large`` or ``unreadable``."""

    def refused(message: str, code: str) -> ValidationError:
        error = ValidationError(message, code=code)
        return ValidationError({field: error}) if field else error

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as opened:
                if opened.width * opened.height > settings.UPLOAD_IMAGE_MAX_PIXELS:
                    raise refused(picture_too_large_message(), "too_large")
                as_png = opened.format in {"PNG", "GIF"} or (
                    opened.format == "WEBP" and "A" in opened.mode
                )
                # Shrinking first decodes a JPEG at an eighth, a quarter or half its size
                # (Pillow's draft); turning upright afterwards copies only the small picture.
                opened.thumbnail((max_side, max_side))
                picture = ImageOps.exif_transpose(opened)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise refused(picture_too_large_message(), "too_large") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise refused(_("图片无法识别，请换一张 JPG 或 PNG 图片"), "unreadable") from exc
    out = io.BytesIO()
    if as_png:
        picture.convert("RGBA" if picture.mode in {"RGBA", "LA", "P", "PA"} else "RGB").save(
            out, format="PNG", optimize=True
        )
        return out.getvalue(), "png"
    picture.convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue(), "jpg"


IMAGE_CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def image_content_type(name: str) -> str:
    """The content type to serve a stored picture with, or "" for anything but JPEG and PNG
    (an SVG or HTML file must never be served from our origin)."""
    lower = (name or "").lower()
    return next((mime for ext, mime in IMAGE_CONTENT_TYPES.items() if lower.endswith(ext)), "")


@dataclass(frozen=True)
class Variant:
    """A smaller copy of a stored picture, made once and stored beside it."""

    side: int
    square: bool  # the centre square, as a square avatar (``object-fit: cover``) shows it
    # A PNG variant larger than this is reduced to 256 colours (0: never). A photo-like PNG
    # thumbnail is ~15-20 KB in full colour, ~6-10 KB in a palette; a flat logo is a few KB
    # either way and keeps its exact colours.
    png_full_colour_max: int = 0


# ``thumb``: a list's avatar is 40–48 CSS px, so 96 px covers a 2× screen. ``screen``: an event
# cover spans a phone's width (~360 CSS px), so 750 px covers 2×; covers are kept at 1600 px.
# A variant's file name carries its side: a new side makes new files, lazily.
PICTURE_VARIANTS = {
    "thumb": Variant(side=96, square=True, png_full_colour_max=8 * 1024),
    "screen": Variant(side=750, square=False),
}
VARIANT_JPEG_QUALITY = 80
# A URL naming the picture's version (``?v=``) is cached for a year: a changed picture has a
# new name, hence a new version and URL. Without it, five minutes as before.
PICTURE_CACHE_SECONDS = 365 * 24 * 3600


def picture_version(file: "StoredFile | int | None") -> str:
    """A token that changes whenever the stored picture changes, for ``?v=`` in its URL ("" for
    no picture). Every change attaches a new ``StoredFile`` row, so a hash of its id will do
    — and a list reads the id from the record's own column, with no join."""
    file_id = file if isinstance(file, int) or file is None else file.pk
    return hashlib.blake2s(f"f{file_id}".encode(), digest_size=5).hexdigest() if file_id else ""


def _variant(picture: bytes, variant: Variant, *, as_png: bool) -> bytes:
    """A stored picture shrunk to the variant (never enlarged)."""
    side = variant.side
    with Image.open(io.BytesIO(picture)) as opened:
        opened.draft("RGB", (side * 2, side * 2))  # a JPEG decodes at a fraction of its size
        if variant.square:
            edge = min(side, *opened.size)
            shrunk = ImageOps.fit(opened, (edge, edge), Image.Resampling.LANCZOS)
        else:
            shrunk = opened.copy()
            shrunk.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if not as_png:
        shrunk.convert("RGB").save(out, format="JPEG", quality=VARIANT_JPEG_QUALITY, optimize=True)
        return out.getvalue()
    shrunk = shrunk.convert("RGBA" if shrunk.mode in {"RGBA", "LA", "P"} else "RGB")
    shrunk.save(out, format="PNG", optimize=True)
    if variant.png_full_colour_max and out.tell() > variant.png_full_colour_max:
        out = io.BytesIO()
        shrunk.quantize(256, method=Image.Quantize.FASTOCTREE).save(
            out, format="PNG", optimize=True
        )
    return out.getvalue()


def _picture_bytes(association: Tenant, file: "StoredFile") -> bytes:
    """The picture's bytes, verified (``ContentCorrupt`` when they no longer match)."""
    from shanghui.core.storage.content import content_blocks

    return b"".join(content_blocks(association, file.content))


def variant_path(file: "StoredFile", size: str = "thumb") -> Path:
    """Where the ``size`` variant of a stored picture is kept: a cache on the app server's
    disk, named by the content's hash and the variant's side (a new side makes new files,
    lazily). Variants are derived — made again from the verified picture when missing — so
    they are neither backed up nor counted in the quota."""
    variant = PICTURE_VARIANTS[size]
    png = file.extension == "png"
    return (
        Path(settings.PICTURE_CACHE_DIR)
        / str(file.association_id)
        / f"{file.content.sha256}.{size}{variant.side}.{'png' if png else 'jpg'}"
    )


def picture_variant(association: Tenant, file: "StoredFile", size: str = "thumb") -> Path:
    """The path of ``file``'s ``size`` variant, made first if it is not there yet (written to
    a temporary name and renamed: two requests making it at once both end with a whole
    file). Called when a picture is stored, so the first list that shows it does not wait,
    and when a variant is asked for, so a cache emptied or lost costs one slower view."""
    path = variant_path(file, size)
    if path.exists():
        return path
    data = _variant(
        _picture_bytes(association, file), PICTURE_VARIANTS[size], as_png=path.suffix == ".png"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{secrets.token_hex(8)}.{path.name}")
    temporary.write_bytes(data)
    temporary.replace(path)
    return path


def picture_put(
    association: Tenant, picture: ContentFile[bytes], *, holder: str, by: "Account | None" = None
) -> "StoredFile":
    """Stores ``picture`` (from ``image_normalized``) for the field ``holder`` names — not
    yet attached (``core.storage.files``) — and makes its thumbnail. With no transaction
    open, like ``file_store``."""
    from shanghui.core.storage.files import file_store

    stored = file_store(
        association,
        io.BytesIO(picture.read()),
        holder=holder,
        name=picture.name or "picture",
        by=by,
    )
    try:
        picture_variant(association, stored, "thumb")
    except (OSError, SyntaxError, ValueError):  # made on first view instead
        logger.warning("no thumbnail of %s", stored.pk, exc_info=True)
    return stored


def picture_response(
    association: Tenant, file: "StoredFile | None", *, size: str = "", version: str = ""
) -> HttpResponse:
    """Serves a stored picture to a viewer the caller has already checked; 404 when there is
    none (or its bytes no longer match: it is flagged, ``core.storage.content``). ``size``
    names a variant (``PICTURE_VARIANTS``), made now if missing — the picture itself when it
    cannot be made; an unknown size is a 404. With ``version`` equal to the picture's current
    ``picture_version`` the answer is cached for a year, else for five minutes — always
    ``private``: pictures of people are personal data, never kept by shared proxies."""
    from shanghui.core.storage.content import ContentCorrupt

    content_type = image_content_type(file.name) if file else ""
    if file is None or not content_type or (size and size not in PICTURE_VARIANTS):
        raise Http404
    data = b""
    try:
        if size:
            try:
                path = picture_variant(association, file, size)
                data = path.read_bytes()
                content_type = "image/png" if path.suffix == ".png" else "image/jpeg"
            except (OSError, SyntaxError, ValueError):  # served whole rather than not at all
                logger.warning("no %s variant of %s", size, file.pk, exc_info=True)
        if not data:
            data = _picture_bytes(association, file)
    except ContentCorrupt as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=content_type)
    fresh = bool(version) and version == picture_version(file)
    max_age = PICTURE_CACHE_SECONDS if fresh else 300
    response["Cache-Control"] = f"private, max-age={max_age}" + (", immutable" if fresh else "")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# A file chosen on a form that came back with an error is kept on the server for a while, so
# the person does not have to choose it again (a licence photographed on a phone).
KEPT_UPLOAD_DIR = "kept-uploads"
KEPT_UPLOAD_SALT = "shanghui.core.uploads.kept"
KEPT_UPLOAD_MAX_AGE = 24 * 3600
_KEPT_PATH = re.compile(rf"{KEPT_UPLOAD_DIR}/[0-9a-f]{{32}}\.(pdf|jpg|jpeg|png)")


@dataclass(frozen=True)
class KeptUpload:
    """A kept file: ``token`` goes back to the browser in a hidden field; ``name`` is the
    file's name as the person chose it, for "已选择：营业执照.png"."""

    token: str
    name: str
    path: str


def upload_keep(upload: UploadedFile, *, scope: str, client: str) -> KeptUpload | None:
    """Stores ``upload`` — already checked by ``validate_document_upload`` — under a random
    name and returns a token naming it, signed for ``scope`` (the form and the association:
    a token made for one does not open a file on another). The browser never names a path.
    None, and nothing stored, once ``client`` (an address) has kept ``upload_keep`` files
    in the window: the person then chooses the file again, as without this."""
    try:
        rate_hit("upload_keep", client)
    except RateLimited:
        return None
    original = (upload.name or "").rsplit("/", 1)[-1][-100:]
    extension = original[original.rfind(".") :].lower()
    path = default_storage.save(f"{KEPT_UPLOAD_DIR}/{secrets.token_hex(16)}{extension}", upload)
    token = signing.dumps({"s": scope, "p": path, "n": original}, salt=KEPT_UPLOAD_SALT)
    return KeptUpload(token=token, name=original, path=path)


def upload_kept(token: str, *, scope: str) -> KeptUpload | None:
    """The file a token from ``upload_keep`` names, if the token is genuine, made for this
    ``scope``, younger than a day, and the file is still there; otherwise None."""
    try:
        data = signing.loads(token, salt=KEPT_UPLOAD_SALT, max_age=KEPT_UPLOAD_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != scope:
        return None
    path, name = str(data.get("p", "")), str(data.get("n", ""))
    if not _KEPT_PATH.fullmatch(path) or not default_storage.exists(path):
        return None
    return KeptUpload(token=token, name=name, path=path)


def kept_upload_open(kept: KeptUpload) -> UploadedFile:
    """The kept file as an upload under its original name, to pass where a fresh upload
    would go (a FileField copies it to its own place)."""
    handle = default_storage.open(kept.path, "rb")
    return UploadedFile(handle, name=kept.name, size=default_storage.size(kept.path))


def kept_upload_discard(kept: KeptUpload | None) -> None:
    """Removes a kept file once it was used or replaced."""
    if kept is not None and default_storage.exists(kept.path):
        default_storage.delete(kept.path)


def kept_uploads_prune(*, before: datetime) -> int:
    """Deletes kept files stored before ``before`` (their tokens have expired or soon will);
    returns how many. For the daily clean-up."""
    return _directory_prune(KEPT_UPLOAD_DIR, before=before)


# Working files a module writes and reads back while a task runs (an import's cleaned rows):
# derived, never a record's file, and — since they may list phones — removed by the daily
# clean-up once older than ``TASK_RETENTION_DAYS`` whether or not their task dropped them.
SCRATCH_DIR = "scratch"


def scratch_save(content: IO[bytes], *, suffix: str) -> str:
    """Stores a working file under a new random name in the default storage; answers it."""
    return default_storage.save(f"{SCRATCH_DIR}/{secrets.token_hex(16)}{suffix}", File(content))


def scratch_prune(*, before: datetime) -> int:
    """Deletes working files written before ``before``; returns how many."""
    return _directory_prune(SCRATCH_DIR, before=before)


def _directory_prune(directory: str, *, before: datetime) -> int:
    try:
        _dirs, names = default_storage.listdir(directory)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{directory}/{name}"
        if default_storage.get_modified_time(path) < before:
            default_storage.delete(path)
            removed += 1
    return removed
