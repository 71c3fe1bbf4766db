"""`manage.py prune_uploads [--hours N]`: run daily (cron or a systemd timer). Removes what
interrupted uploads left behind — the content store's temporary files and the files directly
in ``FILE_UPLOAD_TEMP_DIR`` not written to for N hours (6 by default; its subdirectories,
such as resumable uploads' ``tus/``, have owners and lifetimes of their own); removes each
association's expired files — import files and export results past ``TASK_RETENTION_DAYS``,
other modules' trash past ``DOCUMENTS_TRASH_DAYS``, files stored and never attached
(``core.storage.files.files_expire``) — and releases the stored content that nothing refers
to any more (``content_release``: marked now, removed a day later if still unreferenced).
Safe to run twice, and beside uploads: a running upload writes its file at least every
megabyte it reads. It also empties this server's picture cache of pictures no longer stored;
``--picture-cache`` does only that, for the other app servers of an installation."""

import logging
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shanghui.core.storage.content import content_release
from shanghui.core.storage.files import files_expire
from shanghui.core.storage.maintenance import (
    picture_cache_sweep,
    stale_spools_remove,
    upload_temp_prune,
)

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "清除中断的上传留下的临时文件，并释放不再被引用的存储内容；建议每天运行一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours", type=float, default=6, help="临时文件多久未写入即视为中断（默认 6 小时）"
        )
        parser.add_argument(
            "--picture-cache",
            action="store_true",
            help="只清除本机图片缓存中已删除图片的缩略图（在其他应用服务器上每天运行）",
        )

    def _picture_cache(self, associations: Any) -> int:
        return sum(picture_cache_sweep(association) for association in associations)

    def handle(self, *args: Any, hours: float, picture_cache: bool, **options: Any) -> None:
        # The picture cache is swept after the release: a removed photo's thumbnails go the
        # same night (personal-information law), on every server that runs this.
        if hours < 0:
            raise CommandError("小时数不能为负数")
        model = apps.get_model("associations", "Association")
        if picture_cache:
            swept = self._picture_cache(model.objects.order_by("pk"))
            self.stdout.write(f"已清除本机图片缓存中 {swept} 个已删除图片的缩略图")
            return
        older_than = timedelta(hours=hours)
        spools = stale_spools_remove(older_than=older_than)
        uploads = upload_temp_prune(older_than=older_than)
        expired = released = failed = 0
        for association in model.objects.order_by("pk"):
            try:
                expired += files_expire(association)
                released += content_release(association)
            except Exception as exc:  # one association's failure must not stop the others
                failed += 1
                logger.exception("content_release failed for association %s", association.slug)
                self.stderr.write(f"{association.slug}: 释放存储内容失败：{exc}")
        self.stdout.write(
            f"已删除 {spools} 个中断的存储临时文件、{uploads} 个过期的上传临时文件、"
            f"{expired} 个到期的文件、"
            f"{self._picture_cache(model.objects.order_by('pk'))} 个已删除图片的缩略图；"
            f"已清除 {released} 个不再被引用的存储对象"
        )
        if failed:
            raise CommandError(f"{failed} 个商协会释放存储内容失败")
