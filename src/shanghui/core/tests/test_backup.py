"""Backup and restore (``core.backup``, ``manage.py backup`` / ``restore``): the round trip
gives the same fingerprints and file hashes, one association's restore touches no other
association, ids are kept or refused or renumbered, and row-level security is respected.

These are transactional tests: a backup reads its own snapshot (a REPEATABLE READ
transaction on PostgreSQL, the SQLite backup API's copy), which sees only committed rows."""

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.backup import BackupError, backup_restore, backup_write, read_manifest
from shanghui.core.backup.tables import included_models
from shanghui.core.jobs import job_finish
from shanghui.core.models import AudienceRule, AuditEntry, Job, StoredContent
from shanghui.core.storage.content import content_blocks, content_put
from shanghui.core.storage.stores import content_store
from shanghui.core.tenancy import TenantModel, tenant_context
from shanghui.members.models import Level, Member, MemberSearchToken, Representative
from shanghui.org.models import GroupMember
from shanghui.testing.factories import (
    AssociationFactory,
    MemberFactory,
    RoleFactory,
    UserFactory,
)
from shanghui.testing.fixtures import Side, build_side

pytestmark = pytest.mark.django_db(transaction=True)

RESULT = "会员名册".encode() * 50


def populate(side: Side, shared: User) -> dict[str, Any]:
    """Stored content, a record's file (an export's result), a person in both associations,
    a soft reference, JSON."""
    a = side.association
    content = content_put(a, io.BytesIO(f"会议纪要 {a.slug} ".encode() * 3000), check_quota=False)
    RoleFactory(association=a, user=shared, kind=Role.Kind.MEMBER)
    with tenant_context(a):
        job = Job.objects.create(
            association=a, owner=side.admin, kind="members.export", label="导出"
        )
    job_finish(job, message="完成", filename="会员名册.xlsx", content=RESULT)
    with tenant_context(a):
        AuditEntry.objects.create(
            association=a,
            actor=side.admin,
            action="members.update",
            target_type="members.member",
            target_id=str(side.member.pk),
            data={"z": 1, "a": ["甲", {"y": 2, "b": None}]},
        )
        level = Level.objects.create(association=a, name="会长单位", rank=1, annual_fee="12000.50")
        AudienceRule.objects.create(
            association=a, owner_type="test.owner", owner_id=1, kind="level", target_id=level.pk
        )
    return {"content": content, "job": job}


@pytest.fixture
def platform(privacy_notice: None) -> tuple[Side, Side, User]:
    shared = UserFactory(name="两会共同会员")
    a, b = build_side("甲市", "jiashi"), build_side("乙市", "yishi")
    populate(a, shared)
    populate(b, shared)
    with tenant_context(a.association):  # a key into the other association
        GroupMember.objects.create(
            association=a.association, name="乙市江西商会", linked_association=b.association
        )
    return a, b, shared


def fingerprints(manifest: dict[str, Any]) -> dict[str, Any]:
    return {label: (t["rows"], t["sha256"]) for label, t in manifest["tables"].items()}


def file_hashes(manifest: dict[str, Any]) -> dict[str, str]:
    return {name: f["sha256"] for name, f in manifest["files"].items()}


def backup(path: Path, association: Association | None = None) -> dict[str, Any]:
    manifest = backup_write(path, association=association)
    assert manifest["problems"] == []
    return manifest


def empty_platform() -> None:
    """What a disaster leaves: no rows, no stored content."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.CONTENT_ROOT, ignore_errors=True)


def notes(association: Association) -> StoredContent:
    """The association's stored content that no record's file is (the meeting notes)."""
    return StoredContent.objects.filter(association=association, files__isnull=True).get()


def test_whole_platform_round_trip_gives_the_same_fingerprints_and_files(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    before = backup(tmp_path / "platform.zip")
    labels = set(before["tables"])
    assert {"associations.Association", "accounts.User", "core.StoredContent"} <= labels
    assert "members.Member" in labels and "sessions.Session" not in labels
    assert not {"django_tasks_database.DBTaskResult", "axes.AccessAttempt"} & labels
    assert before["tables"]["associations.Association"]["rows"] == 2
    # Each association's notes and export: every file is stored content, no other kind.
    assert sum(name.startswith("content/a/") for name in before["files"]) == 4
    assert len(before["files"]) == 4

    with pytest.raises(CommandError, match="空数据库"):
        call_command("restore", str(tmp_path / "platform.zip"))
    with pytest.raises(CommandError, match="只用于单个商协会"):
        call_command("restore", str(tmp_path / "platform.zip"), "--into-new-ids")

    empty_platform()
    assert not Association.objects.exists()
    call_command("restore", str(tmp_path / "platform.zip"))

    after = backup(tmp_path / "again.zip")
    assert fingerprints(after) == fingerprints(before)
    assert file_hashes(after) == file_hashes(before)
    # Stored content reads back verified; the search tokens were rebuilt.
    a = Association.objects.get(slug="jiashi")
    with tenant_context(a):
        content = notes(a)
        assert b"".join(content_blocks(a, content)).startswith("会议纪要 jiashi".encode())
        assert MemberSearchToken.objects.exists()
        job = Job.objects.get()
        assert job.result_file is not None
        assert b"".join(content_blocks(a, job.result_file.content)) == RESULT


# Rows every restore writes again from what they are derived from (tables.REBUILD_COMMANDS).
DERIVED = {"members.MemberSearchToken", "members.PersonSearchToken", "documents.FileSearchToken"}


def test_one_association_restores_beside_another_with_its_ids(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    side_a, side_b, shared = platform
    archive_a = backup(tmp_path / "a.zip", side_a.association)
    archive_b = backup(tmp_path / "b.zip", side_b.association)
    # The association's rows and the people they point at, nothing of the other's.
    assert archive_a["tables"]["associations.Association"]["rows"] == 1
    assert archive_a["tables"]["accounts.User"]["rows"] == 3  # admin, member, shared
    # Every tenant table (found here independently of the backup's own walk) but the
    # derived search tokens, the association row and the accounts.
    tenant_tables = {m._meta.label for m in apps.get_models() if issubclass(m, TenantModel)}
    assert set(archive_a["tables"]) == {
        "accounts.User",
        "associations.Association",
        *(tenant_tables - DERIVED),
    }
    assert set(archive_a["tables"]) == {
        "accounts.User",
        *(m._meta.label for m in included_models(platform=False)),
    }
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        rows = archive.read("rows/members.Member.jsonl").decode()
        assert "甲市" in rows and "乙市" not in rows

    empty_platform()
    call_command("restore", str(tmp_path / "b.zip"))
    b = Association.objects.get(slug="yishi")
    b_before = backup(tmp_path / "b-before.zip", b)
    assert fingerprints(b_before) == fingerprints(archive_b)

    call_command("restore", str(tmp_path / "a.zip"))
    a = Association.objects.get(slug="jiashi")
    assert a.pk == side_a.association.pk  # ids kept
    with tenant_context(a):  # the other association is here, the same: the link is kept
        assert GroupMember.objects.get().linked_association_id == b.pk
    assert fingerprints(backup(tmp_path / "a-after.zip", a)) == fingerprints(archive_a)
    b_after = backup(tmp_path / "b-after.zip", b)
    assert fingerprints(b_after) == fingerprints(b_before)
    assert file_hashes(b_after) == file_hashes(b_before)
    # The person of both associations was merged by phone, not doubled.
    assert User.objects.filter(phone=shared.phone).count() == 1

    # The same archive again: every id is taken now, and the refusal says what to do.
    with pytest.raises(CommandError, match="已有"):
        call_command("restore", str(tmp_path / "a.zip"))


def build_side_with_ids(name: str, slug: str, taken: Side, level_id: int) -> Side:
    """Another platform's association holding the ids ``taken``'s rows had."""
    association = AssociationFactory(id=taken.association.pk, name=f"{name}商会", slug=slug)
    MemberFactory(id=taken.member.pk, association=association, name=f"{name}实业")
    with tenant_context(association):
        Level.objects.create(
            id=level_id, association=association, name="会员", rank=9, annual_fee=0
        )
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Association, Member, Level]):
            cursor.execute(sql)
    side = build_side(name, f"{slug}2")
    return Side(association, side.admin, side.member_user, side.member, side.person)


def test_into_new_ids_renumbers_and_touches_no_one_else(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    side_a, _side_b, shared = platform
    archive = tmp_path / "a.zip"
    backup(archive, side_a.association)
    shared_phone = shared.phone
    level_id = Level._base_manager.get(association=side_a.association.pk).pk

    # Another platform: its own association took the same ids, and it knows the shared
    # person under another id.
    empty_platform()
    UserFactory(name="先来的人")
    other = build_side_with_ids("丙市", "bingshi", side_a, level_id)
    same_person = UserFactory(name="同一个人", phone=shared_phone)
    RoleFactory(association=other.association, user=same_person, kind=Role.Kind.MEMBER)
    other_before = backup(tmp_path / "other-before.zip", other.association)

    with pytest.raises(CommandError, match="--into-new-ids"):
        call_command("restore", str(archive))
    assert not Association.objects.filter(slug="jiashi").exists()

    result = backup_restore(archive, into_new_ids=True)
    a = Association.objects.get(slug="jiashi")
    assert a.pk == result.association_id != side_a.association.pk

    other_after = backup(tmp_path / "other-after.zip", other.association)
    assert fingerprints(other_after) == fingerprints(other_before)
    assert file_hashes(other_after) == file_hashes(other_before)

    with tenant_context(a):
        member = Member.objects.get()
        assert member.pk != side_a.member.pk and member.name == "甲市龚氏实业有限公司"
        # A record's file follows the record: renumbered, and its bytes under the new
        # association's namespace.
        job = Job.objects.get()
        stored = job.result_file
        assert stored is not None and stored.record_id == str(job.pk)
        assert stored.content.key.startswith(f"a/{a.pk}/")
        assert b"".join(content_blocks(a, stored.content)) == RESULT
        representative = Representative.objects.get()
        assert representative.member_id == member.pk
        assert representative.person.name == "龚志军"
        # The person known to both platforms is the one account, left as it was.
        role = Role.objects.get(user__phone=shared_phone)
        assert role.user_id == same_person.pk
        same_person.refresh_from_db()
        assert same_person.name == "同一个人"
        # A reference by type and id follows the renumbered row.
        entry = AuditEntry.objects.get(action="members.update")
        assert entry.target_id == str(member.pk)
        level = Level.objects.get()
        assert str(level.annual_fee) == "12000.50"
        assert level.pk != level_id
        assert AudienceRule.objects.get(owner_type="test.owner").target_id == level.pk
        assert entry.data == {"z": 1, "a": ["甲", {"y": 2, "b": None}]}
        # The other association of the backup is not on this platform: the link is emptied.
        assert GroupMember.objects.get(name="乙市江西商会").linked_association_id is None
        content = notes(a)
        assert content.key.startswith(f"a/{a.pk}/")
        assert b"".join(content_blocks(a, content)).startswith("会议纪要 jiashi".encode())


def test_accounts_whose_id_is_taken_get_new_ones_beside_those_that_keep_theirs(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    side_a, _, _ = platform
    archive = tmp_path / "a.zip"
    backup(archive, side_a.association)
    ids = sorted([side_a.admin.pk, side_a.member_user.pk])
    empty_platform()
    # Someone else holds the first account's id; the next id is the second account's.
    UserFactory(id=ids[0], name="先来的人")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [User]):
            cursor.execute(sql)
    result = backup_restore(archive)
    assert result.users_created == 3
    admin = User.objects.get(phone=side_a.admin.phone)
    member = User.objects.get(phone=side_a.member_user.phone)
    assert User.objects.get(pk=ids[0]).name == "先来的人"
    assert {admin.pk, member.pk} & {ids[0]} == set()
    assert ids[1] in {admin.pk, member.pk}  # kept its id
    a = Association.objects.get(slug="jiashi")
    with tenant_context(a):
        assert Role.objects.get(kind=Role.Kind.ADMIN).user_id == admin.pk
    # The platform goes on making accounts.
    assert UserFactory().pk > max(admin.pk, member.pk)


def test_an_archive_of_another_release_is_refused(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    side_a, _, _ = platform
    good = tmp_path / "a.zip"
    backup(good, side_a.association)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(other, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"].append("members.9999_from_the_future")
                data = json.dumps(manifest).encode()
            target.writestr(info, data)
    empty_platform()
    with pytest.raises(BackupError, match="9999_from_the_future"):
        backup_restore(other)
    assert not Association.objects.exists()


def test_a_damaged_archive_restores_nothing(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    side_a, _, _ = platform
    good = tmp_path / "a.zip"
    backup(good, side_a.association)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "rows/members.Member.jsonl":
                data = data.replace("甲市".encode(), "丁市".encode())
            target.writestr(info, data)
    empty_platform()
    with pytest.raises(BackupError, match=r"members\.Member"):
        backup_restore(damaged)
    assert not Association.objects.exists()
    assert not User.objects.exists()


def test_manifest_names_every_file_by_its_sha256(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    side_a, _, _ = platform
    path = tmp_path / "a.zip"
    manifest = backup(path, side_a.association)
    with zipfile.ZipFile(path) as archive:
        assert read_manifest(archive) == json.loads(archive.read("manifest.json"))
        for name, entry in manifest["files"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == entry["sha256"]
        for label, entry in manifest["tables"].items():
            rows = archive.read(f"rows/{label}.jsonl")
            assert hashlib.sha256(rows).hexdigest() == entry["sha256"]
            assert rows.count(b"\n") == entry["rows"]


def test_a_missing_file_is_reported_and_the_rest_is_kept(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    side_a, _, _ = platform
    with tenant_context(side_a.association):
        key = Job.objects.get().result_file.content.key  # type: ignore[union-attr]
    content_store().delete(key)
    with pytest.raises(CommandError, match="1 个问题"):
        call_command(
            "backup",
            "--association",
            "jiashi",
            "--output",
            str(tmp_path / "a.zip"),
            stderr=io.StringIO(),
        )
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        manifest = read_manifest(archive)
    assert manifest["problems"] == [f"缺少存储对象 {key}"]
    assert manifest["tables"]["members.Member"]["rows"] == 1


@pytest.mark.postgres_only
def test_whole_platform_backup_is_refused_to_the_application_role(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE shanghui_app")
    try:
        with pytest.raises(BackupError, match="shanghui_app"):
            backup_write(tmp_path / "all.zip")
        assert not (tmp_path / "all.zip").exists()
        with pytest.raises(BackupError, match="shanghui_app"):
            backup_restore(tmp_path / "all.zip")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.mark.postgres_only
def test_an_association_backup_reads_under_row_level_security(
    platform: tuple[Side, Side, User], tmp_path: Path
) -> None:
    """As the application role, the same archive as the owner's: the tenant context is what
    makes the rows visible, and nothing of the other association comes along."""
    side_a, _, _ = platform
    as_owner = backup(tmp_path / "owner.zip", side_a.association)
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE shanghui_app")
    try:
        as_app = backup(tmp_path / "app.zip", side_a.association)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert fingerprints(as_app) == fingerprints(as_owner)
    assert file_hashes(as_app) == file_hashes(as_owner)
