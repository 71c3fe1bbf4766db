"""email_only_rows_by_email: 0009 gave every existing delivery-log row ``channel="sms"`` (the
new column's default), including rows that had no phone, only an email address: the worker
would then try to send them as SMS to an empty number. Such a row can be told apart — an SMS
row always has a phone — so a row with no phone and an address becomes an email row.

(A row of the old shape that had both a phone and an address stood for an SMS *and* an
email; which of the two had already gone cannot be read from the row any more, so it stays
the SMS it became.)"""

from typing import Any

from django.db import migrations


def email_rows(apps: Any, schema_editor: Any) -> None:
    outbox = apps.get_model("core", "OutboxMessage")
    outbox.objects.filter(channel="sms", phone="").exclude(email="").update(channel="email")


class Migration(migrations.Migration):
    dependencies = [("core", "0010_stored_content")]

    operations = [migrations.RunPython(email_rows, migrations.RunPython.noop)]
