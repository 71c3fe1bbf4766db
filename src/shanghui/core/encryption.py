"""Personal data encrypted at rest (a beneficiary's 身份证号): AES-256-GCM, keys from settings.

Keys. ``FIELD_ENCRYPTION_KEYS`` is a list of ``id:base64(32 bytes)`` separated by commas or
newlines — from the environment variable of that name, or from the file named by
``FIELD_ENCRYPTION_KEYS_FILE`` (one key a line). The first key encrypts; every key listed
decrypts, which is how keys rotate: put the new key first, run ``manage.py
rotate_field_keys``, then drop the old one.

Stored text. ``v1:<key id>:<base64(nonce | ciphertext | tag)>`` — a row names the key it
needs, and the version leaves room for another scheme later.

Associated data. Each value is bound to its table, column and association id (and to the
version and key id): a ciphertext copied into another column, table or association's row no
longer decrypts, even with every key at hand.

Why explicit functions rather than a field that decrypts by itself: a field's
``from_db_value`` sees the column value and nothing of its row, so it cannot know the
association the value is bound to. ``EncryptedTextField`` therefore stores and returns the
ciphertext unchanged (and refuses to save anything that is not one), and code reads and
writes the plain text through ``field_decrypt(instance, name)`` and ``field_encrypt(instance,
name, plain)`` — visibly, at the one place that reveals a person's number (and audits it).

Encrypted values cannot be searched. When equality lookup is needed ("is this 身份证号
already a beneficiary?"), store ``blind_index(value)`` beside it — a keyed HMAC-SHA256 under
its own key ``FIELD_BLIND_INDEX_KEY`` — and look that column up instead.
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

VERSION = "v1"
NONCE_BYTES = 12
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# The key the development and test settings use: its id names it so that no one mistakes
# it for a real one, and the deploy check refuses it.
DEVELOPMENT_KEY_ID = "dev-not-for-production"
DEVELOPMENT_KEYS = f"{DEVELOPMENT_KEY_ID}:" + base64.b64encode(b"D" * 32).decode()
DEVELOPMENT_BLIND_INDEX_KEY = base64.b64encode(b"B" * 32).decode()


class FieldDecryptionError(Exception):
    """A stored value could not be decrypted: malformed, an unknown key id, or altered —
    including a value moved to another row, column or association."""


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]


def parse_keys(spec: str) -> KeyRing:
    """``"k2:base64,k1:base64"`` (commas or newlines) into a key ring; the first encrypts."""
    keys: dict[str, bytes] = {}
    for item in re.split(r"[,\n]", spec):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not KEY_ID_RE.fullmatch(key_id):
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS: each key is id:base64 with an id of letters, digits, "
                f"- or _ (up to 32), got {key_id[:32]!r}"
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key id {key_id!r} twice")
        keys[key_id] = _decode_key(encoded, f"FIELD_ENCRYPTION_KEYS key {key_id!r}")
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: personal data cannot be kept")
    return KeyRing(current_id=next(iter(keys)), keys=keys)


def _decode_key(encoded: str, name: str) -> bytes:
    try:
        key = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error as error:
        raise ImproperlyConfigured(f"{name} is not base64") from error
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must be 32 bytes (AES-256), got {len(key)}")
    return key


@lru_cache(maxsize=4)
def _ring_for(spec: str) -> KeyRing:
    return parse_keys(spec)


def key_ring() -> KeyRing:
    """The configured keys (parsed once per distinct setting, so overrides in tests apply)."""
    return _ring_for(settings.FIELD_ENCRYPTION_KEYS)


def associated_data(*, table: str, column: str, association_id: int, key_id: str) -> bytes:
    return "\x1f".join([VERSION, key_id, table, column, str(association_id)]).encode()


def encrypt(plain: str, *, table: str, column: str, association_id: int) -> str:
    """The stored text for ``plain`` in ``table.column`` of one association's row."""
    ring = key_ring()
    nonce = os.urandom(NONCE_BYTES)
    aad = associated_data(
        table=table, column=column, association_id=association_id, key_id=ring.current_id
    )
    sealed = AESGCM(ring.keys[ring.current_id]).encrypt(nonce, plain.encode(), aad)
    return f"{VERSION}:{ring.current_id}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str:
    """The key id a stored value names (raises FieldDecryptionError if it is not one)."""
    return _split(stored)[0]


def _split(stored: str) -> tuple[str, bytes]:
    version, _, rest = stored.partition(":")
    key_id, sep, encoded = rest.partition(":")
    if version != VERSION or not sep:
        raise FieldDecryptionError("not an encrypted value (v1:<key id>:<base64>)")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except binascii.Error as error:
        raise FieldDecryptionError("encrypted value: ciphertext is not base64") from error
    if len(blob) < NONCE_BYTES + 16:
        raise FieldDecryptionError("encrypted value: ciphertext too short")
    return key_id, blob


def decrypt(stored: str, *, table: str, column: str, association_id: int) -> str:
    """The plain text of a stored value; FieldDecryptionError with the reason otherwise."""
    key_id, blob = _split(stored)
    ring = key_ring()
    key = ring.keys.get(key_id)
    if key is None:
        raise FieldDecryptionError(
            f"encrypted value names key {key_id!r}, which FIELD_ENCRYPTION_KEYS does not "
            "hold (keep old keys listed until rotate_field_keys has run)"
        )
    aad = associated_data(table=table, column=column, association_id=association_id, key_id=key_id)
    try:
        plain = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag as error:
        raise FieldDecryptionError(
            f"encrypted value of {table}.{column} fails authentication: altered, or "
            "copied from another column, row or association"
        ) from error
    return plain.decode()


def reencrypt(stored: str, *, table: str, column: str, association_id: int) -> str | None:
    """The value encrypted again with the current key, or None when it already uses it
    (so rotation run twice changes nothing)."""
    if key_id_of(stored) == key_ring().current_id:
        return None
    plain = decrypt(stored, table=table, column=column, association_id=association_id)
    return encrypt(plain, table=table, column=column, association_id=association_id)


def rotate_column(
    *, model: type[models.Model], field_name: str, association: Any, batch_size: int = 500
) -> int:
    """Re-encrypts with the current key every value of ``model.field_name`` in one
    association's rows, a batch per transaction, inside its tenant scope; answers how many
    changed. Values already under the current key are not touched (run it twice: the second
    changes nothing), and a row changed meanwhile is left for the next run rather than
    overwritten. For ``rotate_field_keys``; any text column of a tenant model holding
    ``encrypt``'s output works."""
    from shanghui.core.tenancy import tenant_context

    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    column = field.column
    binding = {"table": model._meta.db_table, "column": column, "association_id": association.pk}
    current = f"{VERSION}:{key_ring().current_id}:"
    changed, last_pk = 0, None
    while True:
        with tenant_context(association), transaction.atomic():
            rows = model._default_manager.filter(
                **{f"{field_name}__startswith": f"{VERSION}:"}
            ).exclude(**{f"{field_name}__startswith": current})
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.order_by("pk").values_list("pk", field_name)[:batch_size])
            for pk, stored in batch:
                new = reencrypt(stored, **binding)
                if new is not None:
                    changed += model._default_manager.filter(pk=pk, **{field_name: stored}).update(
                        **{field_name: new}
                    )
        if len(batch) < batch_size:
            return changed
        last_pk = batch[-1][0]


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) whose field is an EncryptedTextField, in every app."""
    from django.apps import apps

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def _binding(instance: models.Model, name: str) -> dict[str, Any]:
    field = instance._meta.get_field(name)
    if not isinstance(field, EncryptedTextField):
        raise TypeError(f"{type(instance).__name__}.{name} is not an EncryptedTextField")
    association_id = getattr(instance, "association_id", None)
    if association_id is None:
        raise ValueError(f"{type(instance).__name__}.{name}: set the association first")
    return {
        "table": instance._meta.db_table,
        "column": field.column,
        "association_id": association_id,
    }


def field_encrypt(instance: models.Model, name: str, plain: str | None) -> None:
    """Sets ``instance.<name>`` to the encryption of ``plain`` (None and "" stay as they
    are); the caller saves. The instance's association must be set."""
    if plain:
        plain = encrypt(plain, **_binding(instance, name))
    setattr(instance, name, plain)


def field_decrypt(instance: models.Model, name: str) -> str | None:
    """The plain text of ``instance.<name>`` (None and "" as they are)."""
    stored = getattr(instance, name)
    if not stored:
        return stored
    return decrypt(stored, **_binding(instance, name))


class EncryptedTextField(models.TextField):
    """A text column holding ``encrypt``'s output. Its Python value is the stored text
    itself; read and write the plain text with ``field_decrypt``/``field_encrypt`` (see the
    module's docstring for why). Saving a value that is not a ciphertext is refused, so a plain
    number assigned by mistake never reaches the database. Only on tenant models (the
    association is part of what a value is bound to); ``rotate_field_keys`` finds every one."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value:
            key_id_of(value)  # raises unless it is a ciphertext
        return value

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        model = getattr(self, "model", None)
        if model is not None and not model._meta.abstract:
            names = {field.name for field in model._meta.get_fields()}
            if "association" not in names:
                errors.append(
                    checks.Error(
                        "EncryptedTextField binds values to their association: "
                        "use it on a TenantModel.",
                        obj=self,
                        id="shanghui.E114",
                    )
                )
        return errors


def blind_index(value: str) -> str:
    """HMAC-SHA256 of ``value`` under ``FIELD_BLIND_INDEX_KEY`` (hex): equal values give equal
    indexes, so a column of these can be looked up where the encrypted one cannot. Normalise
    first (a 身份证号's check letter upper-case). The key is separate from the encryption keys
    and does not rotate with them: changing it means recomputing every index."""
    spec = settings.FIELD_BLIND_INDEX_KEY
    if not spec:
        raise ImproperlyConfigured("FIELD_BLIND_INDEX_KEY is not set")
    key = _decode_key(spec, "FIELD_BLIND_INDEX_KEY")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


@checks.register(checks.Tags.security, deploy=True)
def check_field_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.Error]:
    """``check --deploy``: personal data cannot be kept without real keys."""
    errors: list[checks.Error] = []
    try:
        ring = parse_keys(settings.FIELD_ENCRYPTION_KEYS)
    except ImproperlyConfigured as error:
        errors.append(
            checks.Error(
                str(error),
                hint="Set FIELD_ENCRYPTION_KEYS or FIELD_ENCRYPTION_KEYS_FILE (docs/deploy.md).",
                id="shanghui.E111",
            )
        )
    else:
        if DEVELOPMENT_KEY_ID in ring.keys:
            errors.append(
                checks.Error(
                    "FIELD_ENCRYPTION_KEYS holds the development key, which is public.",
                    id="shanghui.E112",
                )
            )
    blind = settings.FIELD_BLIND_INDEX_KEY
    try:
        _decode_key(blind, "FIELD_BLIND_INDEX_KEY")
    except ImproperlyConfigured as error:
        errors.append(
            checks.Error(
                str(error) if blind else "FIELD_BLIND_INDEX_KEY is not set.",
                hint="A separate base64 32-byte key; see docs/deploy.md.",
                id="shanghui.E113",
            )
        )
    else:
        if blind == DEVELOPMENT_BLIND_INDEX_KEY:
            errors.append(
                checks.Error(
                    "FIELD_BLIND_INDEX_KEY is the development key, which is public.",
                    id="shanghui.E113",
                )
            )
    return errors
