"""Files kept between two tries of a form (core.uploads.upload_keep): signed for one form,
never a path the browser names, bounded per client, cleaned up after a day."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from shanghui.core.uploads import (
    KEPT_UPLOAD_DIR,
    kept_upload_discard,
    kept_upload_open,
    kept_uploads_prune,
    scratch_save,
    upload_keep,
    upload_kept,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def upload(name: str = "营业执照.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, "image/png")


def test_a_kept_file_opens_under_its_name_for_its_own_form_only(media: Path) -> None:
    kept = upload_keep(upload("../../营业执照.png"), scope="form:1", client="10.0.0.1")
    assert kept is not None and kept.name == "营业执照.png"
    assert kept.path.startswith(f"{KEPT_UPLOAD_DIR}/") and "营业执照" not in kept.path
    again = upload_kept(kept.token, scope="form:1")
    assert again == kept
    opened = kept_upload_open(again)
    assert (opened.name, opened.size, opened.read()) == ("营业执照.png", len(PNG), PNG)
    opened.close()
    assert upload_kept(kept.token, scope="form:2") is None
    assert upload_kept(kept.token + "x", scope="form:1") is None
    kept_upload_discard(kept)
    assert upload_kept(kept.token, scope="form:1") is None  # used: gone
    assert list((media / KEPT_UPLOAD_DIR).iterdir()) == []


@override_settings(RATE_LIMITS={"upload_keep": "2/3600"})
def test_a_client_keeps_a_bounded_number_of_files(media: Path) -> None:
    assert upload_keep(upload(), scope="f", client="10.0.0.1") is not None
    assert upload_keep(upload(), scope="f", client="10.0.0.1") is not None
    # Past the limit nothing more is stored: the person chooses the file again.
    assert upload_keep(upload(), scope="f", client="10.0.0.1") is None
    assert upload_keep(upload(), scope="f", client="10.0.0.2") is not None
    assert len(list((media / KEPT_UPLOAD_DIR).iterdir())) == 3


def test_the_daily_clean_up_removes_kept_files_older_than_a_day(media: Path) -> None:
    assert kept_uploads_prune(before=timezone.now()) == 0  # nothing kept yet
    old = upload_keep(upload(), scope="f", client="a")
    new = upload_keep(upload(), scope="f", client="a")
    assert old is not None and new is not None
    day_ago = time.time() - 25 * 3600
    os.utime(media / old.path, (day_ago, day_ago))
    assert kept_uploads_prune(before=timezone.now() - timedelta(days=1)) == 1
    assert not (media / old.path).exists() and (media / new.path).exists()


@pytest.mark.django_db
def test_the_daily_prune_command_removes_them(media: Path) -> None:
    old = upload_keep(upload(), scope="f", client="a")
    assert old is not None
    day_ago = time.time() - 25 * 3600
    os.utime(media / old.path, (day_ago, day_ago))
    out = io.StringIO()
    call_command("prune_tasks", stdout=out)
    assert "1 个过期的临时上传文件" in out.getvalue()
    assert not (media / old.path).exists()


@pytest.mark.django_db
def test_working_files_go_after_the_retention_days_whoever_forgot_them(media: Path) -> None:
    """An import validated and never committed left its cleaned rows — phones — behind."""
    old = scratch_save(io.BytesIO(b'[{"phone": "13800001111"}]\n'), suffix=".jsonl")
    new = scratch_save(io.BytesIO(b"[]\n"), suffix=".jsonl")
    eight_days_ago = time.time() - 8 * 24 * 3600
    os.utime(media / old, (eight_days_ago, eight_days_ago))
    out = io.StringIO()
    call_command("prune_tasks", "--days", "7", stdout=out)
    assert "已删除 1 个过期的工作文件" in out.getvalue()
    assert not (media / old).exists() and (media / new).exists()
