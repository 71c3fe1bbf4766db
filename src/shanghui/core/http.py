"""Ids from requests, the addresses of a list's rows, and downloads: their file names and the
one way a download is answered. (The request types views take — what the middleware puts on
a request — are the tenant door's: ``accounts.tenant_door.TenantRequest``.)"""

import mimetypes
import re
import unicodedata
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header


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


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the files we build are sent as (``mimetypes`` depends on the machine's tables).
DOWNLOAD_TYPES = {
    "pdf": "application/pdf",
    "xlsx": XLSX_CONTENT_TYPE,
    "ics": "text/calendar; charset=utf-8",
    "json": "application/json",
}


def attachment_response(
    content: bytes, filename: str, *, content_type: str = "", inline: bool = False
) -> HttpResponse:
    """A download built for this answer (an export, a PDF) named ``filename`` (made safe by
    ``safe_filename``), saved by the browser or, ``inline``, shown in it. The type is
    ``content_type``, else taken from the name's extension. Stored files go out through
    ``core.storage.files.file_response``, verified as they are sent."""
    name = safe_filename(filename)
    extension = name.rpartition(".")[2].lower()
    guessed = DOWNLOAD_TYPES.get(extension) or mimetypes.guess_type(name)[0]
    response = HttpResponse(
        content, content_type=content_type or guessed or "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    return response


@dataclass(frozen=True)
class RowUrl:
    """The address of each row of a list, reversed once per page: a row's address is
    ``{{ url.head }}{{ row.id }}{{ url.tail }}`` in the template, where ``{% url %}`` per row
    resolved the pattern again for each (about a tenth of a millisecond each)."""

    head: str
    tail: str


# An id no row has, accepted by the ``int`` converter, marking where a row's id goes.
_ROW_ID_MARK = 987654321987654321


def row_url(viewname: str, *, id_kwarg: str, **kwargs: object) -> RowUrl:
    url = reverse(viewname, kwargs={**kwargs, id_kwarg: _ROW_ID_MARK})
    head, tail = url.split(str(_ROW_ID_MARK))
    return RowUrl(head, tail)
