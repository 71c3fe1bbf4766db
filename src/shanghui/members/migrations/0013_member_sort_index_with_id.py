# The member lists are ordered by (sort_key, id): with id (and status) in the index, a page
# by cursor needs no sort and a deep numbered page reads its ids from the index alone.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0001_initial"),
        ("members", "0012_read_names_as_names"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="member",
            name="member_sort",
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["association", "sort_key", "id", "status"], name="member_sort"
            ),
        ),
    ]
