"""Two indexes every insert into members and people paid for, and no query needs:

- ``person_user`` repeated the index Django gives the ``user`` foreign key itself.
- ``member_search_scan`` (0004, PostgreSQL only) served the directory search's scan of an
  association's ``search_text``; the search goes through the search tokens since 0006, and
  reads ``search_text`` only of the few candidates a long needle leaves, by primary key.
  Counting an association's members uses ``member_status`` as well.
"""

from importlib import import_module

from django.db import migrations

PostgreSQLOnly = import_module("shanghui.members.migrations.0004_member_search_scan").PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [("members", "0007_fill_search_tokens")]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_user"),
        PostgreSQLOnly(
            "DROP INDEX IF EXISTS member_search_scan",
            "CREATE INDEX IF NOT EXISTS member_search_scan ON members_member "
            "(association_id, id) INCLUDE (status, search_text)",
        ),
    ]
