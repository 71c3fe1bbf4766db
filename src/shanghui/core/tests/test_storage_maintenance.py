"""`manage.py verify_storage` and `manage.py prune_uploads` (core.storage.maintenance): every
stored object read back against its checksums, on the filesystem store and on a real
S3-protocol server; and what interrupted uploads leave behind cleared daily. On PostgreSQL the
commands run as the application role, under row-level security."""

import hashlib
import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from shanghui.core.models import StoredContent
from shanghui.core.storage.content import CORRUPTION_LISTENERS, content_put
from shanghui.core.storage.maintenance import storage_verify
from shanghui.core.storage.stores import FilesystemStore, S3Store, content_store
from shanghui.core.tenancy import tenant_context
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

BLOCK = 1024
DAY_AGO = timedelta(days=1, minutes=5)


def _verify(*args: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        with as_app_role():
            call_command("verify_storage", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def _prune(*args: str) -> str:
    out = io.StringIO()
    with as_app_role():
        call_command("prune_uploads", *args, stdout=out)
    return out.getvalue()


def _age(side: Side, content: StoredContent, by: timedelta) -> None:
    with tenant_context(side.association):
        StoredContent.objects.filter(pk=content.pk).update(created_at=timezone.now() - by)


def _row(side: Side, content: StoredContent) -> StoredContent:
    with tenant_context(side.association):
        return StoredContent.objects.get(pk=content.pk)


def _backdate(path: Path, by: timedelta) -> None:
    when = time.time() - by.total_seconds()
    os.utime(path, (when, when))


@override_settings(CONTENT_BLOCK_SIZE=BLOCK)
def test_verify_reads_every_object_and_reports_missing_and_corrupt(
    side_a: Side, side_b: Side
) -> None:
    good = content_put(side_a.association, io.BytesIO(b"a" * 3000))
    damaged = content_put(side_a.association, io.BytesIO(b"b" * 3000))
    lost = content_put(side_b.association, io.BytesIO(b"c" * 500))
    for row, side in ((good, side_a), (damaged, side_a), (lost, side_b)):
        _age(side, row, DAY_AGO)
    out, error = _verify()
    assert error is None, out
    assert "共校验 2 个商协会的 3 个对象：缺失或损坏 0 个，无记录 0 个" in out
    assert _row(side_a, good).verified_at is not None

    root = Path(settings.CONTENT_ROOT)
    bad = bytearray(b"b" * 3000)
    bad[BLOCK + 1] = ord("x")
    (root / damaged.key).write_bytes(bytes(bad))
    (root / lost.key).unlink()
    told: list[str] = []
    CORRUPTION_LISTENERS.append(lambda row: told.append(row.sha256))
    try:
        out, error = _verify()
    finally:
        CORRUPTION_LISTENERS.pop()
    assert error is not None and "2 个问题" in str(error)
    assert f"[错误] jiashi {damaged.sha256} 3000 字节（2.9 KB） 第 2 块校验不符" in out
    assert f"[错误] yishi {lost.sha256} 500 字节（500 字节） 对象缺失" in out
    assert good.sha256 not in out
    assert sorted(told) == sorted([damaged.sha256, lost.sha256])
    assert _row(side_a, damaged).corrupt_at is not None

    # One association only: the other's loss is not its concern.
    out, error = _verify("--association", "yishi")
    assert error is not None and "1 个问题" in str(error)
    assert damaged.sha256 not in out
    _out, error = _verify("--association", "nowhere")
    assert error is not None and "没有找到商协会" in str(error)


def test_an_upload_cut_short_is_noted_not_an_error(side_a: Side) -> None:
    """``content_put`` claims the row before it stores the object: a kill in between leaves a
    row nothing refers to and no object. Within a day it is an upload that never finished,
    not a loss — the administrators are not told; released rows likewise."""
    claimed = content_put(side_a.association, io.BytesIO(b"half-sent minutes"))
    (Path(settings.CONTENT_ROOT) / claimed.key).unlink()
    told: list[str] = []
    CORRUPTION_LISTENERS.append(lambda row: told.append(row.sha256))
    try:
        out, error = _verify()
    finally:
        CORRUPTION_LISTENERS.pop()
    assert error is None, out
    assert f"[提示] jiashi {claimed.sha256}" in out and "上传未完成，无引用" in out
    assert told == [] and _row(side_a, claimed).corrupt_at is None

    _age(side_a, claimed, DAY_AGO)  # a day on and still not released: an error
    out, error = _verify()
    assert error is not None and f"[错误] jiashi {claimed.sha256}" in out

    _prune()  # marks it released
    out, error = _verify()
    assert error is None and "已释放，无引用，待清除" in out


def test_objects_no_row_names_are_listed_and_old_ones_are_errors(side_a: Side) -> None:
    kept = content_put(side_a.association, io.BytesIO(b"certificate"))
    _age(side_a, kept, DAY_AGO)
    data = b"copied in by hand"
    sha = hashlib.sha256(data).hexdigest()
    stray = Path(settings.CONTENT_ROOT) / f"a/{side_a.association.pk}/{sha[:2]}/{sha}"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(data)
    out, error = _verify()
    assert error is None, out
    assert "无记录 1 个" in out
    assert f"[提示] jiashi a/{side_a.association.pk}/{sha[:2]}/{sha} 17 字节" in out
    _backdate(stray, DAY_AGO)
    out, error = _verify()
    assert error is not None and f"[错误] jiashi a/{side_a.association.pk}/{sha[:2]}/{sha}" in out
    assert kept.sha256 not in out


@override_settings(CONTENT_BLOCK_SIZE=BLOCK)
def test_verify_on_the_s3_store(side_a: Side, s3_storage: S3Store) -> None:
    good = content_put(side_a.association, io.BytesIO(os.urandom(2500)))
    damaged = content_put(side_a.association, io.BytesIO(os.urandom(2500)))
    lost = content_put(side_a.association, io.BytesIO(os.urandom(100)))
    for row in (good, damaged, lost):
        _age(side_a, row, DAY_AGO)
    client, bucket = s3_storage.client, s3_storage.bucket
    stray = f"a/{side_a.association.pk}/ab/{'ab' * 32}"
    client.put_object(Bucket=bucket, Key=stray, Body=b"no row names me")
    out, error = _verify()
    assert error is None, out
    assert "3 个对象：缺失或损坏 0 个，无记录 1 个" in out
    assert f"[提示] jiashi {stray} 15 字节" in out

    client.put_object(Bucket=bucket, Key=damaged.key, Body=os.urandom(2500))
    client.delete_object(Bucket=bucket, Key=lost.key)
    out, error = _verify()
    assert error is not None and "2 个问题" in str(error)
    assert f"[错误] jiashi {damaged.sha256} 2500 字节（2.4 KB） 第 1 块校验不符" in out
    assert f"[错误] jiashi {lost.sha256} 100 字节（100 字节） 对象缺失" in out
    # The object no row names, a day later, is an error too (S3 keeps its own dates).
    later = storage_verify(side_a.association, now=timezone.now() + DAY_AGO)
    assert [(o.key, o.error) for o in later.orphans] == [(stray, True)]


def test_prune_removes_what_interrupted_uploads_left(side_a: Side) -> None:
    store = content_store()
    assert isinstance(store, FilesystemStore)
    spools = store.incoming_dir(f"a/{side_a.association.pk}")
    spools.mkdir(parents=True)
    (spools / "killed.part").write_bytes(b"x" * 100)
    (spools / "running.part").write_bytes(b"y" * 100)
    _backdate(spools / "killed.part", timedelta(hours=7))
    uploads = Path(settings.FILE_UPLOAD_TEMP_DIR)
    (uploads / "tus").mkdir(parents=True)
    (uploads / "abc.upload").write_bytes(b"request body of a killed worker")
    (uploads / "def.upload").write_bytes(b"a request being parsed now")
    # A resumable upload paused overnight: its session keeps it a day, not prune_uploads.
    (uploads / "tus" / "7.part").write_bytes(b"first chunks")
    for path in (uploads / "abc.upload", uploads / "tus" / "7.part", uploads / "tus"):
        _backdate(path, timedelta(hours=7))
    unused = content_put(side_a.association, io.BytesIO(b"nothing refers to me"))

    out = _prune()
    assert "已删除 1 个中断的存储临时文件、1 个过期的上传临时文件" in out
    assert [p.name for p in store.stale_spools()] == ["running.part"]
    assert sorted(p.name for p in uploads.iterdir()) == ["def.upload", "tus"]
    assert (uploads / "tus" / "7.part").exists()
    assert _row(side_a, unused).released_at is not None  # content_release ran
    assert (Path(settings.CONTENT_ROOT) / unused.key).exists()

    out = _prune("--hours", "0")
    assert "已删除 1 个中断的存储临时文件、1 个过期的上传临时文件" in out
    assert list(store.stale_spools()) == [] and [p.name for p in uploads.iterdir()] == ["tus"]
    with pytest.raises(CommandError, match="不能为负数"):
        _prune("--hours", "-1")


def test_prune_clears_the_s3_stores_spools_in_the_upload_directory(
    side_a: Side, s3_storage: S3Store
) -> None:
    left = Path(settings.FILE_UPLOAD_TEMP_DIR) / "0123abcd.part"
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_bytes(b"spooled before the kill")
    _backdate(left, timedelta(hours=7))
    out = _prune()
    assert "已删除 0 个中断的存储临时文件、1 个过期的上传临时文件" in out
    assert not left.exists()
