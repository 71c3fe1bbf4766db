"""Tickets: what the QR code carries, the short code people can type, and the QR images.

The QR text is ``<token>.<signature>``: the token is 144 random bits (unguessable, stored on
the registration), the signature an HMAC of it under the site's secret key, so a forged or
mistyped code is refused before any database lookup. The short code (8 characters without
look-alikes such as 0/O and 1/I) is for typing at the door; it is unique within the event.

The link in a registrant's messages (``pass_key``) carries the same token signed under another
salt: it opens the registration's page without an account, for whoever holds the message —
as the ticket itself does, so it gives away nothing the message did not. An invitation to
someone without an account links to the event under an HMAC of its id (``invitation_key``)."""

import base64
import io
import secrets

import segno
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "shanghui.events.ticket"
LINK_SALT = "shanghui.events.pass"
INVITATION_SALT = "shanghui.events.invitation"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_token() -> str:
    return secrets.token_urlsafe(18)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _signature(token: str, salt: str = SALT) -> str:
    digest = salted_hmac(salt, token, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")


def _unsigned(text: str, salt: str) -> str | None:
    token, dot, signature = (text or "").strip().rpartition(".")
    if not dot or not token or len(token) > 40:
        return None
    return token if constant_time_compare(signature, _signature(token, salt)) else None


def qr_text(token: str) -> str:
    """What the ticket's QR code says."""
    return f"{token}.{_signature(token)}"


def token_from_qr(text: str) -> str | None:
    """The token of a scanned QR text, or None when the signature does not match."""
    return _unsigned(text, SALT)


def pass_key(token: str) -> str:
    """The key in the link of a registration's messages (``events:pass``)."""
    return f"{token}.{_signature(token, LINK_SALT)}"


def token_from_pass(key: str) -> str | None:
    return _unsigned(key, LINK_SALT)


def invitation_key(association_id: int, event_id: int) -> str:
    """The key in an invitation's link for someone without an account (``events:invited``)."""
    return _signature(f"{association_id}:{event_id}", INVITATION_SALT)


def invitation_key_valid(association_id: int, event_id: int, key: str) -> bool:
    return constant_time_compare(key or "", invitation_key(association_id, event_id))


def normalize_code(text: str) -> str:
    """ "k7m2-qx9p" → "K7M2QX9P"."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def qr_png(token: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(qr_text(token), error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg_uri(token: str, *, scale: int = 4) -> str:
    return str(segno.make(qr_text(token), error="m").svg_data_uri(scale=scale, border=2))
