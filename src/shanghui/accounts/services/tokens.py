"""API tokens: created, checked on each API request, revoked."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import (
    ApiToken,
    User,
)
from shanghui.core.audit import audit
from shanghui.core.tokens import hash_token, new_token


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new bearer token for ``user``; the raw value is returned once and never stored."""
    raw = new_token()
    token = ApiToken.objects.create(
        user=user,
        name=(name or _("移动客户端"))[:60],
        prefix=raw[:8],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    audit(actor=user, action="api_token.create", target=token, summary=token.name)
    return token, raw


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None when it is unknown, revoked or expired."""
    token = (
        ApiToken.objects.filter(
            key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    from django.http import Http404

    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(actor=user, action="api_token.revoke", target=token, summary=token.name)
    return token
