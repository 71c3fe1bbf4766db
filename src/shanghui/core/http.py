"""Request types for views (what the middleware puts on a request), ids from requests, and
the file names of downloads."""

import re
import unicodedata
from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest
from django.utils.http import content_disposition_header
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from shanghui.accounts.models import Role
    from shanghui.associations.models import Association


class AppRequest(HttpRequest):
    htmx: HtmxDetails
    association: "Association | None"
    role: "Role | None"


class TenantRequest(AppRequest):
    """A request for a page inside an association's space (``TenantMiddleware`` ran)."""

    association: "Association"


def whole_number(value: object, *, below: int = 2**63) -> int | None:
    """A whole number written in ASCII digits — a query parameter, a form field — below
    ``below``, or None. ``str.isdigit`` alone also admits “²” and other digits ``int``
    refuses (a 500), and numbers beyond a database integer."""
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number < below else None


def id_or_404(value: object) -> int:
    """A database id from a URL or a form field; anything that is not one (malformed, beyond
    bigint) is answered with the same 404 as a missing id."""
    try:
        number = int(str(value))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 0 < number < 2**63:
        raise Http404
    return number


FILENAME_MAX_CHARS = 80
_FILENAME_LETTERS = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"}  # letters of any script, CJK too


def safe_filename(name: str, *, fallback: str = "download") -> str:
    """A download's file name kept to safe parts: letters of any script, digits, ``-``,
    ``_`` and single dots; everything else removed (path separators, quotes, line breaks,
    spaces, direction marks), at most 80 characters and an extension of ASCII letters and
    digits. Data such as a member number goes into file names only through this."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = "".join(c for c in extension if c.isascii() and c.isalnum())[:8]
    kept = "".join(c for c in stem if c in "-_." or unicodedata.category(c) in _FILENAME_LETTERS)
    kept = re.sub(r"\.{2,}", ".", kept).strip(".")[:FILENAME_MAX_CHARS].rstrip(".")
    stem = kept or fallback
    return f"{stem}.{extension}" if extension else stem


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition header of a download named ``filename`` (made safe by
    ``safe_filename``; a Chinese name is sent in RFC 5987 form, which every browser reads)."""
    return content_disposition_header(not inline, safe_filename(filename)) or "attachment"
