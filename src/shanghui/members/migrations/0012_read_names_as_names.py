"""read_names_as_names: search keys and tokens read as people's names where they are.

Individual members' names were read like company names (单 dan, 曾 ceng, 区 qu — filed under D
and Q), and a few given-name characters (珩, 晟, 莞) and the surname 单于 with their everyday
readings. This recomputes the search text, the sort key (A–Z letter) and the tokens of those
rows only: individual members, and people whose names hold one of those characters.

Like 0007, it uses the application's pure name functions and token writer rather than a copy,
so the stored keys are exactly what the services write; each association's rows are read with
that association set for the transaction (row-level security is forced for the owner too).
"""

from typing import Any

from django.db import migrations
from django.db.models import Q

CHUNK = 2000


def reread(apps: Any, schema_editor: Any) -> None:
    from shanghui.core.chinese import GIVEN_NAME_READINGS
    from shanghui.members.search_index import (
        member_search_tokens,
        person_search_tokens,
        search_tokens_write,
    )
    from shanghui.members.services.members import member_search_fields, person_search_fields

    association_model = apps.get_model("associations", "Association")
    member_model = apps.get_model("members", "Member")
    person_model = apps.get_model("members", "Person")
    token_models = (
        apps.get_model("members", "MemberSearchToken"),
        apps.get_model("members", "PersonSearchToken"),
    )
    renamed_people = Q(name__startswith="单于")
    for char in GIVEN_NAME_READINGS:
        renamed_people |= Q(name__contains=char)
    connection = schema_editor.connection
    for association in association_model.objects.order_by("pk"):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('app.association_id', %s, true)", [str(association.pk)]
                )
        members = list(
            member_model.objects.filter(association=association, kind="individual")
            .order_by("pk")
            .values_list("pk", "name", "uscc")
        )
        people = list(
            person_model.objects.filter(renamed_people, association=association)
            .order_by("pk")
            .values_list("pk", "name", "phone")
        )
        member_model.objects.bulk_update(
            [
                member_model(pk=pk, search_text=text, sort_key=key)
                for pk, name, uscc in members
                for text, key in [member_search_fields(name, uscc, person=True)]
            ],
            ["search_text", "sort_key"],
            batch_size=CHUNK,
        )
        person_model.objects.bulk_update(
            [
                person_model(pk=pk, search_text=text, sort_key=key)
                for pk, name, _phone in people
                for text, key in [person_search_fields(name)]
            ],
            ["search_text", "sort_key"],
            batch_size=CHUNK,
        )
        search_tokens_write(
            association=association,
            members=[
                (pk, member_search_tokens(name, uscc, person=True)) for pk, name, uscc in members
            ],
            people=[(pk, person_search_tokens(name, phone)) for pk, name, phone in people],
            replace=True,
            token_models=token_models,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.association_id', '', true)")


class Migration(migrations.Migration):
    dependencies = [("members", "0011_representative_recycle_bin")]

    operations = [migrations.RunPython(reread, migrations.RunPython.noop)]
