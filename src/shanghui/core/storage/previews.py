"""Previews of stored documents: what a browser (WeChat's included) can show inline.

- pictures (JPG, PNG, GIF, WebP): re-encoded by ``picture_encoded`` — upright, at most
  ``PREVIEW_IMAGE_MAX_SIDE`` pixels a side, no metadata; a decompression bomb is refused from
  its header by the pixel limit;
- PDF: the file itself, served inline;
- Word, Excel and PowerPoint files (.docx/.xlsx/.pptx/.doc/.xls/.ppt): converted to PDF by
  LibreOffice (``soffice --headless --convert-to pdf``);
- everything else — Kingsoft .wps/.et/.dps (no real files tested), text, zip, video,
  and Office files protected by a password — is not previewed.

``preview_make`` takes seconds of CPU and may take a minute: it is called by a background
task, never in a request. Each conversion runs in a directory of its own under
``FILE_UPLOAD_TEMP_DIR`` (``preview-<random>``, removed afterwards) with a LibreOffice user
profile of its own (two conversions at once would otherwise share, and lock, one profile),
in a process group of its own that is killed when ``PREVIEW_TIME_LIMIT`` seconds pass. The
profile turns macros off and sends any network fetch of a linked picture or file to a closed
port: a document must not make the server call addresses of the document's choosing.
"""

import contextlib
import io
import logging
import os
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shanghui.core.models import StoredContent
from shanghui.core.storage.checks import document_check, extension_of
from shanghui.core.storage.content import (
    ContentCorrupt,
    ContentTooLarge,
    content_blocks,
    content_put,
    size_label,
)
from shanghui.core.types import Tenant
from shanghui.core.uploads import picture_encoded

logger = logging.getLogger(__name__)

PREVIEW_IMAGE_MAX_SIDE = 1600  # a phone's screen at 2× and a desktop's page
PREVIEW_TIME_LIMIT = 60  # seconds, unless settings.PREVIEW_TIME_LIMIT says otherwise
PREVIEW_MAX_BYTES = 100 * 2**20  # the PDF LibreOffice writes
PREVIEW_SOURCE_MAX_BYTES = 100 * 2**20  # larger Office files are not converted
SOFFICE = "soffice"

# Closed port for every proxy: LibreOffice fetching a linked picture gets "connection
# refused" instead of reaching an address a document names (an internal service …).
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}
</oor:items>
"""
_PROFILE_ITEMS = (
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "1"),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetFTPProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetFTPProxyPort", "9"),
    ("/org.openoffice.Office.Common/Misc", "UseLocking", "false"),
)


class PreviewFailed(Exception):
    """No preview could be made; ``message`` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def preview_time_limit() -> float:
    return float(getattr(settings, "PREVIEW_TIME_LIMIT", PREVIEW_TIME_LIMIT))


def preview_max_bytes() -> int:
    return int(getattr(settings, "PREVIEW_MAX_BYTES", PREVIEW_MAX_BYTES))


def preview_kind(name: str) -> str:
    """How a file named ``name`` is previewed: "image", "pdf", "office", or "" (not)."""
    from shanghui.core.storage.checks import EXTENSIONS

    kind = EXTENSIONS.get(extension_of(name))
    return kind.preview if kind else ""


def preview_make(association: Tenant, content: StoredContent, *, name: str) -> StoredContent | None:
    """The preview of ``content`` — the stored file named ``name`` (its extension says the
    kind; the content is checked again by ``document_check`` before anything opens it) — as
    content of the same association: ``content`` itself for a PDF, a new row for a picture
    or an Office file, None for a kind that is not previewed (or an Office file protected by
    a password). For a background task only (an Office file takes seconds, at most
    ``PREVIEW_TIME_LIMIT``); call it with no transaction open, as ``content_put``.

    Raises ``PreviewFailed`` with a message for the user when the content is corrupt, too
    large, not what its name says, or LibreOffice fails or runs out of time. The preview is
    stored without the quota check (it is small and derived); it counts towards usage."""
    kind = preview_kind(name)
    if not kind:
        return None
    workdir = Path(settings.FILE_UPLOAD_TEMP_DIR) / f"preview-{secrets.token_hex(8)}"
    workdir.mkdir(parents=True)
    try:
        source = workdir / f"document{extension_of(name)}"
        _copy_verified(association, content, source)
        try:
            checked = document_check(name, source)
        except ValidationError as exc:
            raise PreviewFailed(exc.messages[0]) from exc
        if not checked.previewable:
            return None
        if kind == "pdf":
            return content
        data = _picture_preview(source) if kind == "image" else office_pdf(source, workdir)
        try:
            return content_put(
                association, io.BytesIO(data), max_bytes=preview_max_bytes(), check_quota=False
            )
        except ContentTooLarge as exc:
            raise _too_large() from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _too_large() -> PreviewFailed:
    return PreviewFailed(
        _("预览文件过大（超过 %(size)s），无法预览，请下载查看")
        % {"size": size_label(preview_max_bytes())}
    )


def _copy_verified(association: Tenant, content: StoredContent, target: Path) -> None:
    """The content's bytes into ``target``, each block verified as it is read."""
    limit = int(getattr(settings, "PREVIEW_SOURCE_MAX_BYTES", PREVIEW_SOURCE_MAX_BYTES))
    if content.size > limit:
        raise PreviewFailed(
            _("文件过大（超过 %(size)s），不生成预览，请下载查看") % {"size": size_label(limit)}
        )
    try:
        with open(target, "xb") as out:
            for block in content_blocks(association, content):
                out.write(block)
    except ContentCorrupt as exc:
        raise PreviewFailed(_("文件校验失败，可能已损坏，已通知管理员")) from exc


def _picture_preview(source: Path) -> bytes:
    try:
        with open(source, "rb") as handle:
            data, _extension = picture_encoded(handle, max_side=PREVIEW_IMAGE_MAX_SIDE)
    except ValidationError as exc:
        if exc.code == "too_large":
            raise PreviewFailed(exc.messages[0]) from exc
        raise PreviewFailed(_("图片无法识别，无法生成预览，请下载查看")) from exc
    return data


def _profile(directory: Path) -> str:
    """A fresh LibreOffice user profile with macros off and every proxy a closed port;
    answers its URL for ``-env:UserInstallation``."""
    user = directory / "user"
    user.mkdir(parents=True)
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{prop}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for path, prop, value in _PROFILE_ITEMS
    )
    (user / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS.format(items=items))
    return directory.as_uri()


def office_pdf(source: Path, workdir: Path) -> bytes:
    """``source`` (an Office file, named by its extension) converted to PDF by LibreOffice in
    ``workdir``: its own profile, its own process group killed after the time limit, the
    PDF's size checked. Raises ``PreviewFailed``."""
    soffice = shutil.which(getattr(settings, "PREVIEW_SOFFICE", SOFFICE))
    if soffice is None:
        logger.error("LibreOffice (soffice) is not installed: no Office previews")
        raise PreviewFailed(_("服务器未安装预览组件，暂时无法预览 Office 文件，请下载查看"))
    outdir = workdir / "out"
    command = [
        soffice,
        f"-env:UserInstallation={_profile(workdir / 'profile')}",
        "--headless",
        "--invisible",
        "--nodefault",
        "--nologo",
        "--nolockcheck",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(source),
    ]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
    }
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - a fixed program, our own file name
        command,
        cwd=workdir,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: soffice starts soffice.bin
    )
    try:
        output, _unused = process.communicate(timeout=preview_time_limit())
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise PreviewFailed(
            _("文件转换超时（超过 %(seconds)d 秒），无法预览，请下载查看")
            % {"seconds": preview_time_limit()}
        ) from exc
    finally:
        _kill_group(process)  # nothing of it outlives the conversion
    elapsed = time.monotonic() - started
    pdf = outdir / f"{source.stem}.pdf"
    logger.info("converted %s to PDF in %.1f s", source.suffix, elapsed)
    if process.returncode != 0 or not pdf.is_file():
        logger.warning(
            "LibreOffice failed on %s (exit %s): %s",
            source.suffix,
            process.returncode,
            output.decode(errors="replace")[-500:],
        )
        raise PreviewFailed(_("文件无法转换为预览，可能已损坏或格式不受支持，请下载查看"))
    if pdf.stat().st_size > preview_max_bytes():
        raise _too_large()
    with open(pdf, "rb") as handle:
        data = handle.read()
    if not data.startswith(b"%PDF-"):
        raise PreviewFailed(_("文件无法转换为预览，可能已损坏或格式不受支持，请下载查看"))
    return data


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
