"""`manage.py rotate_field_keys [--batch-size N]`: after a new key is put first in
``FIELD_ENCRYPTION_KEYS`` (the old ones still listed), re-encrypts every EncryptedTextField
value of every model with it — association by association in its tenant scope, in batches of
N rows a transaction. Safe to interrupt and to run again: values already under the new key
are left alone. When it reports nothing left, the old keys may be removed (docs/deploy.md).
It walks whatever encrypted fields the schema has (core.encryption.encrypted_fields)."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shanghui.core.encryption import encrypted_fields, key_ring, rotate_column


class Command(BaseCommand):
    help = "用 FIELD_ENCRYPTION_KEYS 中的第一个密钥重新加密所有加密字段；可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="每个事务处理的行数")

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("每批行数至少为 1")
        current = key_ring().current_id
        fields = encrypted_fields()
        associations = apps.get_model("associations", "Association").objects.order_by("pk")
        total = 0
        for model, name in fields:
            for association in associations:
                total += rotate_column(
                    model=model, field_name=name, association=association, batch_size=batch_size
                )
        self.stdout.write(f"已用密钥 {current} 重新加密 {total} 个值（{len(fields)} 个加密字段）")
