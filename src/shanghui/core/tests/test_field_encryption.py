"""Personal data encrypted at rest (core.encryption). No model uses EncryptedTextField yet, so
the stored values live in a real text column of a tenant table (a member's introduction),
written and read back through the database; the field itself is tested on a model defined in
an isolated app registry (never saved, never in the project's schema)."""

import base64

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps

from shanghui.config.env import env_str
from shanghui.core.encryption import (
    EncryptedTextField,
    FieldDecryptionError,
    blind_index,
    decrypt,
    encrypt,
    encrypted_fields,
    field_decrypt,
    field_encrypt,
    key_id_of,
    parse_keys,
    reencrypt,
    rotate_column,
)
from shanghui.core.id_number import mask_id_number
from shanghui.core.tenancy import TenantModel, tenant_context
from shanghui.members.models import Member
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side

ID_NUMBER = "36010219900101123X"
K1 = "k1:" + base64.b64encode(b"1" * 32).decode()
K2 = "k2:" + base64.b64encode(b"2" * 32).decode()
TABLE = Member._meta.db_table
GOOD_BLIND = base64.b64encode(b"x" * 32).decode()


def _encrypt(plain: str, member: Member) -> str:
    return encrypt(plain, table=TABLE, column="introduction", association_id=member.association_id)


def _decrypt(stored: str, member: Member) -> str:
    return decrypt(stored, table=TABLE, column="introduction", association_id=member.association_id)


def _store(member: Member, plain: str) -> str:
    stored = _encrypt(plain, member)
    with tenant_context(member.association):
        Member.objects.filter(pk=member.pk).update(introduction=stored)
    return stored


def _raw_column(member: Member) -> str:
    with tenant_context(member.association), connection.cursor() as cursor:
        cursor.execute(f"SELECT introduction FROM {TABLE} WHERE id = %s", [member.pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_round_trip_and_the_column_holds_no_plain_text(side_a: Side) -> None:
    member = side_a.member
    with as_app_role():
        _store(member, ID_NUMBER)
        raw = _raw_column(member)
    assert ID_NUMBER not in raw
    assert raw.startswith("v1:dev-not-for-production:")
    assert _decrypt(raw, member) == ID_NUMBER
    # The same number encrypts differently each time (a fresh nonce): equal rows don't show.
    assert _encrypt(ID_NUMBER, member) != raw


def test_unknown_key_tampering_and_garbage_are_refused_clearly(side_a: Side) -> None:
    stored = _encrypt(ID_NUMBER, side_a.member)
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=K1),
        pytest.raises(FieldDecryptionError, match="names key 'dev-not-for-production'"),
    ):
        _decrypt(stored, side_a.member)
    prefix, _, body = stored.rpartition(":")
    blob = bytearray(base64.b64decode(body))
    blob[-1] ^= 1
    tampered = f"{prefix}:{base64.b64encode(bytes(blob)).decode()}"
    with pytest.raises(FieldDecryptionError, match="fails authentication"):
        _decrypt(tampered, side_a.member)
    for garbage in (ID_NUMBER, "v1:k1:%%%", "v1:k1:AAAA", "v2:k1:" + body):
        with pytest.raises(FieldDecryptionError):
            _decrypt(garbage, side_a.member)


def test_a_value_copied_to_another_association_or_column_does_not_decrypt(
    side_a: Side, side_b: Side
) -> None:
    stored = _store(side_a.member, ID_NUMBER)
    with tenant_context(side_b.association):
        Member.objects.filter(pk=side_b.member.pk).update(introduction=stored)
    copied = _raw_column(side_b.member)
    assert copied == stored
    with pytest.raises(FieldDecryptionError, match="another column, row or association"):
        _decrypt(copied, side_b.member)
    with pytest.raises(FieldDecryptionError):
        decrypt(stored, table=TABLE, column="address", association_id=side_a.association.pk)


def test_rotation_reencrypts_with_the_first_key_and_is_idempotent(
    side_a: Side, side_b: Side
) -> None:
    second: Member = MemberFactory(association=side_a.association)  # type: ignore[assignment]
    with override_settings(FIELD_ENCRYPTION_KEYS=K1):
        _store(side_a.member, ID_NUMBER)
        _store(second, "110101200501011234")
        _store(side_b.member, "440301198001015678")
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{K2},{K1}"):
        with as_app_role():
            changed = rotate_column(
                model=Member,
                field_name="introduction",
                association=side_a.association,
                batch_size=1,
            )
            again = rotate_column(
                model=Member, field_name="introduction", association=side_a.association
            )
            raw_a, raw_second, raw_b = (
                _raw_column(side_a.member),
                _raw_column(second),
                _raw_column(side_b.member),
            )
        assert (changed, again) == (2, 0)
        assert key_id_of(raw_a) == key_id_of(raw_second) == "k2"
        assert _decrypt(raw_a, side_a.member) == ID_NUMBER
        assert _decrypt(raw_second, second) == "110101200501011234"
        # Only the association rotated: B's row still names k1 and still decrypts.
        assert key_id_of(raw_b) == "k1"
        assert _decrypt(raw_b, side_b.member) == "440301198001015678"
        binding = {"table": TABLE, "column": "introduction"}
        assert reencrypt(raw_a, **binding, association_id=side_a.association.pk) is None
    # Once the old key is gone, the rotated rows still decrypt.
    with override_settings(FIELD_ENCRYPTION_KEYS=K2):
        assert _decrypt(raw_a, side_a.member) == ID_NUMBER


@pytest.mark.django_db
def test_the_command_walks_the_encrypted_fields_the_schema_has() -> None:
    # Every EncryptedTextField of every installed model, found without naming the apps (a
    # sponsored student's ID number and family situation, today); no rows: nothing changes.
    from io import StringIO

    from django.apps import apps

    expected = {
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    }
    assert expected and set(encrypted_fields()) == expected
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert f"0 个值（{len(expected)} 个加密字段）" in out.getvalue()


@isolate_apps("shanghui.core")
def test_the_field_stores_ciphertext_only_and_binds_to_the_association() -> None:
    class Beneficiary(TenantModel):
        id_number = EncryptedTextField(blank=True, null=True)

        class Meta:
            app_label = "core"

    one = Beneficiary(association_id=1)
    field_encrypt(one, "id_number", ID_NUMBER)
    assert str(one.id_number).startswith("v1:")
    assert field_decrypt(one, "id_number") == ID_NUMBER
    field = Beneficiary._meta.get_field("id_number")
    assert field.get_prep_value(one.id_number) == one.id_number
    assert field.get_prep_value(None) is None and field.get_prep_value("") == ""
    with pytest.raises(FieldDecryptionError):
        field.get_prep_value(ID_NUMBER)  # plain text never reaches the database
    for empty in (None, ""):
        field_encrypt(one, "id_number", empty)
        assert one.id_number == empty and field_decrypt(one, "id_number") == empty

    other = Beneficiary(association_id=2, id_number=None)
    field_encrypt(one, "id_number", ID_NUMBER)
    other.id_number = one.id_number
    with pytest.raises(FieldDecryptionError):
        field_decrypt(other, "id_number")
    assert field.check() == []
    with pytest.raises(ValueError, match="association"):
        field_encrypt(Beneficiary(association_id=None), "id_number", ID_NUMBER)


@isolate_apps("shanghui.core")
def test_the_field_refuses_a_model_without_association() -> None:
    class Platform(models.Model):
        secret = EncryptedTextField()

        class Meta:
            app_label = "core"

    ids = [error.id for error in Platform._meta.get_field("secret").check()]
    assert ids == ["shanghui.E114"]


def test_keys_from_a_file_one_a_line(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "keys"
    path.write_text(f"{K2}\n{K1}\n", encoding="utf-8")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS_FILE", str(path))
    ring = parse_keys(env_str("FIELD_ENCRYPTION_KEYS"))
    assert ring.current_id == "k2" and list(ring.keys) == ["k2", "k1"]


@pytest.mark.parametrize(
    "spec",
    ["", "k1", "k1:not base64!", "k1:" + base64.b64encode(b"short").decode(), f"{K1},{K1}"],
)
def test_bad_key_settings_are_refused(spec: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_keys(spec)


def _deploy_ids() -> set[str]:
    return {
        str(message.id)
        for message in run_checks(include_deployment_checks=True)
        if str(message.id).startswith("shanghui.E11")
    }


def test_the_deploy_check_refuses_missing_or_development_keys() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS="", FIELD_BLIND_INDEX_KEY=""):
        assert {"shanghui.E111", "shanghui.E113"} <= _deploy_ids()
    # The test settings carry the public development keys: refused too.
    assert {"shanghui.E112", "shanghui.E113"} <= _deploy_ids()
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{K2},{K1}", FIELD_BLIND_INDEX_KEY=GOOD_BLIND):
        assert _deploy_ids() == set()


def test_blind_index_finds_equal_values_only_with_its_key() -> None:
    assert blind_index(ID_NUMBER) == blind_index(ID_NUMBER)
    assert blind_index(ID_NUMBER) != blind_index("360102199001011230")
    assert ID_NUMBER not in blind_index(ID_NUMBER)
    dev_index = blind_index(ID_NUMBER)
    with override_settings(FIELD_BLIND_INDEX_KEY=GOOD_BLIND):
        assert blind_index(ID_NUMBER) != dev_index  # another key, another index
    with override_settings(FIELD_BLIND_INDEX_KEY=""), pytest.raises(ImproperlyConfigured):
        blind_index(ID_NUMBER)


def test_id_numbers_are_masked_keeping_two_at_each_end() -> None:
    assert mask_id_number(ID_NUMBER) == "36**************3X"
    assert mask_id_number("360102900101123") == "36***********23"
    assert mask_id_number("123") == "***"
