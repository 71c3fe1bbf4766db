"""backfill_photo_by_person: which photos set before 0009 were set by the people themselves.

A person's own photo (their account page, ``my_photo_set``) is logged as the platform audit
action ``account.photo_set`` by their account; the secretariat's as ``person.photo_set`` on the
person record, in the association's audit log. A photo is the person's own when their account's
last ``account.photo_set`` is later than the secretariat's last ``person.photo_set`` of that
record, or the secretariat never set one.

The owner of the tables is subject to row-level security as well (it is forced), so each
association's rows are read with that association set for the transaction.
"""

from typing import Any

from django.db import migrations
from django.db.models import Max


def backfill(apps: Any, schema_editor: Any) -> None:
    platform_audit = apps.get_model("core", "PlatformAuditEntry")
    audit = apps.get_model("core", "AuditEntry")
    association_model = apps.get_model("associations", "Association")
    person_model = apps.get_model("members", "Person")
    own_set = dict(
        platform_audit.objects.filter(action="account.photo_set", actor__isnull=False)
        .values("actor_id")
        .annotate(last=Max("created_at"))
        .values_list("actor_id", "last")
    )
    if not own_set:
        return
    connection = schema_editor.connection
    for association in association_model.objects.order_by("pk"):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('app.association_id', %s, true)", [str(association.pk)]
                )
        people = (
            person_model.objects.filter(association=association, user_id__in=list(own_set))
            .exclude(photo="")
            .values_list("pk", "user_id")
        )
        secretariat_set = dict(
            audit.objects.filter(
                association=association, action="person.photo_set", target_type="members.person"
            )
            .values("target_id")
            .annotate(last=Max("created_at"))
            .values_list("target_id", "last")
        )
        own = [
            pk
            for pk, user_id in people
            if str(pk) not in secretariat_set or secretariat_set[str(pk)] < own_set[user_id]
        ]
        if own:
            person_model.objects.filter(association=association, pk__in=own).update(
                photo_by_person=True
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.association_id', '', true)")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("associations", "0001_initial"),
        ("members", "0009_person_photo_by_person"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
