"""backfill_photo_by_person: which photos set before 0009 were set by the people themselves.

A person's own photo (their account page, ``my_photo_set``) is logged as the platform audit
action ``account.photo_set`` by their account; the secretariat's as ``person.photo_set`` on the
person record, in the association's audit log. Before 0009 a person's upload went over every
record of theirs, the secretariat's photos included, so where both wrote to a record it cannot
be told whose the photo is now: those stay the association's (kept when the account is deleted,
never overwritten by the person's next upload). A photo is the person's own where their account
uploaded one and the secretariat never set one on that record.

The owner of the tables is subject to row-level security as well (it is forced), so each
association's rows are read with that association set for the transaction.
"""

from typing import Any

from django.db import migrations

CHUNK = 500


def backfill(apps: Any, schema_editor: Any) -> None:
    platform_audit = apps.get_model("core", "PlatformAuditEntry")
    audit = apps.get_model("core", "AuditEntry")
    association_model = apps.get_model("associations", "Association")
    person_model = apps.get_model("members", "Person")
    uploaders = platform_audit.objects.filter(action="account.photo_set", actor__isnull=False)
    if not uploaders.exists():
        return
    connection = schema_editor.connection
    for association in association_model.objects.order_by("pk"):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('app.association_id', %s, true)", [str(association.pk)]
                )
        people = (
            person_model.objects.filter(
                association=association, user_id__in=uploaders.values("actor_id")
            )
            .exclude(photo="")
            .values_list("pk", flat=True)
        )
        secretariat_set = set(
            audit.objects.filter(
                association=association, action="person.photo_set", target_type="members.person"
            ).values_list("target_id", flat=True)
        )
        own = [pk for pk in people if str(pk) not in secretariat_set]
        for start in range(0, len(own), CHUNK):
            person_model.objects.filter(
                association=association, pk__in=own[start : start + CHUNK]
            ).update(photo_by_person=True)
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
