"""Share links (分享链接): anyone holding the link — and its password, when one is set — may
download one file until the link expires (1–30 days) or is revoked. Only the token's SHA-256
is stored, so the table leaks no usable link; the link names its association
(``/a/<slug>/documents/s/<token>/``) and opens only there. Password attempts are rate-limited
per link and client address (``share_password``); every create, revoke and download is in the
audit log."""

import hashlib
import secrets
from datetime import timedelta
from enum import StrEnum

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.ratelimit import RateLimited, rate_count, rate_hit, rate_of, rate_reset
from shanghui.documents.models import DriveFile, FileVersion, Folder, ShareLink

SHARE_DAYS_DEFAULT = 7
SHARE_DAYS_MAX = 30
PASSWORD_MAX = 64


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def share_create(
    *,
    association: Association,
    actor: User,
    file: DriveFile,
    days: int = SHARE_DAYS_DEFAULT,
    password: str = "",
) -> tuple[ShareLink, str]:
    """A new link to the live ``file`` for ``days`` (1–30) days, with an optional password
    (stored hashed). Answers the link and its token — shown this once, never stored."""
    if file.deleted_at is not None:
        raise ValidationError({"file": _("文件已被删除")})
    if not isinstance(days, int) or not 1 <= days <= SHARE_DAYS_MAX:
        raise ValidationError({"days": _("有效期须为 1–30 天")})
    password = (password or "").strip()
    if len(password) > PASSWORD_MAX:
        raise ValidationError({"password": _("密码不能超过 64 个字符")})
    token = secrets.token_urlsafe(24)
    share = ShareLink.objects.create(
        association=association,
        file=file,
        token_sha256=token_digest(token),
        password_hash=make_password(password) if password else "",
        expires_at=timezone.now() + timedelta(days=days),
        created_by=actor,
    )
    audit(
        actor=actor,
        action="documents.share.create",
        association=association,
        target=file,
        summary=file.name,
        data={"share": share.pk, "days": days, "password": bool(password)},
    )
    return share, token


@transaction.atomic
def share_revoke(*, association: Association, actor: User, share: ShareLink) -> ShareLink:
    """Ends the link now (idempotent)."""
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        ShareLink.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
            revoked_at=share.revoked_at
        )
        audit(
            actor=actor,
            action="documents.share.revoke",
            association=association,
            target=share.file,
            summary=share.file.name,
            data={"share": share.pk},
        )
    return share


def shares_of(*, association: Association, file: DriveFile) -> QuerySet[ShareLink]:
    """The file's links, newest first (revoked and expired ones too, marked by their state)."""
    return ShareLink.objects.filter(association=association, file=file).order_by("-created_at")


def access_share(*, association: Association, file: DriveFile, share_id: int) -> ShareLink:
    share = (
        ShareLink.objects.filter(association=association, file=file, pk=share_id)
        .select_related("file")
        .first()
    )
    if share is None:
        raise Http404
    return share


def access_share_by_token(*, association: Association, share_token: str) -> ShareLink:
    """The link ``share_token`` names in ``association`` — whatever its state — or 404: an
    unknown token and one of another association's look the same."""
    if not share_token or len(share_token) > 100:
        raise Http404
    share = (
        ShareLink.objects.filter(association=association, token_sha256=token_digest(share_token))
        .select_related("file", "file__current", "file__current__content")
        .first()
    )
    if share is None:
        raise Http404
    return share


def _in_trashed_folder(file: DriveFile) -> bool:
    """Whether the file's folder, or one above it, is in the trash (the file goes with it)."""
    folder_id: int | None = file.folder_id
    while folder_id is not None:
        row = (
            Folder.objects.filter(association=file.association_id, pk=folder_id)
            .values_list("parent_id", "deleted_at")
            .first()
        )
        if row is None or row[1] is not None:
            return True
        folder_id = row[0]
    return False


class ShareState(StrEnum):
    OPEN = "open"
    EXPIRED = "expired"
    REVOKED = "revoked"
    DELETED = "deleted"


def share_state(share: ShareLink) -> ShareState:
    if share.revoked_at is not None:
        return ShareState.REVOKED
    if (
        share.file.deleted_at is not None
        or share.file.current_id is None
        or _in_trashed_folder(share.file)
    ):
        return ShareState.DELETED
    if share.expires_at <= timezone.now():
        return ShareState.EXPIRED
    return ShareState.OPEN


STATE_MESSAGES = {
    ShareState.EXPIRED: _("此分享链接已过期，请联系分享人重新分享。"),
    ShareState.REVOKED: _("此分享链接已被分享人取消。"),
    ShareState.DELETED: _("分享的文件已被删除。"),
}


def state_message(state: ShareState) -> str:
    return str(STATE_MESSAGES.get(state, ""))


def share_download(
    *, association: Association, share: ShareLink, password: str = "", client: str = ""
) -> FileVersion:
    """The version a visitor may download through ``share``: checks its state and password
    (at most ``share_password`` attempts per link and address), counts the download and logs
    it. Raises ValidationError with the reason otherwise, RateLimited past the limit."""
    state = share_state(share)
    if state is not ShareState.OPEN:
        raise ValidationError(state_message(state))
    if share.password_hash:
        key = f"{share.pk}:{client}"
        if share_password_blocked(share=share, client=client):
            raise RateLimited("share_password", rate_of("share_password").seconds)
        if not check_password(password or "", share.password_hash):
            rate_hit("share_password", key)
            raise ValidationError({"password": _("密码不正确")})
        rate_reset("share_password", key)
    with transaction.atomic():
        ShareLink.objects.filter(pk=share.pk).update(downloads=F("downloads") + 1)
        audit(
            actor=None,
            action="documents.share.download",
            association=association,
            target=share.file,
            summary=share.file.name,
            data={"share": share.pk},
        )
    share.downloads += 1
    version = share.file.current
    assert version is not None  # share_state said OPEN
    return version


def share_password_blocked(*, share: ShareLink, client: str) -> bool:
    """Whether this address has used up its password attempts on the link for now."""
    return rate_count("share_password", f"{share.pk}:{client}") >= rate_of("share_password").count
