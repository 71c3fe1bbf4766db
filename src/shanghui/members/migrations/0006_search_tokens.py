"""search_tokens: the directory's search index, one row per (association, key, member or person).

A substring search becomes a prefix search on the suffixes of each name's forms
(``core.chinese.search_tokens``), answered by the primary key's btree with ``>=`` and ``<``,
which PostgreSQL applies as index conditions under row-level security (they are leakproof,
``LIKE`` is not). ``key`` is in the ``C`` collation on PostgreSQL so that a prefix is a range
(``SearchKeyField``). The rows are filled by 0007.

PostgreSQL samples ``key`` with a finer histogram (statistics target 1000): with the default
100 buckets, a one-character range such as "江" was estimated at 3 rows of an association's
1,335 (at 1,000,000 members), which misleads the choice of joins for frequent needles.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

import shanghui.members.models


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that is skipped on other databases."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)


STATISTICS = "ALTER TABLE {table} ALTER COLUMN key SET STATISTICS {target}"


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0001_initial"),
        ("members", "0005_member_logo_person_photo"),
    ]

    operations = [
        migrations.CreateModel(
            name="MemberSearchToken",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "association",
                        "key",
                        "member",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("key", shanghui.members.models.SearchKeyField(max_length=16)),
                (
                    "association",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="associations.association",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.member",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["association", "member"], name="member_token_member")
                ],
            },
        ),
        migrations.CreateModel(
            name="PersonSearchToken",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "association",
                        "key",
                        "person",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("key", shanghui.members.models.SearchKeyField(max_length=16)),
                (
                    "association",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="associations.association",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.person",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["association", "person"], name="person_token_person")
                ],
            },
        ),
        *(
            PostgreSQLOnly(
                STATISTICS.format(table=table, target=1000),
                STATISTICS.format(table=table, target=-1),
            )
            for table in ("members_membersearchtoken", "members_personsearchtoken")
        ),
    ]
