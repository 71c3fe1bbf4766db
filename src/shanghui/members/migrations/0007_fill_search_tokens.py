"""fill_search_tokens: the search tokens of every member and person that existed before 0006.

This data migration uses the application's token rules and write path
(``members.search_index``) rather than a copy of them, against the convention: a copy would
drift from what the services write, and the directory would then miss or wrongly find the
older rows. Only pure functions of names and the historical models are involved, so later
model changes do not affect it.

The owner of the tables is subject to row-level security as well (it is forced), so each
association's rows are read with that association set for the transaction.
"""

from typing import Any

from django.db import migrations

CHUNK = 2000


def fill(apps: Any, schema_editor: Any) -> None:
    from shanghui.members.search_index import (
        member_search_tokens,
        person_search_tokens,
        search_tokens_write,
    )

    association_model = apps.get_model("associations", "Association")
    member_model = apps.get_model("members", "Member")
    person_model = apps.get_model("members", "Person")
    token_models = (
        apps.get_model("members", "MemberSearchToken"),
        apps.get_model("members", "PersonSearchToken"),
    )
    connection = schema_editor.connection
    for association in association_model.objects.order_by("pk"):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('app.association_id', %s, true)", [str(association.pk)]
                )
        members = member_model.objects.filter(association=association).order_by("pk")
        people = person_model.objects.filter(association=association).order_by("pk")
        search_tokens_write(
            association=association,
            members=(
                (pk, member_search_tokens(name, uscc))
                for pk, name, uscc in members.values_list("pk", "name", "uscc").iterator(CHUNK)
            ),
            people=(
                (pk, person_search_tokens(name, phone))
                for pk, name, phone in people.values_list("pk", "name", "phone").iterator(CHUNK)
            ),
            token_models=token_models,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.association_id', '', true)")


class Migration(migrations.Migration):
    dependencies = [("members", "0006_search_tokens")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
